import { describe, expect, it } from 'vitest';
import { linkedSource, windowsNames } from './link-names.js';

describe('linkedSource', () => {
  it('names a share path as written and as Windows resolves it', () => {
    expect(linkedSource('\\\\host\\s\\invoice.hta\\x\\..')).toEqual({
      names: ['..', 'invoice.hta'],
      host: 'host',
    });
    expect(linkedSource('\\\\host\\s\\invoice.hta. .')).toEqual({
      names: ['invoice.hta. .', 'invoice.hta'],
      host: 'host',
    });
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
  // Attacker round 118: a file on another computer is reached with the user's credentials, whatever it is.
  it('names the computer a path or a file: URL reaches, and none for this one', () => {
    const hosts: [string, string | undefined][] = [
      ['\\\\evil.example\\t\\x.dotx', 'evil.example'],
      ['//evil.example/t/x.dotx', 'evil.example'],
      ['file://evil.example/t/x.dotx', 'evil.example'],
      ['file:///\\\\evil.example@SSL\\t\\x.dotx', 'evil.example@SSL'],
      ['file:////evil.example/t/x.dotx', 'evil.example'],
      ['file:%2F%2Fevil.example/x.dotx', 'evil.example'],
      ['file://localhost//evil.example/x.dotx', 'evil.example'],
      ['\\\\?\\UNC\\evil.example\\t\\x.dotx', 'evil.example'],
      ['\\\\.\\unc\\evil.example\\x.dotx', 'evil.example'],
      ['\\\\?\\GLOBALROOT\\Device\\Mup\\evil.example\\x', '\\\\?\\GLOBALROOT'],
      ['\\\\', '(no name)'],
      ['file:///C:/Templates/Normal.dotm', undefined],
      ['file://localhost/C:/Templates/Normal.dotm', undefined],
      ['\\\\?\\C:\\Templates\\Normal.dotm', undefined],
      ['C:\\Templates\\Normal.dotm', undefined],
      ['/Users/bob/Normal.dotm', undefined],
      ['..\\Q3\\book.xlsx', undefined],
      ['Normal.dotm', undefined],
    ];
    for (const [source, host] of hosts) expect([source, linkedSource(source).host]).toEqual([source, host]);
    expect(linkedSource('https://evil.example/x').host).toBeUndefined();
  });
  it('resolves . and .. as Windows does', () => {
    expect(windowsNames('a\\b\\.\\c\\..')).toEqual(['..', 'b']);
    expect(windowsNames('report.pdf')).toEqual(['report.pdf']);
  });
});
