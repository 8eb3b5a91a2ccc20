import { describe, expect, it } from 'vitest';
import { attackerKit, mail } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 58, A58-4 (banner): a multipart/related
// whose `start` reads one way to libmime and another to Thunderbird. Gecko's parameter parser
// (nsMIMEHeaderParamImpl::DoParameterInternal, used by mimemrel for `start`) prefers `start*=` to `start*0=` to a
// plain `start=`, and drops a `start*=` whose octets do not decode in its charset (invalid UTF-8, an unknown
// charset); libmime joins `start*=` and `start*0=` into one value and keeps a `start*=` it cannot decode. So the
// editor took the root to be a part no Content-ID names (or the decoy) and bannered only the first part, while
// Thunderbird shows the second part, the phishing page, without the banner. The editor now reads `start` as the
// guard's page scan does (every reading, `paramReadings`): parts the readings disagree on are no sure root.
const kit = attackerKit(useLocalStack());
const WORDS = 'came from outside the organization';
const text = (delivered: Buffer) => delivered.toString('latin1').replace(/=\r\n/g, '');
const PHISH =
  '<html><body><p>Payroll: confirm your bank details <a href="https://evil.example/p">here</a></p></body></html>';
const message = (params: string) =>
  mail(
    ['From: Accounts <accounts@outside.example>', `Content-Type: multipart/related; boundary="r"; ${params}`],
    [
      '--r',
      'Content-Type: text/html; charset=utf-8',
      'Content-ID: <decoy>',
      '',
      '<html><body>decoy</body></html>',
      '--r',
      'Content-Type: text/html; charset=utf-8',
      'Content-ID: <root>',
      '',
      PHISH,
      '--r--',
      '',
    ].join('\r\n'),
  );
/** The delivered part whose Content-ID is `<root>`, up to the next boundary. */
const root = (delivered: Buffer) => {
  const s = text(delivered);
  const i = s.indexOf('Content-ID: <root>');
  expect(i).toBeGreaterThan(-1);
  return s.slice(i, s.indexOf('\r\n--r', i));
};

describe('A58-4: the related root Thunderbird shows, by its start parameter', () => {
  // Readings that name different parts: no part is the root for every client, so a first pass finds no body every
  // client surely shows and the message goes after a part of its own carrying the banner, shown above either root.
  const ambiguous: Record<string, string> = {
    'start*= (preferred by Gecko) beside a start*0= decoy': `start*0="<decoy>"; start*=utf-8''%3Croot%3E`,
    'a plain start= beside a start*= of invalid UTF-8 (dropped by Gecko)': `start="<root>"; start*=utf-8''%3Cdecoy%3E%FF`,
    'a plain start= beside a start*= in an unknown charset (dropped by Gecko)': `start="<root>"; start*=x-unknown''%3Cdecoy%3E`,
  };
  for (const [how, params] of Object.entries(ambiguous))
    it(`shows the banner above whichever root a client reads from ${how}`, async () => {
      const { verdict, delivered } = await kit.inbound(message(params));
      expect(verdict).toBe('DEFAULT');
      const s = text(delivered);
      expect(s).toMatch(/^Content-Type: multipart\/mixed;\s+boundary="wmflow-wrap-/m);
      expect(s.split(WORDS).length - 1).toBe(1);
      expect(s.indexOf(WORDS)).toBeLessThan(s.indexOf('Content-ID: <decoy>'));
      expect(root(delivered)).toContain(PHISH);
    });
  it('banners the root named by continued segments with a gap (Gecko and the reading here stop at it)', async () => {
    const { delivered } = await kit.inbound(message('start*0="<root>"; start*2="x"'));
    expect(root(delivered)).toContain(WORDS);
  });
  it('(control) banners the root a plain start= names', async () => {
    const { delivered } = await kit.inbound(message('start="<root>"'));
    expect(root(delivered)).toContain(WORDS);
  });
});
