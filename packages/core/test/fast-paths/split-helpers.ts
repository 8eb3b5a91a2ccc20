// Test helpers (not exported from the package): what a splitter tells its reader, what the Joiner gives back, and
// RawRepair run over chunks, for the tests that hold the fast paths to mailsplit and the line-by-line paths.
import { Readable } from 'node:stream';
import { Joiner, type Splitter } from '@zone-eu/mailsplit';
import { RawRepair } from '../../src/edit/raw-repair.js';

export interface SplitEvent {
  node: number;
  type: string;
  bytes: string;
}

/**
 * What a splitter tells its reader, independent of how the bytes were chunked: each node with its header
 * block, then each run of body or data bytes per node and type, merged.
 */
export async function events(splitter: Splitter, chunks: Buffer[]): Promise<SplitEvent[]> {
  const nodes = new Map<object, number>();
  const out: SplitEvent[] = [];
  for await (const chunk of Readable.from(chunks).pipe(splitter)) {
    if (chunk.type === 'node') {
      nodes.set(chunk, nodes.size);
      out.push({ node: nodes.size - 1, type: 'node', bytes: chunk.getHeaders().toString('latin1') });
      continue;
    }
    const node = chunk.node ? (nodes.get(chunk.node) ?? -1) : -1;
    const bytes = chunk.value.toString('latin1');
    const last = out.at(-1);
    if (last && last.node === node && last.type === chunk.type) last.bytes += bytes;
    else out.push({ node, type: chunk.type, bytes });
  }
  return out.filter((e) => e.type === 'node' || e.bytes.length > 0);
}

/** The bytes the Joiner gives back from what `splitter` tells it. */
export async function joined(splitter: Splitter, chunks: Buffer[]): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of Readable.from(chunks).pipe(splitter).pipe(new Joiner())) parts.push(chunk);
  return Buffer.concat(parts);
}

const context = { receivedAt: new Date(Date.UTC(2026, 10, 29)), mailFrom: 'a@outside.example' };

/** RawRepair over `chunks`: the bytes it gives (Latin-1) and the repairs it names. */
export async function repair(chunks: Buffer[]): Promise<{ bytes: string; repairs: readonly string[] }> {
  const repairer = new RawRepair(context);
  const parts: Buffer[] = [];
  for await (const chunk of Readable.from(chunks).pipe(repairer)) parts.push(chunk);
  return { bytes: Buffer.concat(parts).toString('latin1'), repairs: repairer.repairs };
}

/** What the editor splits: RawRepair's output for `bytes` (part headers end with a blank line, multiparts close). */
export async function repaired(bytes: Buffer): Promise<Buffer> {
  return Buffer.from((await repair([bytes])).bytes, 'latin1');
}

export async function* stream(chunks: Buffer[]): AsyncGenerator<Buffer> {
  yield* chunks;
}
