import {
  compoundEntry,
  compoundFile,
  compoundHeader,
  compressedRtf,
  pdfFile,
  tnefStream,
} from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attackerKit, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Outbound DLP, attacker round 27: a winmail.dat whose body is its compressed RTF (PR_RTF_COMPRESSED, which
// Outlook shows as the message) and an OLE object whose embedded PDF's stream is not read (streams cross-linked to
// use up the budget, a broken chain) while a clean PDF stream reads fine. Each is read, or refused when it cannot
// be; the same shape with clean content goes through.

const stack = useLocalStack();
const kit = attackerKit(stack);

const CARD = '4111 1111 1111 1111';
const STATEMENT = pdfFile([`Statement for Bob\nCard on file: ${CARD}`], { kerned: true });
const CLEAN = pdfFile(['Statement for Bob\nNothing is due this month.'], { kerned: true });

const winmail = (rtfCompressed: Buffer) =>
  kit.outbound(outboundFile('winmail.dat', tnefStream([], { rtfCompressed }), 'application/ms-tnef'));

const SECTOR = 512;
const END = 0xfffffffe;
const FREE = 0xffffffff;

// An Acrobat-like object laid out by hand: a clean PDF (`Decoy`), then `CONTENTS` holding `pdf`, each in regular
// sectors. `budget`: three streams before `CONTENTS` share its chain, so reading them all takes more than twice the
// file; `broken`: `CONTENTS` starts at a sector past the file's end while its bytes are stored after the decoy's;
// `orphan`: no stream holds `pdf` (its sectors are listed in no chain).
function hostileObject(pdf: Buffer, layout: 'plain' | 'budget' | 'broken' | 'orphan'): Buffer {
  const pad = (b: Buffer) => {
    const body = Buffer.concat([b, Buffer.from(`\n%${'x'.repeat(Math.max(0, 8192 - b.length - 3))}\n`)]);
    return Buffer.concat([body, Buffer.alloc((SECTOR - (body.length % SECTOR)) % SECTOR)]);
  };
  const decoy = pad(CLEAN);
  const card = pad(pdf);
  const decoyStart = 3;
  const decoyCount = decoy.length / SECTOR;
  const cardStart = decoyStart + decoyCount;
  const cardCount = card.length / SECTOR;
  const fat = [0xfffffffd, 2, END];
  for (let i = 0; i < decoyCount; i++) fat.push(i < decoyCount - 1 ? decoyStart + i + 1 : END);
  for (let i = 0; i < cardCount; i++) fat.push(i < cardCount - 1 ? cardStart + i + 1 : END);
  const fatBytes = Buffer.alloc(SECTOR, 0xff);
  fat.forEach((v, k) => {
    fatBytes.writeUInt32LE(v, k * 4);
  });
  const entry = compoundEntry;
  const streams: [string, number, number][] = [['Decoy', decoyStart, decoy.length]];
  if (layout === 'budget')
    for (const n of ['D1', 'D2', 'D3']) streams.push([n, cardStart + 1, card.length - SECTOR]);
  if (layout === 'broken') streams.push(['CONTENTS', 0x7fff, card.length]);
  else if (layout !== 'orphan') streams.push(['CONTENTS', cardStart, card.length]);
  const entries = [entry('Root Entry', 5, 1, END, 0, FREE)];
  streams.forEach(([name, start, size], i) => {
    entries.push(entry(name, 2, FREE, start, size, i + 1 < streams.length ? i + 2 : FREE));
  });
  const directory = Buffer.alloc(2 * SECTOR);
  Buffer.concat(entries).copy(directory);
  const header = compoundHeader(END, 0);
  return Buffer.concat([header, fatBytes, directory, decoy, card]);
}

const doc = (ole: Buffer) => kit.outbound(outboundFile('statement.doc', ole, 'application/msword'));

describe('outbound-policy: containers (attacker round 27)', () => {
  it("reads a winmail.dat's compressed RTF body (PR_RTF_COMPRESSED) as the RTF Outlook shows", async () => {
    const body = `{\\rtf1\\ansi\\ansicpg1252\\pard Card on file: ${CARD}, ${CARD}\\par }`;
    // Back-references: the number is no longer among the file's strings.
    expect(await winmail(compressedRtf(body))).toBe('BOUNCE');
    expect(await winmail(compressedRtf(body, { mode: 'literal' }))).toBe('BOUNCE');
    expect(await winmail(compressedRtf(body, { mode: 'stored' }))).toBe('BOUNCE');
    // Its digits written as \'3x escapes.
    const escaped = CARD.replace(/\d/g, (d) => `\\'3${d}`);
    expect(await winmail(compressedRtf(`{\\rtf1\\ansi Card ${escaped}\\par }`, { mode: 'literal' }))).toBe(
      'BOUNCE',
    );
    // A body that cannot be decompressed is refused.
    const cut = compressedRtf(body);
    cut.writeUInt32LE(0x12345678, 8);
    expect(await winmail(cut)).toBe('BOUNCE');
    expect(
      await winmail(
        compressedRtf('{\\rtf1\\ansi\\ansicpg1252\\pard Thanks for the call, see you on 12 May.\\par }'),
      ),
    ).toBe('DEFAULT');
  });

  it("refuses an OLE object whose stream cannot be read, and reads a PDF stored where no stream's sectors lie", async () => {
    expect(await doc(hostileObject(STATEMENT, 'plain'))).toBe('BOUNCE');
    expect(await doc(hostileObject(CLEAN, 'plain'))).toBe('DEFAULT');
    expect(await doc(hostileObject(STATEMENT, 'budget'))).toBe('BOUNCE');
    expect(await doc(hostileObject(STATEMENT, 'broken'))).toBe('BOUNCE');
    expect(await doc(hostileObject(STATEMENT, 'orphan'))).toBe('BOUNCE');
    expect(await doc(hostileObject(CLEAN, 'orphan'))).toBe('DEFAULT');
    // A compound file a writer made, with a clean PDF: read through its tables, its mini stream too.
    expect(await doc(compoundFile([['CONTENTS', CLEAN]]))).toBe('DEFAULT');
    expect(await doc(compoundFile([['CONTENTS', STATEMENT]]))).toBe('BOUNCE');
  });
});
