/**
 * Makes object writes atomic for readers, as in S3: s3rver writes an object's file in place, so a GET or
 * HEAD while it writes would see a prefix of the new object. The front marks a key while s3rver stores a
 * body that has fully arrived (never while the client is still sending it), and a read of that key waits
 * until s3rver has answered.
 *
 * @example
 * ```ts
 * const writes = new WriteVisibility();
 * const done = writes.begin('/bucket/key'); // … s3rver stores it …
 * done();
 * await writes.settled('/bucket/key');
 * ```
 */
export class WriteVisibility {
  private readonly writing = new Map<string, { count: number; done: Promise<void>; finish: () => void }>();

  /** Marks `path` as being stored; call the returned function once the store answered. */
  begin(path: string): () => void {
    let entry = this.writing.get(path);
    if (!entry) {
      let finish = () => {};
      const done = new Promise<void>((resolve) => {
        finish = resolve;
      });
      entry = { count: 0, done, finish };
      this.writing.set(path, entry);
    }
    entry.count++;
    const mine = entry;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      if (--mine.count === 0) {
        this.writing.delete(path);
        mine.finish();
      }
    };
  }

  /** Resolves once no write of `path` is being stored. */
  settled(path: string): Promise<void> {
    return this.writing.get(path)?.done ?? Promise.resolve();
  }
}
