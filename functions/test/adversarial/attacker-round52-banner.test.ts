import { describe, expect, it } from 'vitest';
import { attackerKit, mail } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 52, A52-9: one byte that does not decode in the declared charset (a 0xFF in an HTML comment,
// invisible in every client) made the editor leave the body alone, so the outside-mail banner was gone. The
// banner now goes in beside the body's own bytes, which are kept as they are (fault round 39 left such bodies
// alone because decoding and re-encoding them would lose those bytes).
const stack = useLocalStack();
const kit = attackerKit(stack);
const BANNER = /outside the organi/;
const FROM = 'From: "Accounts" <ap@evil.example>';
const cases: Record<string, Buffer> = {
  'a UTF-8 HTML body with one 0xFF byte inside a comment': mail(
    [FROM, 'Content-Type: text/html; charset=utf-8', 'Content-Transfer-Encoding: 8bit'],
    Buffer.concat([
      Buffer.from('<html><body><!-- '),
      Buffer.from([0xff]),
      Buffer.from(' --><p>Please wire the funds today.</p></body></html>\r\n'),
    ]),
  ),
  'the same, base64 (a lone 0xC3)': mail(
    [FROM, 'Content-Type: text/html; charset=utf-8', 'Content-Transfer-Encoding: base64'],
    Buffer.concat([
      Buffer.from('<html><body><!-- '),
      Buffer.from([0xc3]),
      Buffer.from(' --><p>Please wire the funds today.</p></body></html>\r\n'),
    ]).toString('base64'),
  ),
  'a windows-1252 text body with an unassigned 0x81': mail(
    [FROM, 'Content-Type: text/plain; charset=windows-1252', 'Content-Transfer-Encoding: 8bit'],
    Buffer.concat([Buffer.from('Please wire the funds today.'), Buffer.from([0x81]), Buffer.from('\r\n')]),
  ),
};
describe('A52-9: the banner removed by one undecodable byte', () => {
  for (const [how, message] of Object.entries(cases))
    it(`puts the banner on ${how}`, async () => {
      const { verdict, delivered } = await kit.inbound(message);
      expect(verdict).toBe('DEFAULT');
      expect(delivered.toString('latin1')).toMatch(BANNER);
    });
  it('keeps the byte that does not decode, beside the banner, and the charset as declared', async () => {
    const { delivered } = await kit.inbound(
      cases['a UTF-8 HTML body with one 0xFF byte inside a comment'] as Buffer,
    );
    const text = delivered.toString('latin1');
    expect(text).toMatch(/Content-Transfer-Encoding: quoted-printable/i);
    expect(text).toMatch(/charset=utf-8/i);
    const decoded = text
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
    expect(decoded).toContain('<!-- \xff --><p>Please wire');
  });
  it('(control) puts the banner on the clean UTF-8 HTML body', async () => {
    const { delivered } = await kit.inbound(
      mail(
        [FROM, 'Content-Type: text/html; charset=utf-8'],
        '<html><body><p>Please wire the funds today.</p></body></html>\r\n',
      ),
    );
    expect(delivered.toString('latin1')).toMatch(BANNER);
  });
});
