import { describe, expect, it } from 'vitest';
import { linkedSource, windowsNames } from './link-names.js';

describe('linkedSource', () => {
  it('names a share path as written and as Windows resolves it', () => {
    expect(linkedSource('\\\\host\\s\\invoice.hta\\x\\..')).toEqual({ names: ['..', 'invoice.hta'] });
    expect(linkedSource('\\\\host\\s\\invoice.hta. .')).toEqual({ names: ['invoice.hta. .', 'invoice.hta'] });
  });
  it('percent-decodes a file: URL and leaves its query out', () => {
    expect(linkedSource('file:///C:/x/invoice%2Ehta?x=1').names).toContain('invoice.hta');
    expect(linkedSource('file:///C:/x/bad%zz.txt').names).toEqual(['bad%zz.txt']);
  });
  it('marks an address on a server remote, a drive path not', () => {
    expect(linkedSource('https://evil.example/doc?x=1')).toEqual({
      names: ['doc'],
      remote: 'https://evil.example/doc?x=1',
    });
    expect(linkedSource('C:\\x\\book.xlsx').remote).toBeUndefined();
    expect(linkedSource('https://evil.example/').names).toEqual(['evil.example']);
  });
  it('resolves . and .. as Windows does', () => {
    expect(windowsNames('a\\b\\.\\c\\..')).toEqual(['..', 'b']);
    expect(windowsNames('report.pdf')).toEqual(['report.pdf']);
  });
});
