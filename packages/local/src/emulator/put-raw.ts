import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { checkUpdate } from '@wmflow/core/mime';
import { FlowApiError } from '../errors.js';
import { S3_BUCKET_PATTERN, S3_KEY_PATTERN } from './message-id.js';
import type { MessageStore, MessageVersion } from './message-store.js';

/** What PutRawMessageContent needs besides its input. */
export interface PutRawDeps {
  readonly store: MessageStore;
  readonly s3: S3Client;
  /**
   * Reads an object directly instead of through `s3`: its bytes whole when it holds at most `maxBytes`, else
   * as a stream (undefined: no such object).
   */
  readonly readObject?: (
    bucket: string,
    key: string,
    maxBytes: number,
  ) => Promise<Uint8Array | AsyncIterable<Uint8Array> | undefined>;
  /** Largest updated message accepted, in bytes. */
  readonly maxMessageBytes: number;
}

interface S3Reference {
  bucket: string;
  key: string;
  objectVersion?: string;
}

/**
 * PutRawMessageContent as WorkMail does it: message alive and not frozen,
 * reference valid, object readable from S3, content accepted by
 * {@link checkUpdate}; then the new version replaces the message.
 *
 * @example
 * ```ts
 * await putRawMessageContent(deps, id, { content: { s3Reference: { bucket: 'b', key: 'k' } } });
 * ```
 */
export async function putRawMessageContent(
  deps: PutRawDeps,
  id: string,
  input: unknown,
): Promise<MessageVersion> {
  deps.store.assertWritable(id);
  const reference = readReference(input);
  const body = await openObject(deps, reference);
  let content: Buffer;
  let result: Awaited<ReturnType<typeof checkUpdate>>;
  if (body instanceof Uint8Array) {
    // Read whole (one read, no chunks to join): the check goes over the very bytes that become the new version.
    if (body.length > deps.maxMessageBytes) throw oversized(deps, reference);
    content = Buffer.from(body.buffer, body.byteOffset, body.length);
    result = await checkUpdate(deps.store.current(id).content, content);
  } else {
    // The check reads the object as it arrives; the chunks are kept for the new version.
    const chunks: Uint8Array[] = [];
    result = await checkUpdate(deps.store.current(id).content, collect(deps, reference, body, chunks));
    content = Buffer.concat(chunks);
  }
  if (!result.ok) {
    throw new FlowApiError(
      'MessageRejected',
      `Message rejected: ${result.problems.map((p) => p.reason).join('; ')}`,
    );
  }
  return deps.store.update(id, content, reference);
}

function readReference(input: unknown): S3Reference {
  const reference = field(field(input, 'content'), 's3Reference');
  if (reference === undefined) throw validation('content.s3Reference', 'Member must not be null');
  const bucket = field(reference, 'bucket');
  const key = field(reference, 'key');
  const objectVersion = field(reference, 'objectVersion');
  if (typeof bucket !== 'string' || !S3_BUCKET_PATTERN.test(bucket)) {
    throw validation(
      'content.s3Reference.bucket',
      'Member must satisfy regular expression pattern: ^[a-z0-9][a-z0-9\\-]*',
    );
  }
  if (typeof key !== 'string' || !S3_KEY_PATTERN.test(key)) {
    throw validation(
      'content.s3Reference.key',
      'Member must satisfy regular expression pattern: [a-zA-Z0-9\\-/]*',
    );
  }
  if (objectVersion !== undefined && (typeof objectVersion !== 'string' || objectVersion.length === 0)) {
    throw validation(
      'content.s3Reference.objectVersion',
      'Member must have length greater than or equal to 1',
    );
  }
  return objectVersion === undefined ? { bucket, key } : { bucket, key, objectVersion };
}

async function openObject(
  deps: PutRawDeps,
  reference: S3Reference,
): Promise<Uint8Array | AsyncIterable<Uint8Array>> {
  try {
    // A versioned reference goes through S3 itself; the store read knows only the current object.
    if (deps.readObject && reference.objectVersion === undefined) {
      const found = await deps.readObject(reference.bucket, reference.key, deps.maxMessageBytes);
      if (found) return found;
      throw Object.assign(new Error(`no object at ${where(reference)}`), { name: 'NoSuchKey' });
    }
    const object = await deps.s3.send(
      new GetObjectCommand({
        Bucket: reference.bucket,
        Key: reference.key,
        VersionId: reference.objectVersion,
      }),
    );
    return object.Body as AsyncIterable<Uint8Array>;
  } catch (error) {
    const reason = error instanceof Error ? error.name : String(error);
    throw new FlowApiError(
      'InvalidContentLocation',
      `WorkMail could not read ${where(reference)}: ${reason}`,
    );
  }
}

async function* collect(
  deps: PutRawDeps,
  reference: S3Reference,
  body: AsyncIterable<Uint8Array>,
  chunks: Uint8Array[],
): AsyncGenerator<Uint8Array> {
  let length = 0;
  for await (const chunk of body) {
    length += chunk.length;
    if (length > deps.maxMessageBytes) throw oversized(deps, reference);
    chunks.push(chunk);
    yield chunk;
  }
}

function oversized(deps: PutRawDeps, reference: S3Reference): FlowApiError {
  return new FlowApiError(
    'MessageRejected',
    `Message rejected: ${where(reference)} is over ${deps.maxMessageBytes} bytes`,
  );
}

function where(reference: S3Reference): string {
  return `s3://${reference.bucket}/${reference.key}`;
}

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined;
}

function validation(path: string, constraint: string): FlowApiError {
  return new FlowApiError(
    'ValidationException',
    `1 validation error detected: Value at '${path}' failed to satisfy constraint: ${constraint}`,
  );
}
