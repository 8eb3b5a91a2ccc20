import type { Readable } from 'node:stream';
import {
  GetRawMessageContentCommand,
  type WorkMailMessageFlowClient,
} from '@aws-sdk/client-workmailmessageflow';
import { getEndpointFromInstructions } from '@smithy/middleware-endpoint';
import { type HttpHandler, HttpRequest } from '@smithy/protocol-http';
import type { HttpResponse, RequestSigner } from '@smithy/types';

/** What a direct GetRawMessageContent needs from the client, resolved once per client. */
interface Direct {
  url: URL;
  signer: RequestSigner;
  handler: HttpHandler;
  clockOffset: () => number;
}

// The SDK client's resolved configuration: the parts a direct request reuses.
interface ClientConfig {
  signer: () => Promise<RequestSigner>;
  requestHandler: HttpHandler;
  systemClockOffset?: number;
}

const resolved = new WeakMap<WorkMailMessageFlowClient, Promise<Direct>>();

function direct(client: WorkMailMessageFlowClient): Promise<Direct> {
  let d = resolved.get(client);
  if (!d) {
    const config = client.config as unknown as ClientConfig;
    d = (async () => {
      // The endpoint, credentials and signer are the client's own: the same ones `send()` would use.
      const endpoint = await getEndpointFromInstructions(
        { messageId: 'x' },
        GetRawMessageContentCommand as unknown as Parameters<typeof getEndpointFromInstructions>[1],
        client.config as unknown as Parameters<typeof getEndpointFromInstructions>[2],
      );
      return {
        url: new URL(endpoint.url.href),
        signer: await config.signer(),
        handler: config.requestHandler,
        clockOffset: () => config.systemClockOffset ?? 0,
      };
    })();
    d.catch(() => resolved.delete(client));
    resolved.set(client, d);
  }
  return d;
}

/**
 * GetRawMessageContent as one signed GET through the client's own endpoint, signer and HTTP handler,
 * without its middleware stack (which costs more CPU than the rest of a small message's policy). Answers
 * the body of a 200, or undefined for any other answer or a failure to connect: the caller then makes the
 * call through `send()`, whose retries and errors are the SDK's. An abort is thrown as it is.
 */
export async function directGet(
  client: WorkMailMessageFlowClient,
  messageId: string,
  signal?: AbortSignal,
): Promise<(Readable & { contentLength?: number }) | undefined> {
  let response: HttpResponse;
  try {
    const { url, signer, handler, clockOffset } = await direct(client);
    const base = url.pathname.endsWith('/') ? url.pathname.slice(0, -1) : url.pathname;
    const request = new HttpRequest({
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      method: 'GET',
      path: `${base}/messages/${encodeURIComponent(messageId)}`,
      headers: { host: url.host },
    });
    const signed = await signer.sign(request, { signingDate: new Date(Date.now() + clockOffset()) });
    ({ response } = await handler.handle(signed as HttpRequest, signal ? { abortSignal: signal } : {}));
  } catch (error) {
    if (signal?.aborted) throw error;
    return undefined;
  }
  const body = response.body as Readable | undefined;
  if (response.statusCode !== 200 || !body || typeof body.pipe !== 'function') {
    body?.resume?.();
    return undefined;
  }
  const length = Number(response.headers['content-length']);
  return Object.assign(body, { contentLength: Number.isFinite(length) ? length : undefined });
}
