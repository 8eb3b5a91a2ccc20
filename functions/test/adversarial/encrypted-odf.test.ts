import { randomBytes } from 'node:crypto';
import { zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachedFile, attackerKit, outboundFile } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// An OpenDocument file saved with a password (LibreOffice "Save with password", attacker round 56: A56-3) is a
// plain zip: every stream but `mimetype` and the manifest is AES-256-CBC ciphertext of deflated XML, and only
// META-INF/manifest.xml says so (a <manifest:encryption-data> in each encrypted file entry). The DLP read the
// ciphertext as the document's text and sent cards.ods; the guard delivered an .odt/.odp whose macros and slide
// actions cannot be read. Both now report it as encrypted content, as an encrypted .docx, .doc or .xls is: bounced
// unless ALLOW_ENCRYPTED_ARCHIVES.
const stack = useLocalStack();
const kit = attackerKit(stack);
const ALLOW = { ALLOW_ENCRYPTED_ARCHIVES: 'true' };
const SPREADSHEET = 'application/vnd.oasis.opendocument.spreadsheet';
const TEXT = 'application/vnd.oasis.opendocument.text';
const PRESENTATION = 'application/vnd.oasis.opendocument.presentation';
const OFFICE_NS = 'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"';
const TEXT_NS = 'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"';

const ENC = (path: string, type: string) =>
  `<manifest:file-entry manifest:full-path="${path}" manifest:media-type="${type}" manifest:size="2048"><manifest:encryption-data manifest:checksum-type="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0#sha256-1k" manifest:checksum="AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="><manifest:algorithm manifest:algorithm-name="http://www.w3.org/2001/04/xmlenc#aes256-cbc" manifest:initialisation-vector="AAAAAAAAAAAAAAAAAAAAAA=="/><manifest:start-key-generation manifest:start-key-generation-name="http://www.w3.org/2000/09/xmldsig#sha256" manifest:key-size="32"/><manifest:key-derivation manifest:key-derivation-name="PBKDF2" manifest:key-size="32" manifest:iteration-count="100000" manifest:salt="AAAAAAAAAAAAAAAAAAAAAA=="/></manifest:encryption-data></manifest:file-entry>`;
const manifestOf = (mime: string, entries: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3"><manifest:file-entry manifest:full-path="/" manifest:version="1.3" manifest:media-type="${mime}"/>${entries}</manifest:manifest>`;
/** An OpenDocument file as LibreOffice saves it with a password: content.xml and styles.xml are ciphertext. */
const encryptedOdf = (mime: string) =>
  zipFile([
    { name: 'mimetype', data: mime, method: 0 },
    {
      name: 'META-INF/manifest.xml',
      data: manifestOf(mime, ENC('content.xml', 'text/xml') + ENC('styles.xml', 'text/xml')),
    },
    { name: 'content.xml', data: randomBytes(2048), method: 0 },
    { name: 'styles.xml', data: randomBytes(1024), method: 0 },
  ]);
/** An OpenDocument file in the clear whose content.xml is `content`. */
const plainOdf = (mime: string, content: string) =>
  zipFile([
    { name: 'mimetype', data: mime, method: 0 },
    {
      name: 'META-INF/manifest.xml',
      data: manifestOf(
        mime,
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>',
      ),
    },
    { name: 'content.xml', data: content },
  ]);
const textOf = (body: string) =>
  `<?xml version="1.0"?><office:document-content ${OFFICE_NS} ${TEXT_NS}><office:body>${body}</office:body></office:document-content>`;
const verdictOf = async (name: string, file: Buffer, env = {}) =>
  (await kit.inbound(attachedFile(name, file)[0], env)).verdict;

describe('outbound: a password-protected OpenDocument file is not checked', () => {
  it('bounces cards.ods and cards.odt, as an encrypted .xlsx bounces', async () => {
    expect(await kit.outbound(outboundFile('cards.ods', encryptedOdf(SPREADSHEET)))).toBe('BOUNCE');
    expect(await kit.outbound(outboundFile('cards.odt', encryptedOdf(TEXT)))).toBe('BOUNCE');
  });
  it('bounces it whatever it is named, and inside a zip', async () => {
    expect(await kit.outbound(outboundFile('cards.zip', encryptedOdf(SPREADSHEET)))).toBe('BOUNCE');
    const zip = zipFile([{ name: 'cards.ods', data: encryptedOdf(SPREADSHEET) }]);
    expect(await kit.outbound(outboundFile('cards.zip', zip))).toBe('BOUNCE');
  });
  it('(control) ALLOW_ENCRYPTED_ARCHIVES=true sends it', async () => {
    expect(await kit.outbound(outboundFile('cards.ods', encryptedOdf(SPREADSHEET)), ALLOW)).toBe('DEFAULT');
  });
  it('(control) an unencrypted cards.ods with a card bounces as a card, and one without is sent', async () => {
    const card = plainOdf(
      SPREADSHEET,
      textOf('<office:spreadsheet><text:p>Card 4111 1111 1111 1111</text:p></office:spreadsheet>'),
    );
    expect(await kit.outbound(outboundFile('cards.ods', card))).toBe('BOUNCE');
    const none = plainOdf(
      SPREADSHEET,
      textOf('<office:spreadsheet><text:p>Lunch order</text:p></office:spreadsheet>'),
    );
    expect(await kit.outbound(outboundFile('lunch.ods', none))).toBe('DEFAULT');
  });
});

describe('inbound: a password-protected OpenDocument file cannot be checked', () => {
  it('refuses an encrypted .odt and .odp (their macros and slide actions cannot be read)', async () => {
    expect(await verdictOf('invoice.odt', encryptedOdf(TEXT))).toBe('BOUNCE');
    expect(await verdictOf('invoice.odp', encryptedOdf(PRESENTATION))).toBe('BOUNCE');
  });
  it('refuses one inside a zip', async () => {
    const zip = zipFile([{ name: 'invoice.odt', data: encryptedOdf(TEXT) }]);
    expect(await verdictOf('invoice.zip', zip)).toBe('BOUNCE');
  });
  it('(control) ALLOW_ENCRYPTED_ARCHIVES=true delivers them', async () => {
    expect(await verdictOf('invoice.odt', encryptedOdf(TEXT), ALLOW)).toBe('DEFAULT');
    expect(await verdictOf('invoice.odp', encryptedOdf(PRESENTATION), ALLOW)).toBe('DEFAULT');
  });
  it('(control) delivers an unencrypted harmless .odt', async () => {
    expect(
      await verdictOf(
        'invoice.odt',
        plainOdf(TEXT, textOf('<office:text><text:p>Invoice 42</text:p></office:text>')),
      ),
    ).toBe('DEFAULT');
  });
});
