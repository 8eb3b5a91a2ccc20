import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Joiner, Splitter } from '@zone-eu/mailsplit';
import { lazyModule } from '../lazy-module.js';
import { type Edit, EditError } from './edits.js';
import { headersOf, type SplitNode } from './part-info.js';

// Loaded on use, not at the top: rewrite-stream imports this module, and this one needs it back.
const loadRewriteStream = lazyModule(() => import('./rewrite-stream.js'));

export type PartRemoval = Extract<Edit, { kind: 'remove-parts' }>;

/** The removals for the message attached as part `id`, with ids relative to it. */
export function removalsInside(removals: readonly PartRemoval[], id: string): PartRemoval[] {
  const prefix = `${id}/`;
  return removals.flatMap((r) => {
    const ids = r.ids.filter((i) => i.startsWith(prefix)).map((i) => i.slice(prefix.length));
    return ids.length > 0 ? [{ ...r, ids }] : [];
  });
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
