import { deflateRawSync } from 'node:zlib';
import { compoundFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attackerKit, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 63, A63-3 (medium, DLP, careless insider): a card in a Hangul (HWP 5) document. HWP is the word
// processor file of Korean government, schools and many businesses: an OLE compound file whose `FileHeader` says
// how the other streams are stored, and Hangul compresses them by default (raw deflate): the paragraphs' UTF-16
// text records in `BodyText/Section0`, the document information, the files it embeds. The DLP read an OLE file for
// its strings as stored, so only the uncompressed preview (`PrvText`, the first lines) was read: a card further down
// the page, or in a table of the report, was sent. The document's compressed streams are now inflated and read
// (hwp-text.ts); an encrypted document (a password, a distribution document, DRM) or one that does not inflate is
// unread, so it bounces. Each attack was sent (DEFAULT) before the fix; each control is sent as before.
const stack = useLocalStack();
const kit = attackerKit(stack);
const HWP = 'application/x-hwp';

// A record of a section: tag, level and size in one little-endian word.
const record = (tag: number, data: Buffer) => {
  const head = Buffer.alloc(4);
  head.writeUInt32LE((tag & 0x3ff) | ((data.length & 0xfff) << 20), 0);
  return Buffer.concat([head, data]);
};
const PARA_HEADER = 66;
const PARA_TEXT = 67;
const section = (paragraphs: readonly string[]) =>
  Buffer.concat(
    paragraphs.flatMap((p) => [
      record(PARA_HEADER, Buffer.alloc(22)),
      record(PARA_TEXT, Buffer.from(`${p}\r`, 'utf16le')),
    ]),
  );
const fileHeader = (flags: number) => {
  const header = Buffer.alloc(256);
  header.write('HWP Document File', 0, 'latin1');
  header.writeUInt32LE(0x05010100, 32);
  header.writeUInt32LE(flags, 36);
  return header;
};
const PREVIEW = 'Quarterly travel report';
/** An HWP 5 document as Hangul saves it: header, compressed body, preview text (the test writer holds 3 streams). */
function hwp(paragraphs: readonly string[], options: { flags?: number; compress?: boolean } = {}): Buffer {
  const compress = options.compress ?? true;
  const pack = (b: Buffer) => (compress ? deflateRawSync(b) : b);
  return compoundFile([
    ['FileHeader', fileHeader(options.flags ?? (compress ? 1 : 0))],
    ['Section0', pack(section(paragraphs))],
    ['PrvText', Buffer.from(PREVIEW, 'utf16le')],
  ]);
}
const BODY = [PREVIEW, 'Hotel booked for the team, 3 nights.'];

describe('A63-3: a card in a compressed HWP document', () => {
  it('bounces a card in the body of a report', async () => {
    const file = hwp([...BODY, 'Charged to the corporate card 4111 1111 1111 1111, exp 12/29.']);
    expect(await kit.outbound(outboundFile('report.hwp', file, HWP))).toBe('BOUNCE');
  });
  it('bounces an IBAN in the body, sent as an octet stream', async () => {
    const file = hwp([...BODY, 'Refund to DE89 3704 0044 0532 0130 00']);
    expect(await kit.outbound(outboundFile('report.hwp', file))).toBe('BOUNCE');
  });
  it('bounces a document whose body does not inflate (not knowing is not allowing)', async () => {
    const file = compoundFile([
      ['FileHeader', fileHeader(1)],
      ['Section0', Buffer.from('not deflate data at all, 4111 1111', 'latin1')],
      ['PrvText', Buffer.from(PREVIEW, 'utf16le')],
    ]);
    expect(await kit.outbound(outboundFile('report.hwp', file, HWP))).toBe('BOUNCE');
  });
  it('bounces a document encrypted with a password or as a distribution document', async () => {
    for (const flags of [1 | 2, 1 | 4])
      expect(await kit.outbound(outboundFile('report.hwp', hwp(BODY, { flags }), HWP))).toBe('BOUNCE');
  });
  it('(control) sends a compressed document without a card, and one stored uncompressed', async () => {
    expect(await kit.outbound(outboundFile('report.hwp', hwp([...BODY, 'Total 1 234 000 KRW']), HWP))).toBe(
      'DEFAULT',
    );
    expect(await kit.outbound(outboundFile('report.hwp', hwp(BODY, { compress: false }), HWP))).toBe(
      'DEFAULT',
    );
  });
  it('(control) bounces a card in an uncompressed document, as before', async () => {
    const file = hwp([...BODY, 'Card 4111 1111 1111 1111'], { compress: false });
    expect(await kit.outbound(outboundFile('report.hwp', file, HWP))).toBe('BOUNCE');
  });
});
