import { describe, expect, it } from 'vitest';
import { tnefStream } from '../testing/tnef.js';
import { uuencode } from '../testing/uuencode.js';
import { endUuFile, quoteCutName, startUuFile, takeUuLine } from './uu-file.js';

// The lines of a uuencoded file after its begin line.
const uuLines = (bytes: Buffer) => uuencode(bytes, 'f').split('\r\n').slice(1);

function decode(lines: string[], base64 = false) {
  const file = startUuFile(base64);
  for (const line of lines) if (takeUuLine(file, line)) break;
  return endUuFile(file);
}

describe('files encoded in text', () => {
  it('sniffs a uuencoded executable', () => {
    expect(decode(['"35H', 'end']).sniffed).toBe('application/x-msdownload');
    expect(decode(uuLines(Buffer.from('%PDF-1.4 hello world, a document of some length'))).sniffed).toBe(
      'application/pdf',
    );
  });
  it('sniffs begin-base64 content up to its ==== line', () => {
    expect(decode([Buffer.from('MZ\x90\x00').toString('base64'), '===='], true).sniffed).toBe(
      'application/x-msdownload',
    );
  });
  it('reads a uuencoded winmail.dat for the files inside', () => {
    const result = decode(uuLines(tnefStream([{ title: 'EVIL.EXE' }])));
    expect(result.inner?.names).toContain('EVIL.EXE');
  });
  it('reports a TNEF stream cut short', () => {
    const lines = uuLines(tnefStream([{ title: 'EVIL.EXE' }]));
    expect(decode(lines.slice(0, 1)).inner?.problem).toBeDefined();
  });
  it('text that is not a file gives nothing', () => {
    expect(decode(['hello world', 'end'])).toEqual({ sniffed: undefined, inner: undefined });
  });
});

// Thunderbird pastes a begin line's name into `filename="…"`: its parser ends the value at a quote (round 53).
describe('quoteCutName', () => {
  it('cuts at the first unescaped quote, a backslash escaping the next character', () => {
    expect(quoteCutName('invoice.js" .txt')).toBe('invoice.js');
    expect(quoteCutName('invoice.js"; filename="invoice.txt')).toBe('invoice.js');
    expect(quoteCutName('invoice.js"')).toBe('invoice.js');
    expect(quoteCutName('in\\"voice.js" .txt')).toBe('in"voice.js');
    expect(quoteCutName('a\\\\"b.js')).toBe('a\\');
    expect(quoteCutName('a\\"b')).toBe('a"b'); // no closing quote: the escape still counts
  });
  it('gives nothing for a name without a quote, or nothing before it', () => {
    expect(quoteCutName('notes.txt')).toBeUndefined();
    expect(quoteCutName('" .txt')).toBeUndefined();
  });
  it('is linear in the name', () => {
    expect(quoteCutName(`${'\\x'.repeat(100_000)}"`)).toBe('x'.repeat(100_000));
  });
});
