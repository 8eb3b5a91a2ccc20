import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { request } from 'node:http';
import { objectName, storeKey } from './store-key.js';

/**
 * The part of S3's conditional writes wmflow relies on, which s3rver lacks: `If-None-Match: *` on
 * PutObject and CompleteMultipartUpload answers 412 PreconditionFailed when the key exists, atomically
 * (writes to one key are serialised, so of concurrent writers exactly one wins), and
 * AbortMultipartUpload answers 204 (s3rver: 405).
 *
 * @example
 * ```ts
 * const writes = new ConditionalWrites('127.0.0.1:4569');
 * if (await writes.handle(req, res, () => forward())) return;
 * ```
 */
export class ConditionalWrites {
  private readonly locks = new Map<string, Promise<void>>();

  /**
   * `lookup` answers whether a key exists straight from s3rver's store (a stat of one file); without it,
   * or for a path it cannot decode, the check is a HEAD to s3rver, a loopback round trip through its
   * whole middleware stack (about 1.6 ms a conditional write, where S3 checks in place).
   */
  constructor(
    private readonly upstream: string,
    private readonly lookup?: (bucket: string, key: string) => Promise<boolean>,
  ) {}

  /**
   * Handles the request when it is one of these; `forward` sends it on to s3rver and resolves when
   * the answer is complete. Resolves false for other requests, which the caller forwards itself.
   */
  async handle(
    req: IncomingMessage,
    res: ServerResponse,
    forward: () => Promise<void>,
    sendError: (status: number, code: string, message: string) => void,
  ): Promise<boolean> {
    const url = new URL(req.url ?? '/', 'http://s3.local');
    const upload = url.searchParams.has('uploadId');
    if (req.method === 'DELETE' && upload) {
      req.resume();
      res.writeHead(204).end();
      return true;
    }
    const conditional = String(req.headers['if-none-match'] ?? '').trim() === '*';
    const put = req.method === 'PUT' && !upload && !url.searchParams.has('partNumber');
    const complete = req.method === 'POST' && upload;
    if (!conditional || !(put || complete)) return false;
    const key = url.pathname;
    // Writers of one object are serialised whatever their percent-encoding of its key.
    const name = objectName(key);
    const previous = this.locks.get(name) ?? Promise.resolve();
    let release = () => {};
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const chained = previous.then(() => mine);
    this.locks.set(name, chained);
    await previous;
    try {
      if (await this.exists(key, req.headers)) {
        req.resume();
        sendError(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold');
        return true;
      }
      await forward();
      return true;
    } finally {
      release();
      if (this.locks.get(name) === chained) this.locks.delete(name);
    }
  }

  private exists(path: string, incoming: IncomingHttpHeaders): Promise<boolean> {
    const parts = this.lookup ? storeKey(path) : undefined;
    if (parts && this.lookup) return this.lookup(parts.bucket, parts.key);
    // s3rver checks that a request is signed, not the signature: the writer's own signing headers do.
    const headers: Record<string, string> = {};
    for (const name of ['authorization', 'x-amz-date', 'x-amz-security-token']) {
      const value = incoming[name];
      if (typeof value === 'string') headers[name] = value;
    }
    headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
    const [host, port] = this.upstream.split(':');
    return new Promise((resolve, reject) => {
      const head = request({
        host,
        port,
        method: 'HEAD',
        path,
        headers,
      });
      head.on('response', (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      });
      head.on('error', reject);
      head.end();
    });
  }
}
