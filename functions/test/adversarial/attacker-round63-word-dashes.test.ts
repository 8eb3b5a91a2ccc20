import { compoundFile, wordBinary } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attackerKit, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 63, A63-6 (medium-high, DLP, careless insider): a card whose groups Word's AutoFormat joined with en
// dashes, in a Word 97–2003 document. Word replaces a hyphen between spaces with an en dash as one types
// (`4111 - 1111` becomes `4111 – 1111`), and a .doc keeps Western text in compressed pieces of Windows-1252 bytes,
// where the en dash is 0x96 and the em dash 0x97. The .doc reader decoded them with node's TextDecoder
// ('windows-1252'), which since node 20.18.3 decodes that label as Latin-1 (nodejs/node#60888): 0x96 became the C1
// control U+0096, no separator, so the document the recipient opens showing `4111 – 1111 – 1111 – 1111` was sent.
// The same byte in an ANSI Outlook `.msg` property, read byte for character, or in WordPad's RTF (`\'96`), was lost
// too. Compressed pieces are now decoded with iconv's Windows-1252 (word-binary.ts), and the number detectors read
// U+0096 and U+0097 as the dashes Windows-1252 draws for those bytes (canon.ts). Each attack was sent (DEFAULT)
// before the fix; each control is sent.
const stack = useLocalStack();
const kit = attackerKit(stack);
const DOC = 'application/msword';
// Text as a compressed piece stores it: one Windows-1252 byte per character (`\u0096` is the byte 0x96).
const doc = (text: string) => wordBinary([{ text }], { compressed: true });

describe('A63-6: en and em dashes in Windows-1252 pieces and properties', () => {
  it('bounces a .doc whose card AutoFormat joined with en dashes', async () => {
    const file = doc('Please charge 4111 \u0096 1111 \u0096 1111 \u0096 1111 for the booking.');
    expect(await kit.outbound(outboundFile('booking.doc', file, DOC))).toBe('BOUNCE');
  });
  it('bounces a .doc whose card is joined by em dashes', async () => {
    const file = doc('Card: 5555\u00975555\u00975555\u00974444');
    expect(await kit.outbound(outboundFile('booking.doc', file, DOC))).toBe('BOUNCE');
  });
  it('bounces an ANSI Outlook message whose body joins the groups with en dashes', async () => {
    const msg = compoundFile([
      ['__substg1.0_1000001E', Buffer.from('Card 4111 \x96 1111 \x96 1111 \x96 1111\r\n', 'latin1')],
    ]);
    expect(await kit.outbound(outboundFile('booking.msg', msg, 'application/vnd.ms-outlook'))).toBe('BOUNCE');
  });
  it('bounces an RTF document (WordPad) whose groups are joined by escaped Windows-1252 dashes', async () => {
    for (const dash of ["\\'96", "\\'97"]) {
      const rtf = Buffer.from(`{\\rtf1\\ansi\\ansicpg1252 Card 4111${dash}1111${dash}1111${dash}1111\\par}`);
      expect(await kit.outbound(outboundFile('memo.rtf', rtf, 'application/rtf'))).toBe('BOUNCE');
    }
  });
  it('(control) sends a .doc with en dashes between other numbers', async () => {
    const file = doc('Order 2026 \u0096 0042, pages 12\u009614, 1\u00a0234,56 \u0080 \u0096 net 30 days');
    expect(await kit.outbound(outboundFile('order.doc', file, DOC))).toBe('DEFAULT');
  });
  it('(control) bounces a .doc card with hyphens, as before', async () => {
    expect(await kit.outbound(outboundFile('b.doc', doc('Card 4111-1111-1111-1111'), DOC))).toBe('BOUNCE');
  });
});
