import { brotliCompressSync, deflateSync } from 'node:zlib';
import { zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attackerKit, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 35 (session 29) against the reading of binary content of no known format for its strings.
// Each case got past outbound-policy before the fix; the controls beside them held.
const stack = useLocalStack();
const kit = attackerKit(stack);
const CARD = '4111 1111 1111 1111';

// A35-5: a French UTF-8 export, its numbers grouped by (narrow) no-break spaces, made to look binary by a DOS
// end-of-file mark or NUL padding: read as 8-bit text only, each separator was `Â` and a space. Notepad and
// Excel open UTF-8 without a byte order mark as UTF-8.
const report = (sep: string, eof = '\x1a') =>
  Buffer.concat([
    Buffer.from(`Client;Carte\r\nDupont;4111${sep}1111${sep}1111${sep}1111\r\n`, 'utf-8'),
    Buffer.from(eof, 'latin1'),
  ]);
describe('A35-5 UTF-8 text read for its strings', () => {
  it('control: ASCII spaces and ^Z', async () => {
    expect(await kit.outbound(outboundFile('export.dat', report(' ')))).toBe('BOUNCE');
  });
  it('control: no-break spaces, no control byte (read as text)', async () => {
    expect(await kit.outbound(outboundFile('export.dat', report('\u00a0', '')))).toBe('BOUNCE');
  });
  it('narrow no-break spaces (U+202F) and ^Z', async () => {
    expect(await kit.outbound(outboundFile('export.dat', report('\u202f')))).toBe('BOUNCE');
  });
  it('no-break spaces (U+00A0) and ^Z', async () => {
    expect(await kit.outbound(outboundFile('export.dat', report('\u00a0')))).toBe('BOUNCE');
  });
  it('NUL-padded, no-break spaces, in a zip', async () => {
    const zip = zipFile([
      { name: 'EXPORT.DAT', data: Buffer.concat([report('\u00a0', ''), Buffer.alloc(64)]) },
    ]);
    expect(await kit.outbound(outboundFile('export.zip', zip, 'application/zip'))).toBe('BOUNCE');
  });
});

// A35-8: text that starts like a font or a video (`true`, `free` at 4) was read as text only when its first
// twelve bytes were printable ASCII: a printer's form feed or escape, or UTF-8 letters, there kept it skipped.
describe('A35-8 text that spells a signature, beyond printable ASCII', () => {
  it('form feed, then a box type at 4, ending in ^Z', async () => {
    const file = Buffer.from(`\fTaxfree STATEMENT\r\nCARD ${CARD}\r\n\x1a`, 'latin1');
    expect(await kit.outbound(outboundFile('statement.prn', file))).toBe('BOUNCE');
  });
  it('a printer escape at 0, `free` at 4', async () => {
    const file = Buffer.from(`\x1bE\x1b(free text report\r\nCARD ${CARD}\r\n\x1a`, 'latin1');
    expect(await kit.outbound(outboundFile('statement.prn', file))).toBe('BOUNCE');
  });
  it('UTF-8 Cyrillic CSV starting `true,`, ending in ^Z', async () => {
    const csv = Buffer.concat([
      Buffer.from(`true,Иванов Иван Иванович,${CARD},Москва\r\n`.repeat(3), 'utf-8'),
      Buffer.from('\x1a', 'latin1'),
    ]);
    expect(await kit.outbound(outboundFile('export.dat', csv))).toBe('BOUNCE');
  });
  it('control: ASCII CSV starting `true,`, ending in ^Z', async () => {
    expect(await kit.outbound(outboundFile('export.dat', Buffer.from(`true,Ivanov,${CARD}\r\n\x1a`)))).toBe(
      'BOUNCE',
    );
  });
});

// A35-10: brotli and zlib streams (no signature of their own) were read for their strings, found noise and went
// out; named so (`.br`, `.zz`), they are compressed files the DLP does not open: unread.
describe('A35-10 compressed streams known by name', () => {
  const csv = Buffer.from(`name,card\r\nBob,${CARD}\r\n`.repeat(3));
  it('brotli (cards.csv.br)', async () => {
    expect(await kit.outbound(outboundFile('cards.csv.br', brotliCompressSync(csv)))).toBe('BOUNCE');
  });
  it('zlib (cards.csv.zz)', async () => {
    expect(await kit.outbound(outboundFile('cards.csv.zz', deflateSync(csv)))).toBe('BOUNCE');
  });
  it('unread, allowed as unread archives are (ALLOW_UNREAD_ARCHIVES)', async () => {
    const file = outboundFile('notes.txt.br', brotliCompressSync(Buffer.from('no numbers here')));
    expect(await kit.outbound(file)).toBe('BOUNCE');
    expect(await kit.outbound(file, { ALLOW_UNREAD_ARCHIVES: 'true' })).toBe('DEFAULT');
  });
});
