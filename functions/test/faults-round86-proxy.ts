// Fault round 86: a proxy that forwards every request and, while `cut` is set, sends the answer to a GET of a
// message (GetRawMessageContent) with its Content-Length but only its first `cut.keep` body bytes, then resets the
// connection (`reset`) or holds it open until the client gives up (`stall`).
import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CuttingProxy {
  endpoint: string;
  cut: { keep: number; how: 'reset' | 'stall' } | undefined;
  /** While set, a GET of a message is answered whole, in pieces cut at these offsets, a pause between them. */
  split: number[] | undefined;
  /** While set, a PUT (an upload of the edited message) is held unanswered until the client gives up. */
  holdPuts: boolean;
  /** GETs of a message answered cut. */
  cuts: number;
  close(): Promise<void>;
}

export async function cuttingProxy(upstream: string): Promise<CuttingProxy> {
  const target = new URL(upstream);
  const self: CuttingProxy = {
    endpoint: '',
    cut: undefined,
    split: undefined,
    holdPuts: false,
    cuts: 0,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (self.holdPuts && req.method === 'PUT') {
      req.resume();
      return;
    }
    const upstreamReq = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        const cut = self.cut;
        const isMessageGet = req.method === 'GET' && /^\/messages\//.test(req.url ?? '');
        res.writeHead(answer.statusCode ?? 500, answer.headers);
        const split = self.split;
        if (split && isMessageGet && answer.statusCode === 200) {
          self.cuts++;
          const chunks: Buffer[] = [];
          answer.on('data', (c: Buffer) => chunks.push(c));
          answer.on('end', async () => {
            const body = Buffer.concat(chunks);
            let from = 0;
            for (const at of [...split, body.length]) {
              res.write(body.subarray(from, at));
              from = at;
              await new Promise((resolve) => setTimeout(resolve, 15));
            }
            res.end();
          });
          return;
        }
        if (!cut || !isMessageGet || answer.statusCode !== 200) {
          answer.pipe(res);
          return;
        }
        self.cuts++;
        let budget = cut.keep;
        answer.on('data', (chunk: Buffer) => {
          if (budget <= 0) return;
          const part = chunk.subarray(0, budget);
          budget -= part.length;
          res.write(part);
          if (budget <= 0) {
            answer.destroy();
            if (cut.how === 'reset') setTimeout(() => res.socket?.destroy(), 20);
          }
        });
      },
    );
    upstreamReq.on('error', () => res.destroy());
    req.pipe(upstreamReq);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  self.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return self;
}
