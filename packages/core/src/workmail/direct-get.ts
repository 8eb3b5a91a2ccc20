import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import {
  GetRawMessageContentCommand,
  type WorkMailMessageFlowClient,
} from '@aws-sdk/client-workmailmessageflow';
import { getEndpointFromInstructions } from '@smithy/middleware-endpoint';
import type { AwsCredentialIdentity } from '@smithy/types';
import { isPlainSignedPath, signGet } from './sign-get.js';

/** The SDK's Signature Version 4 signer, as the client configured it (credentials, region, service). */
interface RequestSigner {
  sign(
    request: {
      method: string;
      protocol: string;
      hostname: string;
      port?: number;
      path: string;
      query: Record<string, string>;
      headers: Record<string, string>;
    },
    options: { signingDate: Date },
  ): Promise<{ headers: Record<string, string> }>;
}

/** What a direct GetRawMessageContent needs from the client, resolved once per client. */
interface Direct {
  url: URL;
  signer: RequestSigner;
  clockOffset: () => number;
  /** The GET's own signing (sign-get.ts), while it gives the SDK signer's headers; undefined once it did not. */
  lean?: LeanSigning;
}

interface LeanSigning {
  region: string;
  service: string;
  credentials: () => Promise<AwsCredentialIdentity>;
  /** The credentials for which the lean signature equalled the SDK signer's. */
  checked?: AwsCredentialIdentity;
}

// The SDK client's resolved configuration: the parts a direct request reuses.
interface ClientConfig {
  signer: () => Promise<RequestSigner>;
  systemClockOffset?: number;
  region?: () => Promise<string>;
  credentials?: () => Promise<AwsCredentialIdentity>;
  signingName?: string;
  defaultSigningName?: string;
}

const resolved = new WeakMap<WorkMailMessageFlowClient, Promise<Direct | undefined>>();
const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
// Paths the signature covers as written (SigV4 would encode anything else, twice for this service).
const PLAIN_PATH = /^[A-Za-z0-9._~/-]*$/;
// A message id sent as written: one path segment, not `.` or `..` (which a server could resolve away).
const PLAIN_ID = /^(?!\.{1,2}$)[A-Za-z0-9._~-]+$/;

function direct(client: WorkMailMessageFlowClient): Promise<Direct | undefined> {
  let d = resolved.get(client);
  if (!d) {
    const config = client.config as unknown as ClientConfig;
    d = (async () => {
      // The endpoint, region and credentials are the client's own: the ones `send()` would use.
      const endpoint = await getEndpointFromInstructions(
        { messageId: 'x' },
        GetRawMessageContentCommand as unknown as Parameters<typeof getEndpointFromInstructions>[1],
        client.config as unknown as Parameters<typeof getEndpointFromInstructions>[2],
      );
      const url = new URL(endpoint.url.href);
      const plain =
        (url.protocol === 'https:' || url.protocol === 'http:') &&
        PLAIN_PATH.test(url.pathname) &&
        url.search === '' &&
        Object.keys(endpoint.headers ?? {}).length === 0 &&
        endpoint.properties?.authSchemes === undefined;
      if (!plain) return undefined;
      const signer = await config.signer();
      const service = config.signingName ?? config.defaultSigningName;
      const lean =
        typeof config.region === 'function' && typeof config.credentials === 'function' && service
          ? { region: await config.region(), service, credentials: config.credentials }
          : undefined;
      return { url, signer, clockOffset: () => config.systemClockOffset ?? 0, lean };
    })();
    d.catch(() => resolved.delete(client));
    resolved.set(client, d);
  }
  return d;
}

/**
 * GetRawMessageContent as one signed GET (the client's own endpoint, region and credentials, signed as its
 * SDK signer signs, see signedHeaders) over a keep-alive connection, without the SDK's middleware stack,
 * which costs more CPU than the rest of a small message's policy. Answers the body of a 200, or undefined
 * for any other answer or a failure to connect: the caller then makes the call through `send()`, whose
 * retries and errors are the SDK's. An abort is thrown as it is.
 */
export async function directGet(
  client: WorkMailMessageFlowClient,
  messageId: string,
  signal?: AbortSignal,
): Promise<(Readable & { contentLength?: number }) | undefined> {
  let response: IncomingMessage;
  try {
    const d = await direct(client);
    if (!d || !PLAIN_ID.test(messageId)) return undefined;
    const base = d.url.pathname.endsWith('/') ? d.url.pathname.slice(0, -1) : d.url.pathname;
    const path = `${base}/messages/${messageId}`;
    const headers = await signedHeaders(d, path);
    const secure = d.url.protocol === 'https:';
    response = await new Promise<IncomingMessage>((resolve, reject) => {
      const request = (secure ? https : http).request({
        hostname: d.url.hostname.replace(/^\[|\]$/g, ''),
        port: d.url.port || undefined,
        path,
        method: 'GET',
        headers,
        agent: secure ? agents.https : agents.http,
      });
      // The invocation's abort ends the request and its body (one listener, gone with the request).
      if (signal) {
        if (signal.aborted) request.destroy(abortError());
        const onAbort = () => request.destroy(abortError());
        signal.addEventListener('abort', onAbort, { once: true });
        request.once('close', () => signal.removeEventListener('abort', onAbort));
      }
      request.once('response', resolve);
      request.once('error', reject);
      request.end();
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    return undefined;
  }
  if (response.statusCode !== 200) {
    response.resume(); // read out, so the connection is reused
    return undefined;
  }
  const length = Number(response.headers['content-length']);
  return Object.assign(response, { contentLength: Number.isFinite(length) ? length : undefined });
}

/**
 * The GET's SigV4 headers. The SDK signer signs the first request for each set of credentials; the GET's
 * own signing (sign-get.ts: a fifth of the SDK signer's CPU in a loop, about 0.09 ms less per message in
 * the bench's policy) signs the same request beside it, and takes over only when both gave the very same
 * headers, for as long as the credentials stay the same.
 */
async function signedHeaders(d: Direct, path: string): Promise<Record<string, string>> {
  const date = new Date(Date.now() + d.clockOffset());
  const lean = d.lean;
  if (lean && isPlainSignedPath(path)) {
    // The values of the moment, not the object: a provider may hand out one object and renew it in place.
    const { accessKeyId, secretAccessKey, sessionToken } = await lean.credentials();
    const credentials = { accessKeyId, secretAccessKey, sessionToken };
    const get = { host: d.url.host, path, region: lean.region, service: lean.service, credentials, date };
    if (lean.checked && sameCredentials(lean.checked, credentials)) return signGet(get);
    const sdk = await sdkSigned(d, path, date);
    if (sameHeaders(signGet(get), sdk)) lean.checked = credentials;
    else d.lean = undefined;
    return sdk;
  }
  return sdkSigned(d, path, date);
}

async function sdkSigned(d: Direct, path: string, signingDate: Date): Promise<Record<string, string>> {
  const signed = await d.signer.sign(
    {
      method: 'GET',
      protocol: d.url.protocol,
      hostname: d.url.hostname,
      ...(d.url.port ? { port: Number(d.url.port) } : {}),
      path,
      query: {},
      headers: { host: d.url.host },
    },
    { signingDate },
  );
  return signed.headers;
}

function sameCredentials(a: AwsCredentialIdentity, b: AwsCredentialIdentity): boolean {
  return (
    a.accessKeyId === b.accessKeyId &&
    a.secretAccessKey === b.secretAccessKey &&
    a.sessionToken === b.sessionToken
  );
}

function sameHeaders(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

function abortError(): Error {
  return Object.assign(new Error('The operation was aborted'), { name: 'AbortError', code: 'ABORT_ERR' });
}
