/**
 * An object the local S3 stored or removed: what its file store did, whatever the request's path through
 * proxies, and whether or not its answer reached the client.
 *
 * @example
 * ```ts
 * const change: ObjectChange = { kind: 'stored', bucket: 'journal', key: 'a/b.eml' };
 * ```
 */
export interface ObjectChange {
  readonly kind: 'stored' | 'removed';
  readonly bucket: string;
  readonly key: string;
}

/** Called with each change, once the store has made it (before s3rver answers the request). */
export type ObjectChangeListener = (change: ObjectChange) => void;

/** The file store's methods that create or remove an object. */
interface WritingStore {
  putObject(object: { bucket: string; key: string }): Promise<unknown>;
  copyObject(
    srcBucket: string,
    srcKey: string,
    destBucket: string,
    destKey: string,
    replacementMetadata: unknown,
  ): Promise<unknown>;
  /** Answers the key it stored (multipart-complete.ts): its arguments name the upload, not the key. */
  putObjectMultipart(bucket: string, uploadId: string, parts: unknown): Promise<{ key: string }>;
  deleteObject(bucket: string, key: string): Promise<unknown>;
}

/**
 * Reports every object the store writes or deletes to the listeners added with `watch`. Observed at the
 * store rather than at an HTTP proxy: a write whose answer a fault dropped was still stored, and a write
 * refused (412, a bad part list) or cut short stored nothing.
 *
 * @example
 * ```ts
 * const changes = reportStoreChanges(store);
 * const stop = changes.watch((c) => console.error(c.kind, c.bucket, c.key));
 * stop();
 * ```
 */
export function reportStoreChanges(store: WritingStore): {
  watch(listener: ObjectChangeListener): () => void;
} {
  const listeners = new Set<ObjectChangeListener>();
  const tell = (change: ObjectChange) => {
    for (const listener of listeners) listener(change);
  };
  const { putObject, copyObject, putObjectMultipart, deleteObject } = store;
  store.putObject = async (object) => {
    const done = await putObject.call(store, object);
    tell({ kind: 'stored', bucket: object.bucket, key: object.key });
    return done;
  };
  store.copyObject = async (srcBucket, srcKey, destBucket, destKey, replacement) => {
    const done = await copyObject.call(store, srcBucket, srcKey, destBucket, destKey, replacement);
    tell({ kind: 'stored', bucket: destBucket, key: destKey });
    return done;
  };
  store.putObjectMultipart = async (bucket, uploadId, parts) => {
    const done = await putObjectMultipart.call(store, bucket, uploadId, parts);
    tell({ kind: 'stored', bucket, key: done.key });
    return done;
  };
  store.deleteObject = async (bucket, key) => {
    const done = await deleteObject.call(store, bucket, key);
    tell({ kind: 'removed', bucket, key });
    return done;
  };
  return {
    watch: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
