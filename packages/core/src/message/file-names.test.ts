import { describe, expect, it } from 'vitest';
import { messageFileKind, nameExtensions, opensByExtensionOnMac } from './file-names.js';

describe('messageFileKind', () => {
  it('names the message files clients open as messages, by any spelling of the name', () => {
    for (const name of [
      'fw.eml',
      'FW.EML',
      'news.nws',
      'offer.emltpl',
      'fw.eml. ',
      'fw.eml\u200b',
      'a.vbs:fw.eml',
    ])
      expect(messageFileKind(name)).toBe('mime');
    expect(messageFileKind('mail.emlx')).toBe('emlx');
    expect(messageFileKind('mail.msg')).toBe('outlook');
    expect(messageFileKind('template.oft')).toBe('outlook');
    for (const name of ['report.pdf', 'eml', 'fw.eml.pdf', '']) expect(messageFileKind(name)).toBeUndefined();
  });
});

describe('opensByExtensionOnMac', () => {
  it('needs, at the very end, an extension an app of a stock Mac claims', () => {
    for (const name of ['Invoice.pdf', 'a/b/Note.textClipping', 'x.mp3', 'Report.DOCX'])
      expect(opensByExtensionOnMac(name)).toBe(true);
    for (const name of [
      'Invoice',
      'Invoice.pdf ',
      'Invoice.pdf\u200b',
      'Invoice.2026-11',
      'Invoice.11',
      '.rels x',
      // Extensions no app claims: Finder runs such a file with an execute bit in Terminal (attacker round 44).
      'Contract.signed',
      'Statement.nov',
      'Scan.v2',
      'report.q3',
    ])
      expect(opensByExtensionOnMac(name)).toBe(false);
  });
});

describe('nameExtensions', () => {
  it('gives the extension each spelling of a name ends with, as a file system stores it', () => {
    expect(nameExtensions('statement.OFX. ')).toEqual(['ofx']);
    expect(nameExtensions('a.vbs::$DATA')).toEqual(['vbs']);
    expect(nameExtensions('app.properties')).toEqual(['properties']);
    expect(nameExtensions('Invoice')).toEqual([]);
  });
});
