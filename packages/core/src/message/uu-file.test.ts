import { describe, expect, it } from 'vitest';
import { tnefStream } from '../testing/tnef.js';
import { endUuFile, startUuFile, takeUuLine } from './uu-file.js';

// Lines of a uuencoded file as `uuencode` writes them (45 bytes a line).
function uuLines(bytes: Buffer): string[] {
  const char = (n: number) => String.fromCharCode(n === 0 ? 96 : n + 32);
  const lines: string[] = [];
  for (let at = 0; at < bytes.length; at += 45) {
    const chunk = bytes.subarray(at, at + 45);
    let line = char(chunk.length);
    for (let i = 0; i < chunk.length; i += 3) {
      const [a = 0, b = 0, c = 0] = chunk.subarray(i, i + 3);
      line +=
        char(a >> 2) + char(((a & 3) << 4) | (b >> 4)) + char(((b & 15) << 2) | (c >> 6)) + char(c & 63);
    }
    lines.push(line);
  }
  return [...lines, '`', 'end'];
}

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
