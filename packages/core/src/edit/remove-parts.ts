import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Joiner, Splitter } from '@zone-eu/mailsplit';
import { lazyModule } from '../lazy-module.js';
import { type Edit, EditError, type PartIdentity } from './edits.js';
import { headersOf, isDigestEntry, partInfo, type SplitNode } from './part-info.js';

// Loaded on use, not at the top: rewrite-stream imports this module, and this one needs it back.
const loadRewriteStream = lazyModule(() => import('./rewrite-stream.js'));

export type PartRemoval = Extract<Edit, { kind: 'remove-parts' }>;

/** The removals for the message attached as part `id`, with ids relative to it. */
export function removalsInside(removals: readonly PartRemoval[], id: string): PartRemoval[] {
  const prefix = `${id}/`;
  return removals.flatMap((r) => {
    const ids = r.ids.filter((i) => i.startsWith(prefix)).map((i) => i.slice(prefix.length));
    if (ids.length === 0) return [];
    const expected = r.expected
      ?.filter((p) => p.id.startsWith(prefix))
      .map((p) => ({ ...p, id: p.id.slice(prefix.length) }));
    return [{ ...r, ids, ...(expected ? { expected } : {}) }];
  });
}

/**
 * The removals with what the walk listed at each of their ids and at the attached messages around them
 * (`4` for `4/2`), so the editor can check it removes those very parts.
 *
 * @example
 * ```ts
 * const edits = withExpectedParts(queued, await message.parts());
 * ```
 */
export function withExpectedParts(
  edits: readonly Edit[],
  inventory: { parts: readonly PartIdentity[] },
): Edit[] {
  const byId = new Map(inventory.parts.map((p) => [p.id, p]));
  return edits.map((edit) => {
    if (edit.kind !== 'remove-parts') return edit;
    const ids = new Set(
      edit.ids.flatMap((id) => id.split('/').map((_, i, steps) => steps.slice(0, i + 1).join('/'))),
    );
    const expected = [...ids].flatMap((id) => {
      const part = byId.get(id);
      return part ? [{ id, contentType: part.contentType, names: [...part.names] }] : [];
    });
    return { ...edit, expected };
  });
}

/**
 * True when the node is the part the walk listed: same type, and named as listed (its file name among the names
 * listed, or no file name where the walk listed none).
 */
export function isExpectedPart(node: SplitNode, expected: PartIdentity): boolean {
  // In a multipart/digest the walk reads a part without a Content-Type as an attached message (mailsplit says
  // text/plain: false-positive round 3, a digest whose entry carried a refused file bounced instead of being stripped).
  const type = isDigestEntry(node) ? 'message/rfc822' : (node.contentType || 'text/plain').toLowerCase();
  if (type !== expected.contentType) return false;
  const name = partInfo(node).filename;
  // A decoy without a name in the place of a named part (or the reverse) is not that part.
  return name === undefined ? expected.names.length === 0 : expected.names.includes(name);
}

/**
 * Rewrites an attached message (the encoded body of a message/rfc822 part) so that the given parts inside it
 * are removed, keeping its transfer encoding. Resolves with the new body and the ids removed (relative).
 */
export async function rewriteAttachedMessage(
  node: SplitNode,
  body: Buffer,
  removals: readonly PartRemoval[],
  maxPartBytes: number,
  eol: string,
): Promise<{ body: Buffer; removed: string[] }> {
  const decoded = await collect(Readable.from([body]).pipe(node.getDecoder()));
  const { RewriteStream } = await loadRewriteStream();
  const inner = new RewriteStream({ edits: removals, signedContent: 'headers-only', maxPartBytes });
  const out: Buffer[] = [];
  await pipeline(
    Readable.from([decoded]),
    new Splitter({ ignoreEmbedded: true }),
    inner,
    new Joiner(),
    new Writable({
      write(chunk: Buffer, _e, done) {
        out.push(chunk);
        done();
      },
    }),
  );
  const rewritten = Buffer.concat(out);
  const encoding = (node.encoding || '7bit').toLowerCase();
  let encoded: Buffer;
  if (encoding === 'base64' || encoding === 'quoted-printable') {
    // Quoted-printable attached messages are rare: they come back base64, which every client reads.
    headersOf(node).update('Content-Transfer-Encoding', 'base64');
    encoded = Buffer.from(wrap(rewritten.toString('base64'), eol));
  } else if (['7bit', '8bit', 'binary'].includes(encoding)) encoded = rewritten;
  else throw new EditError(`attached message in unknown transfer encoding ${encoding} cannot be rewritten`);
  return { body: encoded, removed: inner.removedIds };
}

function wrap(text: string, eol: string): string {
  const lines: string[] = [];
  for (let i = 0; i < text.length; i += 76) lines.push(text.slice(i, i + 76));
  return lines.join(eol) + eol;
}

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks);
}
