import { describe, expect, it } from 'vitest';
import { attackerKit, mail } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 53, A53-4: the round-52 splice put the banner's ASCII bytes into a body it could not decode,
// reading it as Latin-1 to find `<body>`. A body labelled utf-8 that starts with a UTF-16LE byte order mark is
// UTF-16 to a browser engine (the WHATWG encoding sniff lets the mark win over the transport's charset): six ASCII
// bytes `<body>` inside a UTF-16 comment were taken for the body tag, and the banner landed inside the comment. A
// body whose mark names UTF-16 or UTF-32 now gets the banner right after the mark, in that encoding.
const stack = useLocalStack();
const kit = attackerKit(stack);
const FROM = 'From: "Accounts" <ap@evil.example>';
const u16 = (s: string) => Buffer.from(s, 'utf16le');
const page = (inside: Buffer) =>
  Buffer.concat([
    Buffer.from([0xff, 0xfe]),
    u16('<html><head></head><body><!-- '),
    inside,
    u16(' --><p>Please wire the funds today.</p></body></html>\r\n'),
  ]);

// The delivered body part's bytes (quoted-printable or base64 undone), as a BOM-honouring client reads them.
function clientReading(delivered: Buffer): string {
  const text = delivered.toString('latin1');
  const at = text.search(/\r?\n\r?\n/);
  const body = text.slice(at).replace(/^\r?\n\r?\n/, '');
  const head = text.slice(0, at);
  let bytes: Buffer;
  if (/content-transfer-encoding:\s*base64/i.test(head)) bytes = Buffer.from(body, 'base64');
  else if (/content-transfer-encoding:\s*quoted-printable/i.test(head))
    bytes = Buffer.from(
      body
        .replace(/=\r?\n/g, '')
        .replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16))),
      'latin1',
    );
  else bytes = Buffer.from(body, 'latin1');
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  return bytes.toString('utf8');
}
// What a reader sees: the text outside comments and tags.
const shown = (html: string) => html.replace(/<!--[\s\S]*?-->/g, '').replace(/<[^>]*>/g, '');

describe('A53-4: the banner in a UTF-16 page labelled utf-8', () => {
  const send = (inside: Buffer) =>
    kit.inbound(
      mail(
        [FROM, 'Content-Type: text/html; charset=utf-8', 'Content-Transfer-Encoding: base64'],
        page(inside).toString('base64'),
      ),
    );
  it('shows the banner, and the page as written, to a client that honours the byte order mark', async () => {
    // The fake tag an even number of bytes long: the page after it reads as written.
    const { verdict, delivered } = await send(Buffer.from('<body>', 'latin1'));
    expect(verdict).toBe('DEFAULT');
    const seen = shown(clientReading(delivered));
    expect(seen).toMatch(/^This message came from outside the organi/);
    expect(seen).toContain('Please wire the funds today.');
  });
  it('keeps every byte of the page after the banner, an odd fake tag that misaligns it included', async () => {
    const inside = Buffer.from(' <body>', 'latin1');
    const { delivered } = await send(inside);
    const text = delivered.toString('latin1');
    const at = text.search(/\r?\n\r?\n/);
    const body = text.slice(at).replace(/^\r?\n\r?\n/, '');
    const bytes = Buffer.from(
      body
        .replace(/=\r?\n/g, '')
        .replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
      'latin1',
    );
    const original = page(inside);
    expect(bytes.subarray(0, 2)).toEqual(original.subarray(0, 2));
    expect(bytes.subarray(bytes.length - (original.length - 2)).equals(original.subarray(2))).toBe(true);
    expect(shown(clientReading(delivered))).toMatch(/^This message came from outside the organi/);
  });
});
