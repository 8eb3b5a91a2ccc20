import { Splitter } from '@zone-eu/mailsplit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SkimmingSplitter } from '../../src/edit/skimming-splitter.js';
import { checkUpdate } from '../../src/mime/update-check.js';
import { bytewise, cut, TRICKY_LINES } from './fixtures.js';
import { events, joined, repair, repaired, type SplitEvent, stream } from './split-helpers.js';

// Fault round 84: a part boundary split across network chunks in the skimming fast path, on what the generators of
// splitter.test.ts do not build: nested multiparts (a delimiter of the outer boundary inside an inner part's body, an
// inner boundary that is a prefix of the outer one), parts with no header block, message/rfc822 parts, and chunks cut
// one to three bytes around each delimiter. The skimmer must tell its reader what mailsplit tells it, and the Joiner
// must give back mailsplit's bytes. Held over 4000 runs of each property, except for one class (below).

const B64 = 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0';
type Part =
  | { kind: 'leaf'; lines: string[]; headerless: boolean }
  | { kind: 'multi'; boundary: string; parts: Part[] };

function render(part: Part, eol: string, out: string[]): void {
  if (part.kind === 'leaf') {
    if (!part.headerless) out.push('Content-Type: text/plain', 'Content-Transfer-Encoding: 7bit');
    out.push('', ...part.lines);
    return;
  }
  out.push(`Content-Type: multipart/alternative; boundary="${part.boundary}"`, '', 'preamble');
  for (const p of part.parts) {
    out.push(`--${part.boundary}`);
    render(p, eol, out);
  }
  out.push(`--${part.boundary}--`, 'epilogue');
}

const line = (boundaries: string[]) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constant(B64) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        ...TRICKY_LINES.filter((l) => boundaries.includes('b') || !/^\r?--b(--)?\s*$/.test(l)),
      ),
    },
    {
      weight: 2,
      arbitrary: fc.constantFrom(...boundaries.flatMap((b) => [`--${b}`, `--${b}--`, `--${b}x`, `\r--${b}`])),
    },
  );

const leaf = (boundaries: string[]): fc.Arbitrary<Part> =>
  fc.record({
    kind: fc.constant('leaf' as const),
    lines: fc.array(line(boundaries), { maxLength: 8 }),
    headerless: fc.boolean(),
  });

const messages = fc
  .record({
    eol: fc.constantFrom('\r\n', '\r\n', '\n'),
    inner: fc.constantFrom('b', 'bb', 'b-1', 'c'),
    outer: fc.array(fc.oneof(leaf(['b', 'bb', 'b-1', 'c']), fc.constant('nested' as const)), {
      minLength: 1,
      maxLength: 4,
    }),
    // The outer boundary's delimiters inside a nested part's body are left to the focused test below: there the
    // skimmer's events differ from mailsplit's (reported to the lead, who owns skimming-splitter.ts).
    nested: fc.array(leaf(['bb', 'b-1', 'c']), { minLength: 1, maxLength: 3 }),
  })
  .map(nestedMessage);

/** The same, the outer boundary's delimiters allowed anywhere (for the passes that are not the skimmer). */
const anyNested = fc
  .record({
    eol: fc.constantFrom('\r\n', '\r\n', '\n', '\r'),
    inner: fc.constantFrom('b', 'bb', 'b-1', 'c'),
    outer: fc.array(fc.oneof(leaf(['b', 'bb', 'b-1', 'c']), fc.constant('nested' as const)), {
      minLength: 1,
      maxLength: 4,
    }),
    nested: fc.array(leaf(['b', 'bb', 'b-1', 'c']), { minLength: 1, maxLength: 3 }),
  })
  .map(nestedMessage);

function nestedMessage({
  eol,
  inner,
  outer,
  nested,
}: {
  eol: string;
  inner: string;
  outer: (Part | 'nested')[];
  nested: Part[];
}): Buffer {
  const out = [
    'From: a@outside.example',
    'Date: Tue, 24 Nov 2026 10:00:00 +0000',
    'Subject: s',
    'MIME-Version: 1.0',
  ];
  const root: Part = {
    kind: 'multi',
    boundary: 'b',
    parts: outer.map((p) =>
      p === 'nested' ? { kind: 'multi', boundary: inner === 'b' ? 'bb' : inner, parts: nested } : p,
    ),
  };
  render(root, eol, out);
  out.push('');
  return Buffer.from(out.join(eol), 'latin1');
}

/** Cut points near every delimiter-looking line start: 0 to 3 bytes before and after each `-` after a line end. */
function nearDelimiters(bytes: Buffer): number[] {
  const at: number[] = [];
  for (let i = bytes.indexOf('\n-'); i !== -1; i = bytes.indexOf('\n-', i + 1))
    for (let d = -3; d <= 3; d++) at.push(i + d);
  return at;
}

describe('SkimmingSplitter on nested multiparts cut around delimiters (fault round 84)', () => {
  it('gives mailsplit’s events and bytes, cut anywhere (property)', async () => {
    await fc.assert(
      fc.asyncProperty(messages, fc.array(fc.nat(), { maxLength: 16 }), async (raw, at) => {
        const bytes = await repaired(raw);
        const chunks = cut(bytes, at);
        expect(await events(new SkimmingSplitter({ ignoreEmbedded: true }), chunks)).toEqual(
          await events(new Splitter({ ignoreEmbedded: true }), chunks),
        );
        const skimmed = await joined(new SkimmingSplitter({ ignoreEmbedded: true }), chunks);
        expect(skimmed.equals(await joined(new Splitter({ ignoreEmbedded: true }), chunks))).toBe(true);
      }),
      { numRuns: 300 },
    );
  }, 600_000);

  it('gives mailsplit’s bytes, each delimiter cut one to three bytes either side (property)', async () => {
    await fc.assert(
      fc.asyncProperty(messages, fc.nat(), fc.nat(), async (raw, a, b) => {
        const bytes = await repaired(raw);
        const near = nearDelimiters(bytes);
        if (near.length === 0) return;
        const chunks = cut(bytes, [near[a % near.length] as number, near[b % near.length] as number]);
        expect(await events(new SkimmingSplitter({ ignoreEmbedded: true }), chunks)).toEqual(
          await events(new Splitter({ ignoreEmbedded: true }), chunks),
        );
        const skimmed = await joined(new SkimmingSplitter({ ignoreEmbedded: true }), chunks);
        expect(skimmed.equals(await joined(new Splitter({ ignoreEmbedded: true }), chunks))).toBe(true);
      }),
      { numRuns: 300 },
    );
  }, 600_000);
});

// Found by the first property with the outer boundary's delimiters allowed in a nested part's body (seed 216962402,
// no cut at all): RawRepair closes the inner multipart before the stray `--b--`, and the bytes after it are told as
// data of the nested multipart by mailsplit, split between it and the root by the skimmer. The Joiner gives back the
// same bytes either way (held); which node the data is told under differs, as mailsplit's own does by its input's cuts.
const STRAY = Buffer.from(
  [
    'From: a@outside.example',
    'Date: Tue, 24 Nov 2026 10:00:00 +0000',
    'Subject: s',
    'MIME-Version: 1.0',
    'Content-Type: multipart/alternative; boundary="b"',
    '',
    'preamble',
    '--b',
    'Content-Type: multipart/alternative; boundary="bb"',
    '',
    'preamble',
    '--bb',
    'Content-Type: text/plain',
    '',
    '--b--',
    '--bb',
    'Content-Type: text/plain',
    '',
    '--bb--',
    'epilogue',
    '--b--',
    'epilogue',
    '',
  ].join('\r\n'),
  'latin1',
);

describe('SkimmingSplitter: the outer close delimiter inside a nested part (fault round 84)', () => {
  it('held: the Joiner gives back mailsplit’s bytes, cut anywhere once', async () => {
    const bytes = await repaired(STRAY);
    for (let at = 0; at <= bytes.length; at++) {
      const chunks = cut(bytes, [at]);
      const skimmed = await joined(new SkimmingSplitter({ ignoreEmbedded: true }), chunks);
      expect(skimmed.equals(await joined(new Splitter({ ignoreEmbedded: true }), chunks))).toBe(true);
    }
  });

  // The skimmer cuts mailsplit's input after the blank line in the epilogue (`--bb`, a header, a blank line): mailsplit
  // tells a run of data lines under the node of its first line of that piece, so the node of the run after the stray
  // delimiter depends on where mailsplit's input is cut, the network's cuts included. The rewriter passes data on
  // whatever its node (rewrite-stream.ts), and the Joiner gives the same bytes (above).
  it('tells the data after the stray delimiter under the node mailsplit gives when its input is cut there', async () => {
    const bytes = await repaired(STRAY);
    const at = bytes.indexOf('--bb\r\nContent-Type: text/plain\r\n\r\n--bb--\r\nepilogue') + 34;
    expect(await events(new SkimmingSplitter({ ignoreEmbedded: true }), [bytes])).toEqual(
      await events(new Splitter({ ignoreEmbedded: true }), cut(bytes, [at])),
    );
  });

  it('gives mailsplit’s events, a data run’s node aside', async () => {
    const chunks = [await repaired(STRAY)];
    const nodeless = (list: SplitEvent[]) =>
      list
        .map((e) => (e.type === 'data' ? { ...e, node: -1 } : e))
        .reduce<SplitEvent[]>((merged, e) => {
          const last = merged.at(-1);
          if (last && last.type === e.type && last.node === e.node) last.bytes += e.bytes;
          else merged.push({ ...e });
          return merged;
        }, []);
    const skimmed = await events(new SkimmingSplitter({ ignoreEmbedded: true }), chunks);
    const plain = await events(new Splitter({ ignoreEmbedded: true }), chunks);
    expect(skimmed).not.toEqual(plain);
    expect(nodeless(skimmed)).toEqual(nodeless(plain));
  });
});

describe('RawRepair and the update checker on nested multiparts cut anywhere (fault round 84, held)', () => {
  it('repairs as the line-by-line path does (property)', async () => {
    await fc.assert(
      fc.asyncProperty(anyNested, fc.array(fc.nat(), { maxLength: 16 }), async (bytes, at) => {
        expect(await repair(cut(bytes, at))).toEqual(await repair(bytewise(bytes)));
      }),
      { numRuns: 200 },
    );
  }, 600_000);

  it('checks as the line-by-line path does (property)', async () => {
    const original = Buffer.from('From: a@outside.example\r\nSubject: s\r\n\r\nx\r\n', 'latin1');
    await fc.assert(
      fc.asyncProperty(anyNested, fc.array(fc.nat(), { maxLength: 16 }), async (bytes, at) => {
        expect(await checkUpdate(original, stream(cut(bytes, at)))).toEqual(
          await checkUpdate(original, stream(bytewise(bytes))),
        );
      }),
      { numRuns: 200 },
    );
  }, 600_000);
});
