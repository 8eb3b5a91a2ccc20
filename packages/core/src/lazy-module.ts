/**
 * A dynamic `import()` done once: later calls get the same promise. Heavy modules load on first use, not at
 * cold start, and a warm invocation does not pay the module loader again (a fresh `import()` per call costs a
 * loader round trip, much more under loader hooks such as tsx's).
 *
 * @example
 * ```ts
 * const loadParser = lazyModule(() => import('mailparser'));
 * const { MailParser } = await loadParser();
 * ```
 */
export function lazyModule<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () => {
    loaded ??= load();
    return loaded;
  };
}
