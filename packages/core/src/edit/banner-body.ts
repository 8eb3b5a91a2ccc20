import { type Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ApplyEditsOptions } from './apply-edits.js';
import { editorStages } from './editor-stages.js';
import type { Edit } from './edits.js';

/** Whether the edits add a banner (a disclaimer at the top), the only edit a message with no text body is wrapped for. */
export function addsBanner(edits: readonly Edit[]): boolean {
  return edits.some((e) => e.kind === 'disclaimer' && e.disclaimer.position === 'top');
}

/**
 * A first pass for a banner: reads `source` through the editor's own stages (repair, split, the rewriter's
 * choice of body parts) and answers `true` when the message is a multipart in which no part a client shows as
 * the body can carry a banner, so the rewrite must wrap it ({@link ApplyEditsOptions.bodyless}). It stops at
 * the first body part found, or at a single-part root (the rewrite wraps those itself): for most mail, after
 * its first kilobytes. Only a message with no body text is read to its end. Errors are the caller's.
 *
 * @example
 * ```ts
 * const edits = [{ kind: 'disclaimer', disclaimer: { text: 'External sender', position: 'top' } }] as const;
 * const bodyless = await lacksBannerBody(createReadStream('image-only.eml'), edits);
 * const edited = editStream(createReadStream('image-only.eml'), edits, { bodyless });
 * ```
 */
export async function lacksBannerBody(
  source: Readable,
  edits: readonly Edit[],
  options: Omit<ApplyEditsOptions, 'bodyless' | 'tempDir'> = {},
): Promise<boolean> {
  if (!addsBanner(edits)) return false;
  let decided = false;
  const { repair, splitter, rewriter } = editorStages(edits, options, {
    onDecided: () => {
      decided = true;
      source.destroy();
    },
  });
  const sink = new Writable({
    objectMode: true,
    write(_chunk, _encoding, done) {
      done();
    },
  });
  try {
    await pipeline(source, repair, splitter, rewriter, sink);
  } catch (error) {
    if (!decided) throw error;
  }
  return !decided;
}
