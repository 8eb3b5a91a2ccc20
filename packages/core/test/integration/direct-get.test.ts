import diagnostics from 'node:diagnostics_channel';
import { type LocalStack, startLocalStack } from '@wmflow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreEnv } from '../../../../test-support/restore-env.js';
import {
  defaultClients,
  LazyMessage,
  MessageNotFoundError,
  resetDefaultClients,
  workmailSource,
} from '../../src/index.js';

// The default clients read their endpoints from the environment, as in a Lambda pointed at the emulator.
let stack: LocalStack;
const saved = { ...process.env };
beforeAll(async () => {
  stack = await startLocalStack({});
  Object.assign(process.env, stack.env);
  resetDefaultClients();
}, 60_000);
afterAll(async () => {
  restoreEnv(saved);
  resetDefaultClients();
  await stack?.stop();
});

const CRLF = '\r\n';
const mail = (n: number) =>
  Buffer.from(
    ['From: a@partner.example', 'To: b@corp.example', `Subject: message ${n}`, '', `body ${n}`, ''].join(
      CRLF,
    ),
  );
const statuses = (id: string) =>
  stack.flow
    .requests()
    .filter((r) => r.messageId === id)
    .map((r) => r.status);

/** A client with a middleware that counts the calls made through `send()`. */
function counted<T extends { middlewareStack: { add(m: unknown, o: object): void } }>(client: T) {
  const calls = { n: 0 };
  client.middlewareStack.add(
    (next: (a: unknown) => unknown) => (args: unknown) => {
      calls.n++;
      return next(args);
    },
    { step: 'initialize', name: `count-${Math.random()}` },
  );
  return calls;
}

describe('GetRawMessageContent without the SDK middleware (wmflow-own client)', () => {
  it('reads the exact bytes with one signed GET, past the middleware stack; an injected client keeps it', async () => {
    const own = defaultClients().messageFlow;
    const calls = counted(own);
    const id = stack.flow.load(mail(1));
    const message = new LazyMessage(workmailSource(own, id));
    expect((await message.bytes()).equals(mail(1))).toBe(true);
    await message.close();
    expect(statuses(id)).toEqual([200]);
    expect(calls.n).toBe(0);

    const injected = stack.messageFlow; // a caller's client: its middleware must run
    const injectedCalls = counted(injected);
    const other = new LazyMessage(workmailSource(injected, id));
    expect((await other.bytes()).equals(mail(1))).toBe(true);
    await other.close();
    expect(injectedCalls.n).toBe(1);
  });

  it('hands any answer but 200 to send(), whose retries and errors are the SDK’s', async () => {
    const own = defaultClients().messageFlow;
    const id = stack.flow.load(mail(2));
    stack.flow.injectFault({ kind: 'throttle' }, { messageId: id, times: 2 });
    const message = new LazyMessage(workmailSource(own, id));
    expect((await message.bytes()).equals(mail(2))).toBe(true);
    await message.close();
    expect(statuses(id)).toEqual([429, 429, 200]); // the direct GET, then send() retrying once

    const missing = new LazyMessage(workmailSource(own, 'no-such-message'));
    await expect(missing.headers()).rejects.toBeInstanceOf(MessageNotFoundError);
    expect(statuses('no-such-message')).toEqual([404, 404]);
  });

  it('sends an id that is not one path segment only through send(), encoded: never a path a server could resolve to another message', async () => {
    const own = defaultClients().messageFlow;
    const calls = counted(own);
    const id = stack.flow.load(mail(4));
    const paths: string[] = [];
    const record = (m: unknown) => paths.push(String((m as { request: { path: string } }).request.path));
    diagnostics.subscribe('http.client.request.start', record);
    try {
      for (const crafted of [`x/../${id}`, `../messages/${id}`, `${id}/.`]) {
        const message = new LazyMessage(workmailSource(own, crafted));
        await expect(message.headers()).rejects.toThrow(); // the API refuses the id
        await message.close();
      }
    } finally {
      diagnostics.unsubscribe('http.client.request.start', record);
    }
    expect(calls.n).toBe(3);
    expect(paths.length).toBeGreaterThanOrEqual(3);
    // Every request named one segment after /messages/ (the SDK sends `/` as %2F).
    for (const path of paths) expect(path).toMatch(/^\/messages\/[^/]+$/);
    expect(statuses(id)).toEqual([]);
  });

  it('does not fall back after an abort', async () => {
    const own = defaultClients().messageFlow;
    const id = stack.flow.load(mail(3));
    const slow = stack.flow.injectFault({ kind: 'latency', ms: 300 }, { messageId: id });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const message = new LazyMessage(workmailSource(own, id, controller.signal));
    await expect(message.headers()).rejects.toThrow(/abort/i);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(slow.hits).toBe(1);
  });

  it('keeps the connection when rules stop after the headers of a small message', async () => {
    const own = defaultClients().messageFlow;
    const warm = new LazyMessage(workmailSource(own, stack.flow.load(mail(0))));
    await warm.bytes();
    await warm.close();
    let opened = 0;
    const count = () => opened++;
    diagnostics.subscribe('net.client.socket', count);
    try {
      for (let n = 4; n < 10; n++) {
        const message = new LazyMessage(workmailSource(own, stack.flow.load(mail(n))));
        expect((await message.headers()).subject).toBe(`message ${n}`);
        await message.close();
        await new Promise((resolve) => setTimeout(resolve, 20)); // the read-out of the rest ends
      }
    } finally {
      diagnostics.unsubscribe('net.client.socket', count);
    }
    expect(opened).toBe(0);
  });
});

type RecordedRequest = { url?: string; headers?: Record<string, string | string[] | undefined> };

/** The Authorization the SDK signer (pure-JavaScript SHA-256) gives the request a loopback server recorded. */
async function sdkAuthorization(
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
  port: number,
  seen: RecordedRequest,
): Promise<string | undefined> {
  const { SignatureV4 } = await import('@smithy/signature-v4');
  const { Sha256 } = await import('@aws-crypto/sha256-js');
  const d = String(seen.headers?.['x-amz-date']);
  const signingDate = new Date(
    `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T${d.slice(9, 11)}:${d.slice(11, 13)}:${d.slice(13, 15)}Z`,
  );
  const signer = new SignatureV4({
    credentials,
    region: 'eu-west-1',
    service: 'workmailmessageflow',
    sha256: Sha256,
  });
  const request = { method: 'GET', protocol: 'http:', hostname: '127.0.0.1', port, path: seen.url ?? '' };
  const signed = await signer.sign(
    { ...request, query: {}, headers: { host: String(seen.headers?.host) } },
    { signingDate },
  );
  return signed.headers.authorization;
}

describe('the direct GET is signed for the request it sends', () => {
  it('carries the SigV4 signature the SDK signer gives that exact request (path, host, date)', async () => {
    const { createServer } = await import('node:http');
    const { WorkMailMessageFlowClient } = await import('@aws-sdk/client-workmailmessageflow');
    const seen: { url?: string; headers?: Record<string, string | string[] | undefined> } = {};
    const server = createServer((req, res) => {
      seen.url = req.url;
      seen.headers = req.headers;
      res.writeHead(200, { 'content-length': '2' }).end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const credentials = {
      accessKeyId: 'AKIDEXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
    };
    const client = new WorkMailMessageFlowClient({
      region: 'eu-west-1',
      endpoint: `http://127.0.0.1:${port}`,
      credentials,
    });
    try {
      const { directGet } = await import('../../src/workmail/direct-get.js');
      const body = await directGet(client, 'abc-123');
      expect(body).toBeDefined();
      body?.resume();
      expect(seen.url).toBe('/messages/abc-123');
      expect(seen.headers?.authorization).toBe(await sdkAuthorization(credentials, port, seen));
    } finally {
      server.close();
    }
  });
});

describe('the wmflow-own client signs its direct GET as the SDK signer does', () => {
  it('with node:crypto hashing (Sha256): the signature a pure-JavaScript SHA-256 gives, request after request', async () => {
    const { createServer } = await import('node:http');
    const { directGet } = await import('../../src/workmail/direct-get.js');
    const { defaultMessageFlowClient } = await import('../../src/workmail/clients.js');
    const seen: { url?: string; headers: Record<string, string | string[] | undefined> }[] = [];
    const server = createServer((req, res) => {
      seen.push({ url: req.url, headers: req.headers });
      res.writeHead(200, { 'content-length': '2' }).end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const credentials = { accessKeyId: 'AKIDOWN', secretAccessKey: 'own/K7MDENG+bPxRfiCYEXAMPLEKEY' };
    const env = { ...process.env };
    try {
      Object.assign(process.env, {
        AWS_ENDPOINT_URL_WORKMAILMESSAGEFLOW: `http://127.0.0.1:${port}`,
        AWS_REGION: 'eu-west-1',
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      });
      delete process.env.AWS_SESSION_TOKEN;
      resetDefaultClients();
      // Several requests: later signatures reuse what the first computed from the same credentials.
      for (const id of ['own-1', 'own-2', 'own-3']) {
        const body = await directGet(defaultMessageFlowClient(), id);
        expect(body).toBeDefined();
        body?.resume();
      }
      expect(seen.map((s) => s.url)).toEqual(['/messages/own-1', '/messages/own-2', '/messages/own-3']);
      for (const s of seen) {
        expect(s.headers.authorization).toBe(await sdkAuthorization(credentials, port, s));
      }
    } finally {
      restoreEnv(env);
      resetDefaultClients();
      server.close();
    }
  });
});

describe('the direct GET signs by itself only what it signs as the SDK signer does', () => {
  type Seen = { url?: string; headers: Record<string, string | string[] | undefined> };
  async function recorder() {
    const { createServer } = await import('node:http');
    const seen: Seen[] = [];
    const server = createServer((req, res) => {
      seen.push({ url: req.url, headers: req.headers });
      res.writeHead(200, { 'content-length': '2' }).end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { seen, server, port: (server.address() as { port: number }).port };
  }

  it('keeps the SDK signer for every request when its headers differ (a signer that adds one)', async () => {
    const { WorkMailMessageFlowClient } = await import('@aws-sdk/client-workmailmessageflow');
    const { directGet } = await import('../../src/workmail/direct-get.js');
    const { seen, server, port } = await recorder();
    const client = new WorkMailMessageFlowClient({
      region: 'eu-west-1',
      endpoint: `http://127.0.0.1:${port}`,
      credentials: { accessKeyId: 'AKIDX', secretAccessKey: 'x' },
    });
    const config = client.config as unknown as {
      signer: () => Promise<{ sign: (...a: unknown[]) => Promise<{ headers: Record<string, string> }> }>;
    };
    const sdkSigner = config.signer;
    // A signer as a later SDK might be: it signs one more header.
    config.signer = async () => {
      const inner = await sdkSigner();
      return {
        sign: async (request: unknown, options: unknown) => {
          const r = request as { headers: Record<string, string> };
          r.headers['x-extra'] = 'signed';
          return inner.sign(r, options);
        },
      };
    };
    try {
      for (const id of ['x-1', 'x-2', 'x-3']) (await directGet(client, id))?.resume();
      expect(seen.map((s) => s.headers['x-extra'])).toEqual(['signed', 'signed', 'signed']);
      for (const s of seen)
        expect(String(s.headers.authorization)).toContain(
          'SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-extra,',
        );
    } finally {
      server.close();
    }
  });

  it('signs each request with the credentials of the moment (a session token that is renewed)', async () => {
    const { WorkMailMessageFlowClient } = await import('@aws-sdk/client-workmailmessageflow');
    const { directGet } = await import('../../src/workmail/direct-get.js');
    const { seen, server, port } = await recorder();
    const issued = [
      { accessKeyId: 'ASIA1', secretAccessKey: 'one', sessionToken: 'token-1' },
      { accessKeyId: 'ASIA1', secretAccessKey: 'one', sessionToken: 'token-1' },
      { accessKeyId: 'ASIA2', secretAccessKey: 'two', sessionToken: 'token-2' },
      { accessKeyId: 'ASIA2', secretAccessKey: 'two', sessionToken: 'token-2' },
      { accessKeyId: 'AKID3', secretAccessKey: 'three' },
      { accessKeyId: 'AKID3', secretAccessKey: 'three' },
    ];
    let now = issued[0] as (typeof issued)[number];
    const client = new WorkMailMessageFlowClient({
      region: 'eu-west-1',
      endpoint: `http://127.0.0.1:${port}`,
      // About to expire: the SDK asks its provider again on every request.
      credentials: async () => ({ ...now, expiration: new Date(Date.now() + 1000) }),
    });
    try {
      for (const [i, c] of issued.entries()) {
        now = c;
        (await directGet(client, `renewed-${i}`))?.resume();
      }
      expect(seen).toHaveLength(issued.length);
      for (const [i, s] of seen.entries()) {
        const c = issued[i] as (typeof issued)[number];
        expect(s.headers['x-amz-security-token']).toBe(c.sessionToken);
        expect(s.headers.authorization).toBe(await sdkAuthorization(c, port, s));
      }
    } finally {
      server.close();
    }
  });
});
