import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeServer } from '../emulator/flow-server.js';
import type { WrittenObject } from './s3-tracker.js';

/** Sub-resources a PUT may address without creating an object. */
const SUBRESOURCES = ['tagging', 'acl', 'retention', 'legal-hold', 'uploadId', 'partNumber'];

/**
 * A pass-through proxy in front of the local S3 that notes every object a
 * request created (PutObject, CopyObject, CompleteMultipartUpload answered
 * 2xx) and not deleted since, so the runner knows what each message wrote without listing buckets.
 *
 * @example
 * ```ts
 * const recorder = await startS3Recorder(stack.env.AWS_ENDPOINT_URL_S3);
 * process.env.AWS_ENDPOINT_URL_S3 = recorder.endpoint;
 * recorder.take(); // objects created since the last take
 * ```
 */
export interface S3Recorder {
  readonly endpoint: string;
  take(): WrittenObject[];
  close(): Promise<void>;
}

export async function startS3Recorder(upstream: string): Promise<S3Recorder> {
  const target = new URL(upstream);
  let created = new Map<string, WrittenObject>();
  // One connection per request upstream: a late "100 Continue" left on a reused socket would be read as the
  // answer to the next request.
  const agent = new Agent({ keepAlive: false });
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://local');
    // The proxy already has the body coming; asking upstream to confirm it first is what leaves stray 100s.
    const { expect: _expect, ...headers } = req.headers;
    const forward = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers, agent },
      (answer) => {
        const ok = (answer.statusCode ?? 500) < 300;
        const [bucket, ...key] = url.pathname.slice(1).split('/').map(decodeURIComponent);
        if (ok && bucket && key.length > 0) {
          const object = { bucket, key: key.join('/') };
          if (createsObject(req.method ?? '', url.searchParams))
            created.set(`${object.bucket}/${object.key}`, object);
          // An object deleted again (a staged update discarded) was not left in S3.
          else if (req.method === 'DELETE' && !SUBRESOURCES.some((r) => url.searchParams.has(r)))
            created.delete(`${object.bucket}/${object.key}`);
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    take: () => {
      const objects = [...created.values()];
      created = new Map();
      return objects;
    },
    close: () => closeServer(server),
  };
}

function createsObject(method: string, query: URLSearchParams): boolean {
  if (method === 'POST') return query.has('uploadId');
  return method === 'PUT' && !SUBRESOURCES.some((s) => query.has(s));
}
