import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * How the proxy treats a request: passed through; never answered (not forwarded); forwarded and applied with its
 * answer withheld; answered with the headers and the first 1,000 bytes of the body, then nothing on an open
 * connection.
 */
export type Stall = 'pass' | 'unanswered' | 'applied-unanswered' | 'mid-body';

/** A running stalling proxy: its endpoint, what it stalled (`how METHOD url`), and how to close it. */
export interface StallingProxy {
  endpoint: string;
  stalled: string[];
  close(): Promise<void>;
}

/** A proxy to the server at `target` (an S3 endpoint) that stalls the requests `pick` chooses, as it says. */
export async function stallingProxy(
  target: string,
  pick: (req: IncomingMessage) => Stall,
): Promise<StallingProxy> {
  const to = new URL(target);
  const stalled: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const how = pick(req);
    if (how !== 'pass') stalled.push(`${how} ${req.method} ${req.url}`);
    if (how === 'unanswered') {
      req.resume();
      return;
    }
    const out = request(
      { host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        if (how === 'applied-unanswered') {
          answer.resume();
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        if (how === 'pass') {
          answer.pipe(res);
          return;
        }
        let sent = 0;
        answer.on('data', (chunk: Buffer) => {
          if (sent >= 1000) return;
          res.write(chunk.subarray(0, 1000 - sent));
          sent += Math.min(chunk.length, 1000);
        });
      },
    );
    out.on('error', () => res.destroy());
    req.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stalled,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
