import { describe, expect, it } from 'vitest';
import { attackerKit, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 38 (session 29): each case got past the prebuilt functions before the fix.
const stack = useLocalStack();
const kit = attackerKit(stack);
const CARD = '4111 1111 1111 1111';
// A text whose first 16 bytes are a JPEG SOI/APP0 (as round 37's A37-7), then a card number.
const jpegText = () =>
  Buffer.concat([
    Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]),
    Buffer.from('JFIF\0\x01\x01\0\0\x01\0\x01\0\0', 'latin1'),
    Buffer.from(`\r\n# customer cards\r\nBob ${CARD}\r\n`),
    Buffer.alloc(100, 0x20),
  ]);

describe('A38 text files Notepad/TextEdit/editors open, starting as a JPEG', () => {
  it('control: notes.txt bounces', async () => {
    expect(await kit.outbound(outboundFile('notes.txt', jpegText(), 'application/octet-stream'))).toBe(
      'BOUNCE',
    );
  });
  it('control: statement.sta as plain text (no JPEG start) bounces', async () => {
    const plain = Buffer.from(`:20:STATEMENT\r\n:86:Bob ${CARD}\r\n`);
    expect(await kit.outbound(outboundFile('statement.sta', plain, 'application/octet-stream'))).toBe(
      'BOUNCE',
    );
  });
  it('control: notes.py (round 37 list) bounces', async () => {
    expect(await kit.outbound(outboundFile('notes.py', jpegText(), 'application/octet-stream'))).toBe(
      'BOUNCE',
    );
  });
  for (const name of [
    'notes.jsonl',
    'export.ofx',
    'export.qif',
    'statement.sta',
    'statement.mt940',
    'readme.rst',
    'notes.markdown',
    'app.config',
    'report.prn',
    'build.lst',
    'init.lua',
    'subs.ass',
  ])
    it(name, async () => {
      expect(await kit.outbound(outboundFile(name, jpegText(), 'application/octet-stream'))).toBe('BOUNCE');
    });
});
