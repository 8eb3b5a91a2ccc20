import { zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attackerKit, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 66, A66-4: a zip made on Windows whose file names are not flagged UTF-8 is listed in the system's
// code page: on a Japanese Windows, 7-Zip and Explorer read `82 53 82 50 …` as the full-width digits ４１…, and a
// name ending `83 5C` + `.vbs` as `…ソ.vbs`. The readers decoded every name as UTF-8 (U+FFFD for each such byte), so a
// card number in a file's name inside an outgoing zip went out, and a backslash (the second byte of ソ) made the
// name a folder path. A name that is not flagged UTF-8 is now also read in Shift_JIS (code page 932).
const stack = useLocalStack();
const kit = attackerKit(stack);

const bytes = (...parts: (string | number[] | Buffer)[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));
// Digits as Shift_JIS full-width digits (82 4F–58), ASCII where `ascii` says so.
const fullWidth = (digits: string, ascii: (i: number) => boolean = () => false) =>
  Buffer.concat(
    [...digits].map((d, i) => (ascii(i) ? Buffer.from(d) : Buffer.from([0x82, 0x4f + Number(d)]))),
  );
const CARD = '4111111111111111';
// カード (card) in Shift_JIS.
const KAADO = [0x83, 0x4a, 0x81, 0x5b, 0x83, 0x68];

// A zip of one stored file made on Windows (host 0), not flagged UTF-8, whose name's bytes are `raw`.
function sjisNamedZip(raw: Buffer, data: string): Buffer {
  const placeholder = 'Q'.repeat(raw.length);
  const zip = zipFile([{ name: placeholder, data, method: 0 }]);
  for (let at = zip.indexOf(placeholder); at >= 0; at = zip.indexOf(placeholder, at + 1)) raw.copy(zip, at);
  return zip;
}

describe('A66-4: Shift_JIS file names in a zip not flagged UTF-8', () => {
  const cards: Record<string, Buffer> = {
    'カード４１１１….txt': bytes(KAADO, fullWidth(CARD), '.txt'),
    'full-width digits mixed with ASCII ones (no four in a row)': bytes(
      KAADO,
      fullWidth(CARD, (i) => i % 2 === 1),
      '.txt',
    ),
  };
  for (const [how, name] of Object.entries(cards))
    it(`bounces an outgoing zip holding a file named with a card number: ${how}`, async () => {
      const zip = sjisNamedZip(name, 'see the file name\r\n');
      expect(await kit.outbound(outboundFile('docs.zip', zip))).toBe('BOUNCE');
    });
  it('bounces an incoming zip holding ソ.vbs (its second byte a backslash as UTF-8 reads it)', async () => {
    const zip = sjisNamedZip(bytes('invoice', [0x83, 0x5c], '.vbs'), 'MsgBox 1\r\n');
    expect((await kit.inbound(attachedFile('invoice.zip', zip)[0])).verdict).toBe('BOUNCE');
  });
  it('(control) delivers zips of Shift_JIS names without a card number', async () => {
    // 請求書.pdf.txt, 見積２０２６.txt (a year in full-width digits), カード.txt
    const names = [
      bytes([0x90, 0xbf, 0x8b, 0x81, 0x8f, 0x91], '.txt'),
      bytes([0x8c, 0xa9, 0x90, 0xcf], fullWidth('2026'), '.txt'),
      bytes(KAADO, '.txt'),
    ];
    for (const name of names) {
      const zip = sjisNamedZip(name, 'just text\r\n');
      expect(await kit.outbound(outboundFile('docs.zip', zip)), name.toString('latin1')).toBe('DEFAULT');
      expect((await kit.inbound(attachedFile('docs.zip', zip)[0])).verdict, name.toString('latin1')).toBe(
        'DEFAULT',
      );
    }
  });
});
