// Fault round 64: a TCP proxy before a local server whose kept connections can go stale, as a server's idle
// keep-alive connections do while a Lambda container is frozen (the server closed them; the container never saw it).
import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';

/** A TCP proxy whose connections can be made stale: the next bytes a client writes on one meet a reset or a close. */
export interface FreezeProxy {
  endpoint: string;
  /** Every connection open now goes stale: the server closed it while the container was frozen. */
  freeze(how: 'reset' | 'close'): void;
  /** Requests written on a stale connection (each met the reset or the close). */
  staleHits: number;
  /** Connections opened so far. */
  opened: number;
  close(): Promise<void>;
}

export async function freezeProxy(upstream: string): Promise<FreezeProxy> {
  const target = new URL(upstream);
  const pairs = new Set<{ client: Socket; server: Socket; stale?: 'reset' | 'close' }>();
  const server: Server = createServer((client) => {
    const upstreamSocket = connect(Number(target.port), target.hostname);
    const pair: { client: Socket; server: Socket; stale?: 'reset' | 'close' } = {
      client,
      server: upstreamSocket,
    };
    pairs.add(pair);
    self.opened++;
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstreamSocket.destroy();
    };
    client.on('data', (chunk: Buffer) => {
      if (pair.stale) {
        self.staleHits++;
        if (pair.stale === 'reset') client.resetAndDestroy();
        else client.end();
        pairs.delete(pair);
        upstreamSocket.destroy();
        return;
      }
      upstreamSocket.write(chunk);
    });
    upstreamSocket.on('data', (chunk: Buffer) => client.write(chunk));
    client.on('error', end);
    upstreamSocket.on('error', end);
    client.on('close', end);
    upstreamSocket.on('close', () => {
      pairs.delete(pair);
      client.end();
    });
  });
  const self: FreezeProxy = {
    endpoint: '',
    staleHits: 0,
    opened: 0,
    freeze(how) {
      for (const pair of pairs) pair.stale = how;
    },
    close: async () => {
      for (const pair of pairs) {
        pair.client.destroy();
        pair.server.destroy();
      }
      await new Promise((resolve) => server.close(resolve));
    },
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  self.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return self;
}
