/**
 * A dynamic `import()` done once: later calls get the same promise. Heavy modules load on first use, not at
 * cold start, and a warm invocation does not pay the module loader again (a fresh `import()` per call costs a
 * loader round trip, much more under loader hooks such as tsx's). A load that failed is forgotten once it has
 * failed (its callers get the failure): the next call loads again, as Node would, so one failed read of a chunk
 * (EMFILE, a file not there yet) does not fail every later invocation of the warm container.
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
    if (!loaded) {
      const attempt = load();
      loaded = attempt;
      attempt.catch(() => {
        if (loaded === attempt) loaded = undefined;
      });
    }
    return loaded;
  };
}
