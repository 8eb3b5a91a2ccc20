import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { closeServer } from '../emulator/flow-server.js';
import { type FaultSpec, parseFaultSpec, seededRandom } from './fault-spec.js';

/** What a {@link FaultProxy} has done so far. */
export interface FaultStats {
  requests: number;
  resets: number;
  throttles: number;
  errors: number;
  lost: number;
  partials: number;
}

/**
 * A proxy in front of a local server (the Message Flow emulator or the S3 server) that injects network
 * and service faults at random from a seed: the client sees resets mid-body, throttling, 500s, writes
 * whose answer is lost, latency. Point a client (or `AWS_ENDPOINT_URL_*`) at `endpoint`.
 *
 * @example
 * ```ts
 * const proxy = await startFaultProxy(stack.flow.endpoint, 'flow', 'seed=3,reset=0.2');
 * new WorkMailMessageFlowClient({ endpoint: proxy.endpoint });
 * ```
 */
export interface FaultProxy {
  readonly endpoint: string;
  readonly spec: FaultSpec;
  stats(): FaultStats;
  /** Stops injecting faults (requests pass through) or starts again. */
  setEnabled(enabled: boolean): void;
  /** Replaces the faults injected from now on (the random sequence goes on). */
  configure(spec: FaultSpec | string): void;
  close(): Promise<void>;
}

/**
 * Starts a {@link FaultProxy} on an ephemeral port of 127.0.0.1 in front of `upstream` (an
 * `http://127.0.0.1:<port>` endpoint). `flavor` picks how throttling and errors are worded.
 *
 * @example
 * ```ts
 * const proxy = await startFaultProxy(s3.endpoint, 's3', { seed: 1, reset: 0.1, throttle: 0, error: 0, lost: 0, latency: 0 });
 * ```
 */
export async function startFaultProxy(
  upstream: string,
  flavor: 's3' | 'flow',
  spec: FaultSpec | string,
): Promise<FaultProxy> {
  let plan = typeof spec === 'string' ? parseFaultSpec(spec) : spec;
  const random = seededRandom(plan.seed);
  const target = new URL(upstream);
  const stats: FaultStats = { requests: 0, resets: 0, throttles: 0, errors: 0, lost: 0, partials: 0 };
  let enabled = true;
  const server = createServer((req, res) => {
    stats.requests++;
    const roll = enabled ? random() : 1;
    const cut = random();
    const wait = enabled ? Math.floor(random() * plan.latency) : 0;
    handle(req, res, roll, cut, wait).catch(() => res.destroy());
  });

  async function handle(req: IncomingMessage, res: ServerResponse, roll: number, cut: number, wait: number) {
    if (wait > 0) await sleep(wait);
    const read = req.method === 'GET' || req.method === 'HEAD';
    const edges = [plan.throttle, plan.error, plan.reset, plan.lost, plan.partial ?? 0].map((_, i, all) =>
      all.slice(0, i + 1).reduce((a, b) => a + b, 0),
    );
    if (roll < (edges[0] as number)) {
      stats.throttles++;
      return answerFault(req, res, flavor, 'throttle');
    }
    if (roll < (edges[1] as number)) {
      stats.errors++;
      return answerFault(req, res, flavor, 'error');
    }
    if (roll < (edges[2] as number)) {
      stats.resets++;
      if (!read) {
        // The write never reaches the server: part of its body is read, then the connection drops.
        req.once('data', () => res.destroy());
        req.once('end', () => res.destroy());
        return;
      }
      return forward(req, res, target, { cutAt: cut });
    }
    if (!read && roll < (edges[3] as number)) {
      stats.lost++;
      return forward(req, res, target, { lose: true });
    }
    if (req.method === 'GET' && roll >= (edges[3] as number) && roll < (edges[4] as number)) {
      stats.partials++;
      return forward(req, res, target, { partialAt: cut });
    }
    return forward(req, res, target, {});
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    get spec() {
      return plan;
    },
    stats: () => ({ ...stats }),
    setEnabled: (on) => {
      enabled = on;
    },
    configure: (next) => {
      plan = typeof next === 'string' ? parseFaultSpec(next) : next;
    },
    close: () => closeServer(server),
  };
}

function forward(
  req: IncomingMessage,
  res: ServerResponse,
  target: URL,
  fault: { cutAt?: number; lose?: boolean; partialAt?: number },
): Promise<void> {
  return new Promise((resolve, reject) => {
    const out = request({
      host: target.hostname,
      port: target.port,
      method: req.method,
      path: req.url,
      headers: req.headers,
      agent: false, // one connection per request: a fault never leaves a half-used socket in a pool
    });
    out.on('error', reject);
    // A client that goes away mid-request (an aborted upload) must not leave a half request upstream.
    req.on('aborted', () => out.destroy(new Error('client aborted the request')));
    res.on('close', () => {
      if (!res.writableFinished) out.destroy();
    });
    out.on('response', (answer) => {
      if (fault.lose) {
        // Applied upstream; the client never hears so.
        answer.resume();
        answer.on('end', () => {
          res.destroy();
          resolve();
        });
        return;
      }
      const length = Number(answer.headers['content-length'] ?? 0);
      if (fault.partialAt !== undefined && answer.statusCode === 200 && length > 0) {
        return answerPart(answer, res, Math.max(1, Math.floor(fault.partialAt * length)), length).then(
          resolve,
          reject,
        );
      }
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      // An answer the server itself breaks off reaches the client broken off too, never as a clean end.
      answer.on('aborted', () => res.destroy());
      answer.on('error', () => res.destroy());
      if (fault.cutAt === undefined || length <= 0) {
        answer.pipe(res);
        answer.on('end', resolve);
        answer.on('close', resolve);
        return;
      }
      let budget = Math.floor(fault.cutAt * length);
      answer.on('data', (chunk: Buffer) => {
        if (budget <= 0) return;
        const part = chunk.subarray(0, budget);
        budget -= part.length;
        res.write(part);
        if (budget <= 0) {
          answer.destroy();
          // Let the bytes written reach the client, then reset the connection.
          res.write('', () => res.destroy());
          resolve();
        }
      });
      answer.on('end', () => {
        res.destroy();
        resolve();
      });
    });
    req.pipe(out);
  });
}

/** Answers the first `part` bytes of a whole `length`-byte answer as `206 Partial Content`, ended cleanly. */
async function answerPart(answer: IncomingMessage, res: ServerResponse, part: number, length: number) {
  const chunks: Buffer[] = [];
  for await (const chunk of answer) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks).subarray(0, part);
  res.writeHead(206, 'Partial Content', {
    ...answer.headers,
    'content-length': String(body.length),
    'content-range': `bytes 0-${body.length - 1}/${length}`,
  });
  res.end(body);
}

function answerFault(
  req: IncomingMessage,
  res: ServerResponse,
  flavor: 's3' | 'flow',
  kind: 'throttle' | 'error',
) {
  req.resume();
  if (flavor === 's3') {
    const [status, code] = kind === 'throttle' ? [503, 'SlowDown'] : [500, 'InternalError'];
    const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>injected fault</Message></Error>`;
    res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(xml) });
    res.end(xml);
    return;
  }
  const [status, name] =
    kind === 'throttle' ? [429, 'ThrottlingException'] : [500, 'InternalServerException'];
  const body = JSON.stringify({ message: 'injected fault' });
  res.writeHead(status, {
    'content-type': 'application/json',
    'x-amzn-errortype': name,
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}
