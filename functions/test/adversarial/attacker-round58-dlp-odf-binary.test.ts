import { olePackageObject, zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attackerKit, outboundFile } from './attacker-kit.js';
import { flatOdf } from './slide-action-builders.js';
import { useLocalStack } from './stack.js';

// Attacker round 58, A58-6 (DLP): an object written inline in OpenDocument XML (`office:binary-data`), which xmloff
// decodes in a flat document and in a zipped one's content.xml alike. The DLP read that XML as a page, its base64
// as letters: a Packager object holding cards.csv (double-clicked open by the recipient) was sent unread.
const kit = attackerKit(useLocalStack());
const ODT = 'application/vnd.oasis.opendocument.text';
const CSV = Buffer.from('name,card\r\nAnn,4111 1111 1111 1111\r\n');
const inline = (bytes: Buffer) =>
  `<text:p><draw:frame draw:name="Object1"><draw:object-ole><office:binary-data>${bytes
    .toString('base64')
    .replace(/.{76}/g, '$&\n')}</office:binary-data></draw:object-ole></draw:frame></text:p>`;
const body = `<office:text><text:p>Notes attached.</text:p>${inline(olePackageObject('cards.csv', CSV))}</office:text>`;
const odt = () =>
  zipFile([
    { name: 'mimetype', data: ODT, method: 0 },
    {
      name: 'content.xml',
      data: `<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" office:version="1.3"><office:body>${body}</office:body></office:document-content>`,
    },
  ]);

describe('A58-6: cards in an object inline in OpenDocument XML', () => {
  it('does not send a flat .fodt whose inline object packages cards.csv', async () => {
    expect(await kit.outbound(outboundFile('notes.fodt', flatOdf(ODT, body)))).toBe('BOUNCE');
  });
  it('does not send a zipped .odt whose content.xml inlines it', async () => {
    expect(await kit.outbound(outboundFile('notes.odt', odt()))).toBe('BOUNCE');
  });
  it('(control) sends the .fodt without the object', async () => {
    const plain = '<office:text><text:p>Notes attached.</text:p></office:text>';
    expect(await kit.outbound(outboundFile('notes.fodt', flatOdf(ODT, plain)))).toBe('DEFAULT');
  });
});
