import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { S3Client } from '@aws-sdk/client-s3';

/** A scripted loopback proxy in front of the local S3, and an S3 client that goes through it. */
export interface S3Proxy {
  /** One attempt per request: what the proxy does is what the client sees. */
  s3: S3Client;
  close(): Promise<void>;
}

/**
 * Starts a proxy whose `handle` sees each request with its whole body and answers it (usually through
 * {@link forwardTo}); a handler that throws drops the connection.
 */
export async function startS3Proxy(
  handle: (req: IncomingMessage, body: Buffer, res: ServerResponse) => Promise<void>,
): Promise<S3Proxy> {
  const proxy = createServer((req, res) => {
    (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      await handle(req, Buffer.concat(chunks), res);
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const s3 = new S3Client({
    endpoint: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    forcePathStyle: true,
    region: 'us-east-1',
    maxAttempts: 1,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  return {
    s3,
    close: async () => {
      s3.destroy();
      await new Promise((resolve) => proxy.close(resolve));
    },
  };
}

/** Sends the request on to `upstream` (the local S3's endpoint) and resolves with its answer. */
export function forwardTo(upstream: string, req: IncomingMessage, body: Buffer): Promise<IncomingMessage> {
  const { hostname, port } = new URL(upstream);
  return new Promise<IncomingMessage>((resolve, reject) => {
    const forward = request(
      { host: hostname, port, method: req.method, path: req.url, headers: req.headers },
      resolve,
    );
    forward.on('error', reject);
    forward.end(body);
  });
}
