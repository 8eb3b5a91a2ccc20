import { closeSync, openSync } from 'node:fs';
import { isTransient, TransientError } from './transient.js';

/**
 * A dynamic `import()` done once: later calls get the same promise. Heavy modules load on first use, not at
 * cold start, and a warm invocation does not pay the module loader again (a fresh `import()` per call costs a
 * loader round trip, much more under loader hooks such as tsx's). A load that failed is forgotten once it has
 * failed (its callers get the failure): the next call loads again, as Node 22 (the Lambda runtime) does, so one failed
 * read of a chunk (EMFILE, a file not there yet) does not fail every later invocation of the warm container. Node 20's
 * loader keeps a failed read of a module file that is there for the process's life; the load then fails again,
 * transient, never as an answer about a message.
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
      const attempt = load().catch(outOfDescriptors);
      loaded = attempt;
      attempt.catch(() => {
        if (loaded === attempt) loaded = undefined;
      });
    }
    return loaded;
  };
}

/**
 * A load that failed while the process is out of file descriptors is the machine's state, whatever the loader made of
 * it: a resolver that could not read a package's files answers `ERR_MODULE_NOT_FOUND` for a module that is there
 * (a clean-clone CI run, session 50, under tsx). Told as transient, so the invocation fails and is retried rather than a
 * protection failing closed on a clean message (fault round 79).
 */
function outOfDescriptors(error: unknown): never {
  if (!isTransient(error)) {
    try {
      closeSync(openSync('/dev/null', 'r'));
    } catch (probe) {
      const code = (probe as { code?: string }).code;
      if (code === 'EMFILE' || code === 'ENFILE')
        throw new TransientError(
          `a module failed to load while the process is out of file descriptors (${code})`,
          {
            cause: error,
          },
        );
    }
  }
  throw error;
}
