import { zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { appleDouble, QUARANTINE, WHERE_FROMS } from './apple-double-kit.js';
import { attackerKit } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// False-positive round 14 (round 13's lead): a Finder zip of a web folder (an HTML e-mail template, a static site)
// carries `__MACOSX/Site/._index.html` beside the page, and Apple Mail's `multipart/appledouble` names its header
// part `index.html`. The guard's page scan cannot read NUL bytes (UTF-16 text has them), so each was bounced as "a
// page that runs when opened". A companion holds no `<` byte: no browser reads an element out of it.
const kit = attackerKit(useLocalStack());
const CRLF = '\r\n';

const COMPANION = appleDouble([QUARANTINE, WHERE_FROMS]);
const PAGE = Buffer.from(
  '<!DOCTYPE html><html><head><meta charset="utf-8"><link rel="stylesheet" href="style.css"></head><body><table><tr><td><img src="images/logo.png" alt="Corp"></td></tr><tr><td><h1>Winter newsletter</h1><p>News from the team.</p></td></tr></table></body></html>',
);
const CSS = Buffer.from('body { font-family: Helvetica, Arial, sans-serif; }');
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(64)]);
/** A Finder zip of `folder`: each file and, under `__MACOSX/`, its companion (`companion(name)`). */
const finderZip = (
  folder: string,
  files: ReadonlyArray<[string, Buffer]>,
  companion = (_name: string) => COMPANION,
) =>
  zipFile([
    ...files.map(([name, data]) => ({ name: `${folder}/${name}`, data })),
    ...files.map(([name]) => {
      const at = name.lastIndexOf('/') + 1;
      return { name: `__MACOSX/${folder}/${name.slice(0, at)}._${name.slice(at)}`, data: companion(name) };
    }),
  ]);
const SITE: ReadonlyArray<[string, Buffer]> = [
  ['index.html', PAGE],
  ['style.css', CSS],
  ['images/logo.png', PNG],
];
const base64 = (bytes: Buffer) => bytes.toString('base64').replace(/.{76}/g, `$&${CRLF}`);
/** An attachment part as Apple Mail writes one (its header order, folded parameters). */
const filePart = (type: string, name: string, bytes: Buffer) =>
  [
    'Content-Transfer-Encoding: base64',
    `Content-Type: ${type};${CRLF}\tname="${name}"`,
    `Content-Disposition: attachment;${CRLF}\tfilename="${name}"`,
    '',
    base64(bytes),
  ].join(CRLF);
const multipart = (subtype: string, boundary: string, parts: readonly string[]) =>
  [
    `Content-Type: multipart/${subtype};${CRLF}\tboundary="${boundary}"`,
    '',
    ...parts.flatMap((part) => [`--${boundary}`, part]),
    `--${boundary}--`,
    '',
  ].join(CRLF);
const textPart =
  'Content-Transfer-Encoding: 7bit\r\nContent-Type: text/plain;\r\n\tcharset=us-ascii\r\n\r\nHi, the file is attached.\r\n';
/** A message from `from` to `to` with `parts` after Apple Mail's text part. */
function appleMail(from: string, to: string, parts: readonly string[]): Buffer {
  return Buffer.from(
    [
      `From: ${from}`,
      `To: ${to}`,
      'Subject: the file',
      'Date: Mon, 7 Dec 2026 10:00:00 +0100',
      'Message-Id: <5C1B2A3D-0E4F-4A5B-8C7D-1E2F3A4B5C6D@corp.example>',
      'Mime-Version: 1.0 (Mac OS X Mail 16.0 \\(3826.300.87.4.3\\))',
      'X-Mailer: Apple Mail (2.3826.300.87.4.3)',
      multipart('mixed', 'Apple-Mail=_8A2C5D0E-1F3B-4C6D-9E7F-0A1B2C3D4E5F', [textPart, ...parts]),
    ].join(CRLF),
  );
}
/** RFC 1740's pair: the AppleDouble header part named `name`, then the file. */
const appleDoublePair = (name: string, file: Buffer, header = COMPANION) =>
  multipart('appledouble', 'Apple-Mail=_0B1C2D3E-4F5A-4B6C-8D7E-9F0A1B2C3D4E', [
    filePart('application/applefile', name, header),
    filePart('application/octet-stream', name, file),
  ]);
const inbound = (parts: readonly string[]) =>
  appleMail('Ann <ann@partner.example>', 'bob@corp.example', parts);

const zipped = (name: string, zip: Buffer) => inbound([filePart('application/zip', name, zip)]);
const deliver = async (message: Buffer) => kit.inbound(message, {}, 'ann@partner.example');

describe('FP14 a Mac web folder (companions of pages) is delivered by the guard', () => {
  const cases: Record<string, () => Buffer> = {
    'a Finder zip of an HTML e-mail template': () =>
      zipped('Newsletter template.zip', finderZip('Newsletter template', SITE)),
    'a Finder zip of a page and an SVG logo': () =>
      zipped(
        'Site.zip',
        finderZip('Site', [
          ['index.html', PAGE],
          ['logo.svg', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><circle r="4"/></svg>')],
        ]),
      ),
    "Apple Mail's pair for a page (applefile header named index.html)": () =>
      inbound([appleDoublePair('index.html', PAGE)]),
    'a lone companion ._index.html': () =>
      inbound([filePart('application/octet-stream', '._index.html', COMPANION)]),
  };
  for (const [name, message] of Object.entries(cases))
    it(`delivers ${name}, unchanged but for the tag`, async () => {
      const sent = message();
      const { verdict, delivered } = await deliver(sent);
      expect(verdict).toBe('DEFAULT');
      // Tagged as outside mail; every attachment's bytes as sent.
      const text = delivered.toString('latin1');
      expect(text).toContain('[EXTERNAL]');
      for (const line of sent
        .toString('latin1')
        .split(CRLF)
        .filter((l) => /^[A-Za-z0-9+/=]{40,}$/.test(l)))
        expect(text).toContain(line);
    });
  it('(control) the same web folder zipped on Windows (no companions) is delivered', async () => {
    expect(
      (
        await deliver(
          zipped('Site.zip', zipFile(SITE.map(([name, data]) => ({ name: `Site/${name}`, data })))),
        )
      ).verdict,
    ).toBe('DEFAULT');
  });
});

// A companion a browser could read an element out of, or one named as a page the scan cannot read, is refused.
describe('FP14 held: a page-named companion that may show markup is still refused', () => {
  const withAttribute = (value: Buffer) =>
    appleDouble([QUARANTINE, ['com.apple.metadata:kMDItemComment', value]]);
  const SCRIPT = Buffer.from('<script>alert(document.domain)</script>');
  const held: Record<string, () => Buffer> = {
    'a script in an attribute of __MACOSX/Site/._index.html': () =>
      zipped(
        'Site.zip',
        finderZip('Site', SITE, (name) => (name === 'index.html' ? withAttribute(SCRIPT) : COMPANION)),
      ),
    'a script as UTF-16 in the resource fork of ._index.html': () =>
      zipped(
        'Site.zip',
        finderZip('Site', SITE, (name) =>
          name === 'index.html'
            ? appleDouble([QUARANTINE], Buffer.from(SCRIPT.toString(), 'utf16le'))
            : COMPANION,
        ),
      ),
    'a script in the applefile header part named index.html': () =>
      inbound([appleDoublePair('index.html', PAGE, withAttribute(SCRIPT))]),
    'an svg onload in a lone ._logo.svg': () =>
      inbound([
        filePart('image/svg+xml', '._logo.svg', withAttribute(Buffer.from('<svg onload="alert(1)"/>'))),
      ]),
    'a companion named as a web archive (._page.mht)': () =>
      zipped('Site.zip', finderZip('Site', [['page.mht', Buffer.from('MIME-Version: 1.0')]])),
    'AppleDouble bytes named index.html (no ._, not applefile)': () =>
      inbound([filePart('text/html', 'index.html', COMPANION)]),
  };
  for (const [name, message] of Object.entries(held))
    it(`bounces ${name}`, async () => {
      expect((await deliver(message())).verdict).toBe('BOUNCE');
    });
});
