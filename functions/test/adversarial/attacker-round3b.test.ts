import { zipFile } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { attachmentTests, attackerKit, MIXED, mail, withPart } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 3b: pages that run when opened, written where the page scan's tokenizer and a browser's part
// ways (a `<` that is text, a quote that is part of a name, comments, CDATA, raw-text elements, XML entities).

const stack = useLocalStack();
const kit = attackerKit(stack);

const page = (name: string, html: string): [Buffer, string] => [
  mail(
    [MIXED],
    withPart(
      `Content-Type: text/html; name="${name}"\r\nContent-Disposition: attachment; filename="${name}"\r\n\r\n${html}`,
    ),
  ),
  html.slice(html.indexOf('/*'), html.indexOf('*/') + 2),
];
const svg = (body: string): [Buffer, string] => [
  mail([MIXED], withPart(`Content-Type: image/svg+xml; name="fax.svg"\r\n\r\n${body}`)),
  body.slice(body.indexOf('/*'), body.indexOf('*/') + 2),
];

const PAGES: Record<string, [Buffer, string]> = {
  "a comment holding a quote (<!-- it's -->) before a script": page(
    'a.html',
    `<!-- it's --><script>/*r3b-comment*/</script>`,
  ),
  'a "<3" (text to a browser) before a quote and a script': page(
    'b.html',
    `<p>I <3 'you</p><script>/*r3b-lt-digit*/</script>`,
  ),
  'a "1 < 2" comparison in text before a quote and a script': page(
    'c.html',
    `<p>1 < 2, it's true</p><script>/*r3b-lt-space*/</script>`,
  ),
  'a quote inside an attribute name (<img " onerror=…>)': page(
    'd.html',
    `<img src=x " onerror="/*r3b-quote-name*/location='https://evil.example/'">`,
  ),
  'a comment closed by --!> (a browser ends it, the scan did not)': page(
    'e.html',
    `<!-- x --!><img src=x onerror="/*r3b-bang-comment*/"> -->`,
  ),
  'a comment <!--a> (not closed) hiding a quote that swallows the script': page(
    'f.html',
    `<!--a><x y=' --><script>/*r3b-comment-a*/</script>`,
  ),
  'a quote in a <style> element (raw text to HTML) swallowing the script': page(
    'g.html',
    `<style><x y='</style><script>/*r3b-raw-text*/</script>`,
  ),
  'a quote in a CDATA section of an SVG swallowing the script': svg(
    `<svg xmlns="http://www.w3.org/2000/svg"><![CDATA[ > <x y=' ]]><script>/*r3b-cdata*/</script></svg>`,
  ),
  'an XML entity whose text is a script, written in the SVG as &s;': svg(
    `<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY s "<script>/*r3b-entity*/</script>">]><svg xmlns="http://www.w3.org/2000/svg">&s;</svg>`,
  ),
};

describe('attacker round 3b: page-scan tokenizer differentials through the guard at its defaults', () => {
  attachmentTests(kit, PAGES);
});

const MZ = Buffer.concat([Buffer.from('MZ\x90\x00\x03', 'latin1'), Buffer.alloc(59)]);

/** A message with `zip` attached under `name` (base64), and the bytes that must never be delivered. */
function zipped(name: string, zip: Buffer, type = 'application/zip'): [Buffer, string] {
  const body = zip.toString('base64');
  const part = `Content-Type: ${type}; name="${name}"\r\nContent-Disposition: attachment; filename="${name}"\r\nContent-Transfer-Encoding: base64\r\n\r\n${body.replace(/.{76}/g, '$&\r\n')}`;
  return [mail([MIXED], withPart(part)), body.slice(0, 40)];
}

/** An Info-ZIP Unicode Path extra field (0x7075): the name 7-Zip and unzip extract the file under. */
function unicodePath(name: string): Buffer {
  const path = Buffer.from(name);
  const field = Buffer.alloc(9);
  field.writeUInt16LE(0x7075, 0);
  field.writeUInt16LE(5 + path.length, 2);
  field.writeUInt8(1, 4); // version; the CRC of the header name (bytes 5-8) is left zero
  return Buffer.concat([field, path]);
}

const ARCHIVES: Record<string, [Buffer, string]> = {
  'a zip whose invoice.txt extracts as invoice.js (Unicode Path extra field)': zipped(
    'invoice.zip',
    zipFile([{ name: 'invoice.txt', data: 'WScript.Echo("r3b-upath")', extra: unicodePath('invoice.js') }]),
  ),
  'a zip behind other bytes, named invoice.zip. (Windows drops the dot)': zipped(
    'invoice.zip.',
    Buffer.concat([Buffer.from('%PDF-1.7 junk\n'), zipFile([{ name: 'invoice.exe', data: MZ }])]),
    'application/octet-stream',
  ),
  'a zip holding invoice.exe\\0.pdf (a C string ends at the NUL)': zipped(
    'docs.zip',
    zipFile([{ name: 'invoice.exe\0.pdf', data: MZ }]),
  ),
  'a zip holding a page as .xht': zipped(
    'page.zip',
    zipFile([
      { name: 'page.xht', data: '<html xmlns="http://www.w3.org/1999/xhtml"><script>/*x*/</script></html>' },
    ]),
  ),
};

describe('attacker round 3b: zip listing through the guard at its defaults', () => {
  attachmentTests(kit, ARCHIVES);
});

// Outlook lists an unnamed HTML part that follows the body in multipart/mixed as an attachment (ATT00001.htm),
// and opens it in the browser.
const LATER_BODY: Record<string, [Buffer, string]> = {
  'an unnamed HTML part after the body in multipart/mixed (Outlook: ATT00001.htm)': [
    mail(
      [MIXED],
      withPart('Content-Type: text/html\r\n\r\n<p>Statement</p><script>/*r3b-att00001*/</script>'),
    ),
    '/*r3b-att00001*/',
  ],
  'an unnamed HTML part after the body in multipart/x-anything (read as mixed)': [
    mail(
      ['Content-Type: multipart/x-anything; boundary="b"'],
      withPart('Content-Type: text/html\r\n\r\n<p>Statement</p><script>/*r3b-x-mixed*/</script>'),
    ),
    '/*r3b-x-mixed*/',
  ],
};

describe('attacker round 3b: a later body part a client lists as an attachment', () => {
  attachmentTests(kit, LATER_BODY);

  it('still delivers the body itself: the first part of multipart/mixed, or the HTML of an alternative', async () => {
    const first = ['--b', 'Content-Type: text/html', '', '<p>Hi</p><script>x</script>', '--b--', ''].join(
      '\r\n',
    );
    expect((await kit.inbound(mail([MIXED], first))).verdict).toBe('DEFAULT');
    const alternative = [
      '--b',
      'Content-Type: multipart/alternative; boundary="a"',
      '',
      '--a',
      'Content-Type: text/plain',
      '',
      'Hi',
      '--a',
      'Content-Type: text/html',
      '',
      '<p>Hi</p><script>x</script>',
      '--a--',
      '--b--',
      '',
    ].join('\r\n');
    expect((await kit.inbound(mail([MIXED], alternative))).verdict).toBe('DEFAULT');
  });
});

/** `zip` whose end record counts only its first entry (the directory still holds them all). */
function undercounted(zip: Buffer): Buffer {
  const out = Buffer.from(zip);
  out.writeUInt16LE(1, out.length - 22 + 8);
  out.writeUInt16LE(1, out.length - 22 + 10);
  return out;
}

describe('attacker round 3b: a zip whose end record hides entries of its directory', () => {
  attachmentTests(kit, {
    'a zip whose end record counts 1 of its 2 entries (the second, invoice.js, in the directory)': zipped(
      'docs.zip',
      undercounted(
        zipFile([
          { name: 'readme.txt', data: 'hello' },
          { name: 'invoice.js', data: 'WScript.Echo("r3b-undercount")' },
        ]),
      ),
    ),
  });
});

/** `zip` whose first local header (only) marks its entry encrypted: an extractor asks for a password there. */
function encryptedLocally(zip: Buffer): Buffer {
  const out = Buffer.from(zip);
  out.writeUInt16LE(out.readUInt16LE(6) | 1, 6);
  return out;
}

describe('attacker round 3b: a zip whose local header alone says encrypted', () => {
  attachmentTests(kit, {
    'a zip whose page.html is encrypted by its local header only (the directory says plain)': zipped(
      'page.zip',
      encryptedLocally(zipFile([{ name: 'page.html', data: 'q'.repeat(64), method: 0 }])),
    ),
  });
});

describe('attacker round 3b: a zip whose local header names the file otherwise', () => {
  attachmentTests(kit, {
    'a zip whose invoice.txt is invoice.vbs in its local header (streaming extractors)': zipped(
      'docs.zip',
      (() => {
        const out = Buffer.from(
          zipFile([{ name: 'invoice.txt', data: 'MsgBox "r3b-local-name"', method: 0 }]),
        );
        out.write('invoice.vbs', 30, 'latin1');
        return out;
      })(),
    ),
  });
});
