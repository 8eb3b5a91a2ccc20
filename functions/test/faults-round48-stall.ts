// Fault round 48: a proxy that sends the first bytes of an answer's body, then holds the rest until told (or
// forever): a download that stalls mid-body, the first pass of the banner (or the edit) waiting on it.
import { createServer, type IncomingMessage, request, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * For one request: send `keep` body bytes, then the rest once `resume` resolves (never, if it never does); a
 * negative `keep` holds the whole answer, head too.
 */
export interface Stall {
  keep: number;
  resume?: Promise<unknown>;
}

export interface StallProxy {
  endpoint: string;
  /** The stall for this request (`n`: how many requests of its method came before, plus one), or none. */
  plan: (req: IncomingMessage, n: number) => Stall | undefined;
  log: string[];
  close(): Promise<void>;
}

export async function stallProxy(upstream: string): Promise<StallProxy> {
  const target = new URL(upstream);
  const sockets = new Set<Socket>();
  const counts = new Map<string, number>();
  const self: StallProxy = {
    endpoint: '',
    plan: () => undefined,
    log: [],
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const n = (counts.get(req.method ?? '') ?? 0) + 1;
      counts.set(req.method ?? '', n);
      const stall = self.plan(req, n);
      self.log.push(`${req.method} ${req.url} #${n}${stall ? ` stall after ${stall.keep}` : ''}`);
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
        up.on('end', async () => {
          const body = Buffer.concat(parts);
          const h: Record<string, string | string[]> = {};
          for (const [k, v] of Object.entries(up.headers)) if (v !== undefined) h[k] = v;
          delete h['transfer-encoding'];
          h['content-length'] = String(body.length);
          if (stall && stall.keep < 0) await (stall.resume ?? new Promise(() => {}));
          if (res.destroyed) return;
          res.writeHead(up.statusCode ?? 502, h);
          if (!stall || stall.keep < 0) {
            res.end(body);
            return;
          }
          res.write(body.subarray(0, stall.keep));
          await (stall.resume ?? new Promise(() => {}));
          if (!res.destroyed) res.end(body.subarray(stall.keep));
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
  self.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return self;
}
