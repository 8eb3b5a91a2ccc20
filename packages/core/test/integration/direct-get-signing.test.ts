import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Sha256 } from '@aws-crypto/sha256-js';
import { WorkMailMessageFlowClient } from '@aws-sdk/client-workmailmessageflow';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterEach, describe, expect, it } from 'vitest';
import { directGet } from '../../src/workmail/direct-get.js';

type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
type Seen = { path: string; status: number; accessKeyId: string };

/**
 * A loopback Message Flow that checks every signature as the service would: it signs the request it got
 * again with the SDK's SignatureV4 (pure-JavaScript SHA-256) and the credentials the access key id names,
 * and answers 200 only when both signatures agree, 403 otherwise.
 */
async function verifyingServer(known: () => Credentials[], host = '127.0.0.1') {
  const seen: Seen[] = [];
  const server = createServer(async (req, res) => {
    const status = (await verified(req, known())) ? 200 : 403;
    seen.push({ path: req.url ?? '', status, accessKeyId: keyOf(req) });
    res.writeHead(status, { 'content-length': '2' }).end(status === 200 ? 'ok' : 'no');
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  servers.push(server);
  return { seen, port, origin: `http://${host.includes(':') ? `[${host}]` : host}:${port}` };
}
const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

const keyOf = (req: IncomingMessage) =>
  /Credential=([^/]*)\//.exec(String(req.headers.authorization))?.[1] ?? '';

async function verified(req: IncomingMessage, known: Credentials[]): Promise<boolean> {
  const credentials = known.find((c) => c.accessKeyId === keyOf(req));
  const scope = /Credential=[^/]*\/\d{8}\/([^/]+)\/([^/]+)\//.exec(String(req.headers.authorization));
  const d = String(req.headers['x-amz-date']);
  if (!credentials || !scope) return false;
  const signingDate = new Date(
    `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T${d.slice(9, 11)}:${d.slice(11, 13)}:${d.slice(13, 15)}Z`,
  );
  const reference = new SignatureV4({
    credentials,
    region: scope[1] as string,
    service: scope[2] as string,
    sha256: Sha256,
  });
  const expected = await reference.sign(
    {
      method: 'GET',
      protocol: 'http:',
      hostname: 'x',
      path: req.url ?? '',
      query: {},
      headers: { host: String(req.headers.host) },
    },
    { signingDate },
  );
  return expected.headers.authorization === req.headers.authorization;
}

/** Counts the requests the client's SDK signer signs (the direct GET's own signing is not counted). */
function sdkSignatures(client: WorkMailMessageFlowClient): { n: number } {
  const count = { n: 0 };
  type Signer = { sign: (request: unknown, options: unknown) => Promise<unknown> };
  const config = client.config as unknown as { signer: () => Promise<Signer> };
  const sdkSigner = config.signer;
  config.signer = async () => {
    const inner = await sdkSigner();
    return {
      sign: (request: unknown, options: unknown) => {
        count.n++;
        return inner.sign(request, options);
      },
    };
  };
  return count;
}

async function read(client: WorkMailMessageFlowClient, id: string): Promise<boolean> {
  const body = await directGet(client, id);
  body?.resume();
  return body !== undefined;
}

describe('the direct GET never sends a signature the SDK signer would not have given', () => {
  it('checks again when the credentials object it checked is changed in place', async () => {
    // One object, as a static `credentials` option gives it on every request; renewed in place.
    const credentials: Credentials = {
      accessKeyId: 'ASIA1',
      secretAccessKey: 'one',
      sessionToken: 'token-1',
    };
    const issued: Credentials[] = [{ ...credentials }];
    const { seen, origin } = await verifyingServer(() => issued);
    const client = new WorkMailMessageFlowClient({ region: 'eu-west-1', endpoint: origin, credentials });
    expect(await read(client, 'm-1')).toBe(true);
    expect(await read(client, 'm-2')).toBe(true);
    // A renewed token the GET's own signing canonicalises differently from the SDK signer (a run of spaces).
    Object.assign(credentials, { accessKeyId: 'ASIA2', secretAccessKey: 'two', sessionToken: 'token  2' });
    issued.push({ ...credentials });
    expect(await read(client, 'm-3')).toBe(true);
    expect(await read(client, 'm-4')).toBe(true);
    expect(seen.map((s) => [s.path, s.status, s.accessKeyId])).toEqual([
      ['/messages/m-1', 200, 'ASIA1'],
      ['/messages/m-2', 200, 'ASIA1'],
      ['/messages/m-3', 200, 'ASIA2'],
      ['/messages/m-4', 200, 'ASIA2'],
    ]);
  });

  it('signs by itself across midnight, over IPv6, under a base path, once the SDK signer agreed', async () => {
    const credentials = { accessKeyId: 'AKID6', secretAccessKey: 'six/K7MDENG+bPxRfiCYEXAMPLEKEY' };
    const { seen, origin } = await verifyingServer(() => [credentials], '::1');
    const client = new WorkMailMessageFlowClient({
      region: 'eu-west-1',
      endpoint: `${origin}/base/`,
      credentials,
    });
    const sdk = sdkSignatures(client);
    const config = client.config as unknown as { systemClockOffset: number };
    // The clock offset (the SDK corrects it after a skew error) puts the first read a second before a midnight.
    const midnight = Date.UTC(2031, 0, 1);
    config.systemClockOffset = midnight - 1000 - Date.now();
    expect(await read(client, 'before')).toBe(true);
    config.systemClockOffset = midnight + 1000 - Date.now();
    expect(await read(client, 'after')).toBe(true);
    expect(await read(client, 'after-2')).toBe(true);
    expect(seen.map((s) => [s.path, s.status])).toEqual([
      ['/base/messages/before', 200],
      ['/base/messages/after', 200],
      ['/base/messages/after-2', 200],
    ]);
    expect(sdk.n).toBe(1);
  });

  it('keeps every signature valid when first reads race and credentials change between them', async () => {
    const issued = Array.from({ length: 4 }, (_, i) => ({
      accessKeyId: `ASIA${i}`,
      secretAccessKey: `secret-${i}`,
      sessionToken: `token-${i}`,
    }));
    let calls = 0;
    const { seen, origin } = await verifyingServer(() => issued);
    const client = new WorkMailMessageFlowClient({
      region: 'eu-west-1',
      endpoint: origin,
      // Renewed on every call, about to expire: the SDK asks again each time (also between the two signers).
      credentials: async () => ({
        ...(issued[Math.floor(calls++ / 3) % issued.length] as Credentials),
        expiration: new Date(Date.now() + 1000),
      }),
    });
    const ids = Array.from({ length: 12 }, (_, i) => `race-${i}`);
    const results = await Promise.all(ids.map((id) => read(client, id)));
    for (const id of ids) expect(await read(client, `${id}-again`)).toBe(true);
    expect(results).toEqual(ids.map(() => true));
    expect(seen.filter((s) => s.status !== 200)).toEqual([]);
    expect(seen).toHaveLength(24);
  });

  it('hands a read to send() when the credentials cannot be had or the server cannot be reached', async () => {
    const credentials = { accessKeyId: 'AKIDF', secretAccessKey: 'f' };
    let fail = false;
    const { seen, origin } = await verifyingServer(() => [credentials]);
    const client = new WorkMailMessageFlowClient({
      region: 'eu-west-1',
      endpoint: origin,
      credentials: async () => {
        if (fail) throw new Error('no credentials');
        return { ...credentials, expiration: new Date(Date.now() + 1000) };
      },
    });
    expect(await read(client, 'ok-1')).toBe(true);
    expect(await read(client, 'ok-2')).toBe(true); // signed by the direct GET itself
    fail = true;
    expect(await read(client, 'no-credentials')).toBe(false);
    fail = false;
    for (const server of servers.splice(0)) server.close();
    expect(await read(client, 'no-server')).toBe(false);
    expect(seen.map((s) => s.status)).toEqual([200, 200]);
  });
});
