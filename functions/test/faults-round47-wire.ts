// Fault round 47: a proxy whose answers are written byte for byte on the socket (any framing, any lie), built
// from the upstream's whole answer. Beside the scripted proxy, for faults of HTTP framing it cannot express.
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** The upstream's whole answer: status, headers (lower-case names), body. */
export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** Raw bytes to write on the socket for this request, then close; or undefined to forward the answer as it is. */
export type Shape = (req: IncomingMessage, answer: Answer) => Buffer | undefined;

export interface WireProxy {
  endpoint: string;
  shape: Shape;

  log: string[];
  close(): Promise<void>;
}

/** The head of an HTTP/1.1 answer with these headers, exactly as given. */
export function head(status: number, headers: [string, string][]): string {
  return `HTTP/1.1 ${status} X\r\n${headers.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
}

/** The upstream's headers without framing ones, as pairs. */
export function plainHeaders(
  answer: Answer,
  drop: RegExp = /^(content-length|transfer-encoding|connection)$/,
): [string, string][] {
  return Object.entries(answer.headers).filter(([k]) => !drop.test(k));
}

/**
 * A proxy that forwards each request to `upstream`, reads its whole answer, and hands it to `answer` to write. The
 * handler is chosen when the request has arrived (`respond(req)`), before it is forwarded, so plans that count
 * requests see them in arrival order.
 */
export async function bufferingProxy(
  upstream: string,
  respond: (req: IncomingMessage) => (answer: Answer, res: ServerResponse) => void | Promise<void>,
): Promise<{ endpoint: string; close(): Promise<void> }> {
  const target = new URL(upstream);
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const write = respond(req);
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
      out.on('response', (up) => {
        const parts: Buffer[] = [];
        up.on('data', (c: Buffer) => parts.push(c));
        up.on('end', () => {
          const answer: Answer = { status: up.statusCode ?? 502, headers: {}, body: Buffer.concat(parts) };
          for (const [k, v] of Object.entries(up.headers)) if (typeof v === 'string') answer.headers[k] = v;
          void write(answer, res);
        });
      });
      out.end(Buffer.concat(chunks));
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** The answer as it came, its body framed by a Content-Length. */
export function forwardWhole(answer: Answer, res: ServerResponse): void {
  const h: Record<string, string> = { ...answer.headers, 'content-length': String(answer.body.length) };
  delete h['transfer-encoding'];
  res.writeHead(answer.status, h);
  res.end(answer.body);
}

export async function wireProxy(upstream: string): Promise<WireProxy> {
  const self: WireProxy = { endpoint: '', shape: () => undefined, log: [], close: async () => {} };
  const proxy = await bufferingProxy(upstream, (req) => (answer, res) => {
    const raw = self.shape(req, answer);
    self.log.push(`${req.method} ${req.url} -> ${raw ? 'shaped' : 'forward'}`);
    if (!raw) return forwardWhole(answer, res);
    const socket = res.socket;
    if (!socket) return;
    socket.write(raw);
    socket.end();
  });
  self.endpoint = proxy.endpoint;
  self.close = proxy.close;
  return self;
}

/** A local stack with a wire proxy before S3 and one before the Message Flow API, for one test file. */
export interface WiredStack {
  readonly stack: import('@wmflow/local').LocalStack;
  readonly s3w: WireProxy;
  readonly floww: WireProxy;
}
