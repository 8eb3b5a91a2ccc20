import { type IncomingHttpHeaders, type IncomingMessage, request, type ServerResponse } from 'node:http';
import { ChecksumMismatch, decodeAwsChunked } from './aws-chunked.js';
import { checksumMismatch } from './checksums.js';
import type { ConditionalWrites } from './conditional.js';
import { copyConditionsHold, copySourceOf, readConditionsHold, storableKey } from './copy-source.js';
import { listV1ToV2Xml, listV2ToV1 } from './list-v2.js';
import { asLocalAccount } from './local-account.js';
import type { MultipartUploads } from './multipart-uploads.js';
import { objectName, storeKey } from './store-key.js';
import type { WriteVisibility } from './write-visibility.js';

const HOP_HEADERS = ['connection', 'keep-alive', 'transfer-encoding', 'expect', 'host'];

/**
 * Forwards one S3 request to s3rver at `upstream` (host:port), fixing what
 * s3rver gets wrong with the current AWS SDK: an `aws-chunked` body is decoded
 * (and its CRC32 trailer checked) before it reaches s3rver, and ListObjectsV2
 * is answered through ListObjects so that no DES cipher is needed.
 *
 * @example
 * ```ts
 * createServer((req, res) => forwardS3(req, res, '127.0.0.1:4569'));
 * ```
 */
export async function forwardS3(
  req: IncomingMessage,
  res: ServerResponse,
  upstream: string,
  conditional?: ConditionalWrites,
  visibility?: WriteVisibility,
  uploads?: MultipartUploads,
): Promise<void> {
  const error = (status: number, code: string, message: string) => sendS3Error(res, status, code, message);
  const unstorable = [keyOfPath(req), copySourceOf(req)?.key].find(
    (key) => key !== undefined && !storableKey(key),
  );
  if (unstorable !== undefined) {
    req.resume();
    return error(
      400,
      'InvalidArgument',
      `the local S3 cannot keep the key ${JSON.stringify(unstorable)} as it is: its file store would resolve a ".", ".." or empty segment to another key (or outside the bucket)`,
    );
  }
  if (uploads && (await uploads.handle(req, res, error))) return;
  await forwardRequest(req, res, upstream, visibility, conditional, uploads);
}

async function forwardRequest(
  req: IncomingMessage,
  res: ServerResponse,
  upstream: string,
  visibility?: WriteVisibility,
  conditional?: ConditionalWrites,
  uploads?: MultipartUploads,
): Promise<void> {
  const rawPath = new URL(req.url ?? '/', 'http://s3.local').pathname;
  // One name per object whatever the percent-encoding: a read of `%41` waits for a store of `A`.
  const path = objectName(rawPath);
  // A read waits for a store of the same key in progress: s3rver writes in place, S3 shows whole objects.
  if (visibility && (req.method === 'GET' || req.method === 'HEAD')) await visibility.settled(path);
  const headers = forwardHeaders(req.headers);
  let body: Buffer | Buffer[] | IncomingMessage = req;
  if (isAwsChunked(req.headers)) {
    let length: number;
    let trailers: Record<string, string>;
    try {
      ({ body, length, trailers } = await decodeAwsChunked(req));
    } catch (error) {
      const code = error instanceof ChecksumMismatch ? 'BadDigest' : 'InvalidRequest';
      sendS3Error(res, 400, code, (error as Error).message);
      return;
    }
    // A declared trailer that never came is a checksum not checked: refused, as S3 does.
    const absent = declaredTrailers(req.headers).find((name) => !(name in trailers));
    if (absent !== undefined) {
      sendS3Error(res, 400, 'MalformedTrailerError', `the body ends without its declared trailer ${absent}`);
      return;
    }
    const declared = req.headers['x-amz-decoded-content-length'];
    if (declared !== undefined && Number(declared) !== length) {
      sendS3Error(
        res,
        400,
        'IncompleteBody',
        `decoded ${length} bytes, x-amz-decoded-content-length ${declared}`,
      );
      return;
    }
    // Checksums sent as headers (Content-MD5, a signed streaming body's x-amz-checksum-*) are of the decoded bytes.
    const mismatch = checksumMismatch(body, bodyChecksums(req));
    if (mismatch !== undefined) {
      sendS3Error(res, 400, 'BadDigest', mismatch);
      return;
    }
    headers['content-length'] = String(length);
    headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
  } else if (req.method === 'PUT' || req.method === 'POST') {
    // As S3 does, a body cut short (the client went away) stores nothing: s3rver would keep the part it got.
    const whole = await readWhole(req);
    if (!whole) {
      res.destroy();
      return;
    }
    // A checksum sent as a header is checked as S3 checks it: bytes that do not match it are not stored.
    const mismatch =
      checksumMismatch(whole, bodyChecksums(req)) ?? (await uploads?.completeChecksums(req, whole));
    if (mismatch !== undefined) {
      sendS3Error(res, 400, 'BadDigest', mismatch);
      return;
    }
    body = whole;
  }
  const source = copySourceOf(req);
  if (source) headers['x-amz-copy-source'] = source.header;
  // The body has fully arrived: from here until s3rver answers, the key is being stored.
  const stored =
    visibility && (req.method === 'PUT' || req.method === 'POST') ? visibility.begin(path) : undefined;
  const copy = async () => {
    // s3rver ignores the copy's conditions on its source: checked here, as S3 does, right before the copy.
    if (source && !(await copyConditionsHold(req, upstream, source, visibility))) return refuse();
    await sendUpstream(req, res, upstream, headers, body);
  };
  const send = () => (source ? copy() : sendUpstream(req, res, upstream, headers, body));
  const refuse = () =>
    sendS3Error(
      res,
      412,
      'PreconditionFailed',
      'At least one of the pre-conditions you specified did not hold',
    );
  try {
    if (conditional?.ordered(req)) await conditional.store(req, rawPath, send, refuse);
    else await send();
  } finally {
    stored?.();
  }
}

/** The key a request names, decoded, from its path as sent (a URL parser would resolve `..` first). */
function keyOfPath(req: IncomingMessage): string | undefined {
  return storeKey((req.url ?? '/').split('?')[0] ?? '/')?.key;
}

async function sendUpstream(
  req: IncomingMessage,
  res: ServerResponse,
  upstream: string,
  headers: Record<string, string>,
  body: Buffer | Buffer[] | IncomingMessage,
): Promise<void> {
  const listUrl = req.method === 'GET' ? listV2ToV1(req.url ?? '/') : undefined;
  const [host, port] = upstream.split(':');
  const upstreamReq = request({ host, port, method: req.method, path: listUrl ?? req.url, headers });
  const answer = new Promise<IncomingMessage>((resolve, reject) => {
    upstreamReq.on('response', resolve).on('error', reject);
  });
  if (Buffer.isBuffer(body)) upstreamReq.end(body);
  else if (Array.isArray(body)) {
    // The chunks as received (no 25 MB concatenation); Content-Length is the client's.
    for (const chunk of body) upstreamReq.write(chunk);
    upstreamReq.end();
  } else {
    // A client that goes away mid-body must not leave s3rver storing the part it sent.
    req.on('aborted', () => upstreamReq.destroy(new Error('client aborted the request')));
    body.pipe(upstreamReq);
  }
  const upstreamRes = await answer;
  if (!readConditionsHold(req, upstreamRes)) {
    // s3rver ignores If-Match and If-Unmodified-Since on reads: S3 answers 412, never another object's bytes.
    upstreamRes.destroy();
    sendS3Error(
      res,
      412,
      'PreconditionFailed',
      'At least one of the pre-conditions you specified did not hold',
    );
    return;
  }
  if (listUrl === undefined || upstreamRes.statusCode !== 200) {
    res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
    // A client that goes away mid-answer must not leave the s3rver connection open (its close would wait on it).
    res.on('close', () => {
      if (!res.writableFinished) upstreamRes.destroy();
    });
    upstreamRes.pipe(res);
    await new Promise<void>((resolve) => upstreamRes.on('end', resolve).on('close', resolve));
    return;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of upstreamRes) chunks.push(chunk as Buffer);
  const xml = Buffer.from(listV1ToV2Xml(Buffer.concat(chunks).toString('utf8'), req.url ?? '/'), 'utf8');
  res.writeHead(200, { ...upstreamRes.headers, 'content-length': String(xml.length) });
  res.end(xml);
}

/** The request body's chunks, or undefined when the request ended before all of it arrived. */
async function readWhole(req: IncomingMessage): Promise<Buffer[] | undefined> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of req) chunks.push(chunk as Buffer);
  } catch {
    return undefined;
  }
  return req.complete ? chunks : undefined;
}

/**
 * The request's header checksums of its body: CompleteMultipartUpload's `x-amz-checksum-*` are the object's
 * (its parts'), not the XML body's, and are checked against the parts (checksums.ts, completeChecksumMismatch).
 */
function bodyChecksums(req: IncomingMessage): IncomingHttpHeaders {
  const complete =
    req.method === 'POST' && new URL(req.url ?? '/', 'http://s3.local').searchParams.has('uploadId');
  if (!complete) return req.headers;
  return Object.fromEntries(
    Object.entries(req.headers).filter(([name]) => !name.startsWith('x-amz-checksum-')),
  );
}

function isAwsChunked(headers: IncomingHttpHeaders): boolean {
  const encoding = String(headers['content-encoding'] ?? '');
  return (
    /(^|,)\s*aws-chunked\s*(,|$)/i.test(encoding) ||
    /^STREAMING-/.test(String(headers['x-amz-content-sha256'] ?? ''))
  );
}

function declaredTrailers(headers: IncomingHttpHeaders): string[] {
  return String(headers['x-amz-trailer'] ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '');
}

function forwardHeaders(incoming: IncomingHttpHeaders): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined || HOP_HEADERS.includes(name)) continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  // Any access key signs in: s3rver knows one account (`S3RVER`, s3-server.ts's S3_ACCESS_KEY_ID) and does not verify
  // signatures, while a handler in SAM's container signs with the host's or SAM's default credentials.
  if (headers.authorization) headers.authorization = asLocalAccount(headers.authorization);
  if (isAwsChunked(incoming)) {
    delete headers['x-amz-decoded-content-length'];
    delete headers['x-amz-trailer'];
    const encoding = (headers['content-encoding'] ?? '')
      .split(',')
      .map((token) => token.trim())
      .filter((token) => token !== '' && token.toLowerCase() !== 'aws-chunked');
    if (encoding.length > 0) headers['content-encoding'] = encoding.join(', ');
    else delete headers['content-encoding'];
  }
  return headers;
}

/**
 * Answers with an S3 XML error.
 *
 * @example
 * ```ts
 * sendS3Error(res, 400, 'InvalidRequest', 'bad framing');
 * ```
 */
export function sendS3Error(res: ServerResponse, status: number, code: string, message: string): void {
  const escaped = message.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${escaped}</Message></Error>`;
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(xml) });
  res.end(xml);
}
