// A scripted HTTP proxy for fault tests: each request is read whole, then forwarded, answered in the server's
// place, held, or its answer re-sent chunked (whole, or ended early but well-formed) or delimited by the
// connection's close and cut (fault rounds 31 and 32).
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resetDefaultClients } from '@wmflow/core';
import { type LocalStack, startLocalStack } from '@wmflow/local';
import { afterAll, beforeAll } from 'vitest';
import { restoreEnv } from '../../test-support/restore-env.js';

/** What a scripted proxy does with one request, decided from the request and its whole body. */
export type Decide = (req: IncomingMessage, body: Buffer) => Act | Promise<Act>;
export type Act =
  | { do: 'forward' }
  /** Forward; the answer's body is sent chunked (Content-Length dropped). */
  | { do: 'forward-chunked' }
  /** Forward; the answer is re-sent chunked and ends well-formed (a last, empty chunk) after `keep` body bytes. */
  | { do: 'forward-chunked-cut'; keep: number }
  /** Answer this without reaching the server. */
  | { do: 'answer'; status: number; headers?: Record<string, string>; body: string }
  /** Forward (applied upstream), then answer this instead of the server's answer. */
  | { do: 'apply-then-answer'; status: number; headers?: Record<string, string>; body: string }
  /** Forward, then drop the connection instead of answering. */
  | { do: 'apply-then-drop' }
  /**
   * Forward; the answer goes back with no Content-Length and no chunked encoding (delimited by the connection's
   * close, as HTTP/1.1 allows), its body cut cleanly after `keep` bytes.
   */
  | { do: 'forward-close-delimited'; keep: number }
  /** Forward; the answer's head (its Content-Length kept) and `keep` body bytes are sent, then nothing: the read stalls. */
  | { do: 'forward-then-hang'; keep: number }
  /** Never answer, never forward: the request hangs until the client gives up. */
  | { do: 'hang' }
  /** Forward once `until` resolves. */
  | { do: 'after'; until: Promise<unknown> }
  /** Forward after waiting. */
  | { do: 'delay'; ms: number };

export interface ScriptedProxy {
  endpoint: string;
  decide: Decide;
  log: string[];
  close(): Promise<void>;
}

/** A proxy that reads each request whole, then does what `decide` says (one upstream connection per request). */
export async function scriptedProxy(upstream: string): Promise<ScriptedProxy> {
  const target = new URL(upstream);
  const self: ScriptedProxy = {
    endpoint: '',
    decide: () => ({ do: 'forward' }),
    log: [],
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      let act: Act;
      try {
        act = await self.decide(req, body);
      } catch {
        res.destroy();
        return;
      }
      self.log.push(`${req.method} ${req.url} -> ${act.do}`);
      if (act.do === 'answer') {
        res.writeHead(act.status, { 'content-length': String(Buffer.byteLength(act.body)), ...act.headers });
        res.end(act.body);
        return;
      }
      if (act.do === 'hang') return;
      if (act.do === 'delay') await new Promise((r) => setTimeout(r, act.ms));
      if (act.do === 'after') await act.until;
      const { expect: _e, ...headers } = req.headers;
      const out = request({
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers,
        agent: false,
      });
      out.on('error', () => res.destroy());
      out.on('response', (answer) => {
        if (act.do === 'apply-then-drop') {
          answer.resume();
          answer.on('end', () => res.destroy());
          return;
        }
        if (act.do === 'apply-then-answer') {
          answer.resume();
          answer.on('end', () => {
            res.writeHead(act.status, {
              'content-length': String(Buffer.byteLength(act.body)),
              ...act.headers,
            });
            res.end(act.body);
          });
          return;
        }
        if (act.do === 'forward-chunked-cut') {
          const h = { ...answer.headers, 'transfer-encoding': 'chunked' };
          delete h['content-length'];
          res.writeHead(answer.statusCode ?? 502, h);
          let budget = act.keep;
          answer.on('data', (chunk: Buffer) => {
            if (budget <= 0) return;
            const part = chunk.subarray(0, budget);
            budget -= part.length;
            res.write(part);
            if (budget <= 0) {
              answer.destroy();
              res.end();
            }
          });
          answer.on('end', () => res.end());
          return;
        }
        if (act.do === 'forward-then-hang') {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          let budget = act.keep;
          answer.on('data', (chunk: Buffer) => {
            if (budget <= 0) return;
            const part = chunk.subarray(0, budget);
            budget -= part.length;
            res.write(part);
            if (budget <= 0) answer.destroy();
          });
          return;
        }
        if (act.do === 'forward-close-delimited') {
          const socket = res.socket;
          if (!socket) return;
          const lines = [`HTTP/1.1 ${answer.statusCode} ${answer.statusMessage}`];
          for (let i = 0; i < answer.rawHeaders.length; i += 2) {
            const name = answer.rawHeaders[i] as string;
            if (/^(content-length|transfer-encoding|connection)$/i.test(name)) continue;
            lines.push(`${name}: ${answer.rawHeaders[i + 1]}`);
          }
          lines.push('Connection: close', '', '');
          socket.write(lines.join('\r\n'));
          let budget = act.keep;
          answer.on('data', (chunk: Buffer) => {
            if (budget <= 0) return;
            const part = chunk.subarray(0, budget);
            budget -= part.length;
            socket.write(part);
            if (budget <= 0) {
              answer.destroy();
              socket.end();
            }
          });
          answer.on('end', () => socket.end());
          return;
        }
        const h = { ...answer.headers };
        if (act.do === 'forward-chunked') delete h['content-length'];
        res.writeHead(answer.statusCode ?? 502, h);
        answer.pipe(res);
      });
      out.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  self.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return self;
}

export const isComplete = (req: IncomingMessage) =>
  req.method === 'POST' && /[?&]uploadId=/.test(req.url ?? '');
export const isUploadPart = (req: IncomingMessage) =>
  req.method === 'PUT' && /[?&]partNumber=/.test(req.url ?? '');
export const pathOf = (req: IncomingMessage) => decodeURIComponent((req.url ?? '').split('?')[0] ?? '');
export const isPlainPut = (req: IncomingMessage) =>
  req.method === 'PUT' && !/[?&](partNumber|uploadId)=/.test(req.url ?? '');

/** A local stack with a proxy before S3 and one before the Message Flow API, for one test file. */
export interface StackBehind<P> {
  readonly stack: LocalStack;
  readonly s3: P;
  readonly flow: P;
}

type Proxy = { endpoint: string; close(): Promise<void> };

/**
 * Starts a local stack before the file's tests with a proxy made by `proxy` before each of `services` (the suffix
 * of its `AWS_ENDPOINT_URL_*` variable), points the process's endpoints at the proxies (the stack's own clients
 * stay direct, to check what was really stored), and restores everything after them. The proxies are in the
 * order of `services`, filled in once the tests start.
 */
function stackWithProxies<P extends Proxy>(
  proxy: (upstream: string) => Promise<P>,
  services: readonly string[],
  buckets: string[],
  env: Record<string, string>,
): { stack: LocalStack; proxies: P[] } {
  const started = { proxies: [] } as unknown as { stack: LocalStack; proxies: P[] };
  const saved = { ...process.env };
  beforeAll(async () => {
    started.stack = await startLocalStack({ buckets });
    const pointed: Record<string, string> = {};
    for (const service of services) {
      const variable = `AWS_ENDPOINT_URL_${service}`;
      const made = await proxy(started.stack.env[variable] as string);
      started.proxies.push(made);
      pointed[variable] = made.endpoint;
    }
    Object.assign(process.env, started.stack.env, pointed, { POWERTOOLS_LOG_LEVEL: 'SILENT', ...env });
    resetDefaultClients();
  }, 60_000);
  afterAll(async () => {
    restoreEnv(saved);
    resetDefaultClients();
    for (const made of started.proxies) await made.close();
    await started.stack?.stop();
  });
  return started;
}

/**
 * Starts a {@link StackBehind} before the file's tests, each proxy made by `proxy` from the upstream endpoint,
 * and points the process's AWS endpoints at the proxies (the stack's own clients stay direct, to check what was
 * really stored); restores everything after them.
 */
export function stackBehind<P extends Proxy>(
  proxy: (upstream: string) => Promise<P>,
  buckets: string[],
  env: Record<string, string> = {},
): StackBehind<P> {
  const started = stackWithProxies(proxy, ['S3', 'WORKMAILMESSAGEFLOW'], buckets, {
    AWS_MAX_ATTEMPTS: '3',
    ...env,
  });
  return {
    get stack() {
      return started.stack;
    },
    get s3() {
      return started.proxies[0] as P;
    },
    get flow() {
      return started.proxies[1] as P;
    },
  };
}

/** A local stack with a scripted proxy before S3 and one before the Message Flow API, for one test file. */
export interface ProxiedStack {
  readonly stack: LocalStack;
  readonly s3p: ScriptedProxy;
  readonly flowp: ScriptedProxy;
}

/** {@link stackBehind} with {@link scriptedProxy}s. */
export function proxiedStack(buckets: string[], env: Record<string, string> = {}): ProxiedStack {
  const behind = stackBehind(scriptedProxy, buckets, env);
  return {
    get stack() {
      return behind.stack;
    },
    get s3p() {
      return behind.s3;
    },
    get flowp() {
      return behind.flow;
    },
  };
}

/** A local stack with one scripted proxy before one of its services, for one test file. */
export interface StackWithProxy {
  readonly stack: LocalStack;
  readonly proxy: ScriptedProxy;
}

/**
 * Starts a local stack before the file's tests with a {@link scriptedProxy} before `service` (`SES`, `S3`), points
 * the process's endpoint for it at the proxy (the stack's own clients stay direct), and restores everything after.
 */
export function proxyBefore(
  service: 'SES' | 'S3',
  buckets: string[],
  env: Record<string, string> = {},
): StackWithProxy {
  const started = stackWithProxies(scriptedProxy, [service], buckets, env);
  return {
    get stack() {
      return started.stack;
    },
    get proxy() {
      return started.proxies[0] as ScriptedProxy;
    },
  };
}
