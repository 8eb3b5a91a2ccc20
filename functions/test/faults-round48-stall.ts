// Fault round 48: a proxy that sends the first bytes of an answer's body, then holds the rest until told (or
// forever): a download that stalls mid-body, the first pass of the banner (or the edit) waiting on it.
import type { IncomingMessage } from 'node:http';
import { bufferingProxy, forwardWhole } from './faults-round47-wire.js';

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
  const counts = new Map<string, number>();
  const self: StallProxy = { endpoint: '', plan: () => undefined, log: [], close: async () => {} };
  const proxy = await bufferingProxy(upstream, (req) => {
    const n = (counts.get(req.method ?? '') ?? 0) + 1;
    counts.set(req.method ?? '', n);
    const stall = self.plan(req, n);
    self.log.push(`${req.method} ${req.url} #${n}${stall ? ` stall after ${stall.keep}` : ''}`);
    return async (answer, res) => {
      if (!stall) return forwardWhole(answer, res);
      if (stall.keep < 0) await (stall.resume ?? new Promise(() => {}));
      if (res.destroyed) return;
      const h: Record<string, string> = { ...answer.headers, 'content-length': String(answer.body.length) };
      delete h['transfer-encoding'];
      res.writeHead(answer.status, h);
      if (stall.keep < 0) {
        res.end(answer.body);
        return;
      }
      res.write(answer.body.subarray(0, stall.keep));
      await (stall.resume ?? new Promise(() => {}));
      if (!res.destroyed) res.end(answer.body.subarray(stall.keep));
    };
  });
  self.endpoint = proxy.endpoint;
  self.close = proxy.close;
  return self;
}
