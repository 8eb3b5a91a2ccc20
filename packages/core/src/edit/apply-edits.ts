import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Joiner } from '@zone-eu/mailsplit';
import { editorStages } from './editor-stages.js';
import type { Edit } from './edits.js';
import type { RepairContext } from './raw-repair.js';
import type { SignedContentPolicy } from './rewrite-stream.js';

export { addsBanner, lacksBannerBody } from './banner-body.js';
export { withExpectedParts } from './remove-parts.js';

/** Options of {@link applyEdits}. */
export interface ApplyEditsOptions {
  /** Signed or encrypted content: `headers-only` (default) leaves bodies alone. */
  signedContent?: SignedContentPolicy;
  /** Largest part decoded or buffered for an edit. Default 10 MiB. */
  maxPartBytes?: number;
  /** Largest header block of any part. Default 1 MiB. */
  maxHeaderBytes?: number;
  /** Folder for the rewritten message. Default the OS temporary folder. */
  tempDir?: string;
  /** Receipt time and envelope sender, for repairs of a missing `Date` or `From`. Default now and the null sender. */
  repair?: RepairContext;
  /**
   * The source has no announced length (a chunked answer): a multipart it leaves open may be a cut read, so
   * the edit fails with an `EditError` instead of closing it. Default false.
   */
  lengthUnknown?: boolean;
  /**
   * The message is a multipart in which no part a client shows as the body can carry a banner, as
   * {@link lacksBannerBody} found in a first pass: a top disclaimer then wraps the whole message after a part
   * of its own. Default false (the banner is reported skipped for such a message).
   */
  bodyless?: boolean;
}

/** The rewritten message on disk, and what was done and left undone. */
export interface AppliedEdits {
  /** Path of the rewritten message (delete it when done). */
  path: string;
  size: number;
  /** What changed, in words. */
  changes: string[];
  /** Edits left undone, with the reason. */
  skipped: string[];
}

/**
 * Applies queued edits to a message in one streaming pass and writes the result
 * to a temporary file. Parts no edit touches keep their bytes. Before the edits, what would make
 * WorkMail refuse the update and an MTA would repair is repaired ({@link RawRepair}); each repair
 * is listed first in `changes`, as `repaired: …`.
 *
 * @example
 * ```ts
 * const result = await applyEdits(createReadStream('in.eml'), [{ kind: 'prefix-subject', prefix: '[EXT]' }]);
 * console.log(result.changes, result.path);
 * ```
 */
export async function applyEdits(
  source: Readable,
  edits: readonly Edit[],
  options: ApplyEditsOptions = {},
): Promise<AppliedEdits> {
  const path = join(options.tempDir ?? tmpdir(), `wmflow-edit-${randomUUID()}.eml`);
  const edited = editStream(source, edits, options);
  const file = createWriteStream(path, { mode: 0o600 });
  try {
    await pipeline(edited.stream, file);
    const { changes, skipped } = await edited.result;
    const { size } = await stat(path);
    return { path, size, changes, skipped };
  } catch (error) {
    // A source that fails at once can beat the file's open: removed before that, the file would be created after.
    if (!file.closed) await once(file, 'close').catch(() => {});
    await rm(path, { force: true }); // a failed rewrite must not fill Lambda's /tmp
    throw error;
  }
}

/** The edited message as a stream, and what the edits did once it has been read to the end. */
export interface EditedStream {
  stream: Readable;
  /** Settles when the stream has ended (or failed): the changes made, repairs first, and the edits skipped. */
  result: Promise<{ changes: string[]; skipped: string[] }>;
}

/**
 * The streaming core of {@link applyEdits}, without the temporary file: the edited bytes flow out as they
 * are made, with the reader's backpressure (nothing is held but the part being rewritten).
 *
 * @example
 * ```ts
 * const edited = editStream(createReadStream('in.eml'), [{ kind: 'prefix-subject', prefix: '[EXT]' }]);
 * await pipeline(edited.stream, createWriteStream('out.eml'));
 * console.log((await edited.result).changes);
 * ```
 */
export function editStream(
  source: Readable,
  edits: readonly Edit[],
  options: ApplyEditsOptions = {},
): EditedStream {
  const { repair, splitter, rewriter } = editorStages(edits, options, { bodyless: options.bodyless });
  const joiner = new Joiner();
  // Two parts in flight, as between the splitter and the rewriter (Node's default is 16 objects).
  const writable = (joiner as unknown as { _writableState?: { highWaterMark: number } })._writableState;
  if (writable) writable.highWaterMark = 2;
  const done = pipeline(source, repair, splitter, rewriter, joiner);
  // Repairs come first: they are what made the edits acceptable to WorkMail.
  const result = done.then(() => ({
    changes: [...repair.repairs.map((r) => `repaired: ${r}`), ...rewriter.changes],
    skipped: [...repair.unrepairable.map((u) => `not repaired: ${u}`), ...rewriter.skipped],
  }));
  result.catch(() => undefined); // read through `result` or the stream's 'error', whichever the caller uses
  return { stream: joiner as unknown as Readable, result };
}
