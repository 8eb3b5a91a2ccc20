import { S3Client } from '@aws-sdk/client-s3';
import type { BuildMiddleware, DeserializeMiddleware, MetadataBearer } from '@smithy/types';

let shared: S3Client | undefined;

/**
 * The S3 client for this Lambda container, created on first use and shared by every engine adapter and
 * rule (journaling). Region, credentials and endpoint come from the environment (`AWS_ENDPOINT_URL_S3`);
 * `AWS_S3_FORCE_PATH_STYLE=true` selects path-style addresses, which local S3 servers on 127.0.0.1 need.
 * Large bodies go with an unsigned payload over TLS (see {@link unsignedLargePayloads}).
 *
 * @example
 * ```ts
 * await sharedS3Client().send(new HeadObjectCommand({ Bucket: 'journal', Key: 'x' }));
 * ```
 */
export function sharedS3Client(): S3Client {
  if (!shared) {
    shared = new S3Client({ forcePathStyle: process.env.AWS_S3_FORCE_PATH_STYLE === 'true' });
    unsignedLargePayloads(shared);
    keepAnswerOnBody(shared);
  }
  return shared;
}

/**
 * Forgets the shared S3 client (tests that change the environment between cases).
 *
 * @example
 * ```ts
 * process.env.AWS_S3_FORCE_PATH_STYLE = 'true';
 * resetSharedS3Client();
 * sharedS3Client().config.forcePathStyle; // true: a new client, made from the environment as it is now
 * ```
 */
export function resetSharedS3Client(): void {
  shared = undefined;
}

/**
 * Bodies from this size on are sent with an unsigned payload (when the connection allows it).
 *
 * @example
 * ```ts
 * UNSIGNED_PAYLOAD_FROM_BYTES; // 65536 (64 KiB)
 * ```
 */
export const UNSIGNED_PAYLOAD_FROM_BYTES = 64 * 1024;

/**
 * Makes `client` send in-memory bodies of {@link UNSIGNED_PAYLOAD_FROM_BYTES} or more (the 5 MiB parts of
 * an update upload) with `x-amz-content-sha256: UNSIGNED-PAYLOAD`, S3's documented unsigned-payload option,
 * over HTTPS or to a loopback address only. Without it, SigV4 hashes every part with SHA-256 on the
 * function's CPU before sending it (about 30 ms per 25 MB on the bench machine), though TLS already
 * protects the bytes in transit and, with the SDK's default checksum setting, S3 verifies the part's CRC32.
 * Streamed bodies are unsigned already; small requests keep a signed payload.
 *
 * @example
 * ```ts
 * const s3 = unsignedLargePayloads(new S3Client({}));
 * ```
 */
export function unsignedLargePayloads(client: S3Client): S3Client {
  const middleware: BuildMiddleware<object, MetadataBearer> = (next) => async (args) => {
    const request = args.request as {
      protocol?: string;
      hostname?: string;
      headers?: Record<string, string>;
      body?: unknown;
    };
    const body = request.body;
    if (
      request.headers &&
      ArrayBuffer.isView(body) &&
      body.byteLength >= UNSIGNED_PAYLOAD_FROM_BYTES &&
      (request.protocol === 'https:' || isLoopback(request.hostname ?? ''))
    ) {
      request.headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
    }
    return next(args);
  };
  client.middlewareStack.add(middleware, { step: 'build', name: 'wmflowUnsignedLargePayloads' });
  return client;
}

/**
 * Makes `client` leave the HTTP answer's status and headers on a streamed body (`GetObject`'s `Body`) that the SDK
 * wrapped in its checksum stream, as Node's own answer carries them. With checksum validation on (the SDK's default,
 * and template.yaml's `WHEN_SUPPORTED`), an answer with a full-object `x-amz-checksum-*` header reaches wmflow as a
 * stream without them, and {@link requireDelimited} could not refuse a part of the object (206, a Content-Range), a
 * Content-Encoding or a body without a length: a part S3 gives with its own checksum (`partNumber`), served for the
 * whole object by something in between, passed as the message (fault round 72). A body that has them is left as is.
 *
 * @example
 * ```ts
 * const s3 = keepAnswerOnBody(new S3Client({}));
 * const got = await s3.send(new GetObjectCommand({ Bucket: 'journal', Key: 'x' }));
 * requireDelimited(got.Body as Readable, 'GetObject s3://journal/x', { lengthRequired: true }); // 206: refused
 * ```
 */
export function keepAnswerOnBody(client: S3Client): S3Client {
  const middleware: DeserializeMiddleware<object, MetadataBearer> = (next) => async (args) => {
    const result = await next(args);
    const answer = result.response as { statusCode?: number; headers?: Record<string, string> } | undefined;
    const body = (result.output as { Body?: unknown }).Body as
      | { statusCode?: unknown; headers?: unknown }
      | undefined;
    if (body && typeof body === 'object' && body.headers === undefined && answer?.headers) {
      Object.assign(body, { statusCode: answer.statusCode, headers: answer.headers });
    }
    return result;
  };
  // Outermost in its step: it sees the body as the deserializer and the checksum check left it.
  client.middlewareStack.add(middleware, {
    step: 'deserialize',
    priority: 'high',
    name: 'wmflowKeepAnswerOnBody',
  });
  return client;
}

function isLoopback(hostname: string): boolean {
  // An IPv4 literal in 127/8, not any name that starts with "127." (a DNS name over plain HTTP).
  return (
    hostname === 'localhost' ||
    hostname === '::1' ||
    hostname === '[::1]' ||
    /^127(\.\d{1,3}){3}$/.test(hostname)
  );
}
