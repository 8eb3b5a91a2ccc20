import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { request } from 'node:http';
import { objectName, storeKey } from './store-key.js';

/**
 * The part of S3's conditional writes wmflow relies on, which s3rver lacks: `If-None-Match: *` on
 * PutObject and CompleteMultipartUpload answers 412 PreconditionFailed when the key exists once the
 * body has arrived, as S3 decides it (a key stored meanwhile by any writer, conditional or not, wins),
 * atomically: the stores of one object are serialised, so of concurrent conditional writers exactly one
 * wins. A writer still sending its body holds nothing.
 *
 * @example
 * ```ts
 * const writes = new ConditionalWrites('127.0.0.1:4569');
 * if (writes.ordered(req)) await writes.store(req, path, () => forward(), () => refuse());
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

  /** Whether `req` writes an object (PutObject, CompleteMultipartUpload): its store goes through {@link store}. */
  ordered(req: IncomingMessage): boolean {
    const url = new URL(req.url ?? '/', 'http://s3.local');
    const upload = url.searchParams.has('uploadId');
    const put = req.method === 'PUT' && !upload && !url.searchParams.has('partNumber');
    return put || (req.method === 'POST' && upload);
  }

  /**
   * Stores a write of `path` whose body has fully arrived, once no other write of the same object is
   * being stored (whatever the percent-encoding of its key); a conditional one calls `refuse` (412)
   * instead when the key exists by then.
   */
  async store(
    req: IncomingMessage,
    path: string,
    store: () => Promise<void>,
    refuse: () => void,
  ): Promise<void> {
    const name = objectName(path);
    const previous = this.locks.get(name) ?? Promise.resolve();
    let release = () => {};
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const chained = previous.then(() => mine);
    this.locks.set(name, chained);
    await previous;
    try {
      const conditional = String(req.headers['if-none-match'] ?? '').trim() === '*';
      if (conditional && (await this.exists(path, req.headers))) refuse();
      else await store();
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
