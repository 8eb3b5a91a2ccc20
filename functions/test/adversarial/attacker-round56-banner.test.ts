import { describe, expect, it } from 'vitest';
import { attackerKit, mail } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 56, A56-1, A56-2, A56-4, A56-5: bodies the outside-mail banner missed after round 55.
// - A56-1: a multipart/related shows only its root (RFC 2387): the part `start` names, else the first. The banner
//   went to the first text/html (a decoy); it now goes to the root, inside an alternative branch too.
// - A56-2: a related whose root is an image shows the image; its HTML is a resource never shown. Its headers are
//   out before the root is seen, so it cannot be wrapped: the HTML is left as it is and the miss is reported.
// - A56-4: any text/* branch of an alternative (text/x-foo, text/markdown) is bannered as plain text.
// - A56-5: UTF-32 is not in the WHATWG Encoding Standard; an ASCII body labelled UTF-32 with no UTF-32 mark is read
//   as in an unknown charset, so it is bannered (and relabelled UTF-8) like one labelled x-bogus.
const stack = useLocalStack();
const kit = attackerKit(stack);
const WORDS = 'came from outside the organization';
/** The delivered message with QP soft breaks undone. */
const text = (delivered: Buffer) => delivered.toString('latin1').replace(/=\r\n/g, '');
const banners = (delivered: Buffer) => text(delivered).split(WORDS).length - 1;
const FROM = 'From: Accounts <accounts@outside.example>';
const HTML =
  '<html><body><p>Your password expires today. <a href="https://evil.example/login">Keep it</a></p></body></html>';
const PHISH =
  '<html><body><p>Payroll: confirm your bank details <a href="https://evil.example/p">here</a></p></body></html>';
const PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
/** The delivered part whose Content-ID is `id`, up to the next boundary. */
const partWithId = (delivered: Buffer, id: string) => {
  const s = text(delivered);
  const i = s.indexOf(`Content-ID: <${id}>`);
  expect(i).toBeGreaterThan(-1);
  return s.slice(i, s.indexOf('\r\n--', i));
};
const related = (params: string, parts: string[][]) => [
  `Content-Type: multipart/related; boundary="r"${params}`,
  '',
  ...parts.flatMap((p) => ['--r', ...p]),
  '--r--',
];
const decoyThenRoot = [
  ['Content-Type: text/html; charset=utf-8', 'Content-ID: <decoy>', '', '<html><body>decoy</body></html>'],
  ['Content-Type: text/html; charset=utf-8', 'Content-ID: <root>', '', PHISH],
];

describe('A56-1: the root of a multipart/related gets the banner', () => {
  it('banners the root HTML a start= parameter names (the second part), not only a decoy first HTML', async () => {
    const [head, , ...body] = related('; start="<root>"; type="text/html"', decoyThenRoot);
    const { verdict, delivered } = await kit.inbound(mail([FROM, head ?? ''], [...body, ''].join('\r\n')));
    expect(verdict).toBe('DEFAULT');
    expect(partWithId(delivered, 'root')).toContain(WORDS);
    expect(partWithId(delivered, 'root')).toContain('evil.example/p');
  });
  it('banners the shown root inside an alternative (alternative[text/plain, related start=<root>])', async () => {
    const m = mail(
      [FROM, 'Content-Type: multipart/alternative; boundary="a"'],
      [
        '--a',
        'Content-Type: text/plain; charset=us-ascii',
        '',
        'Payroll update.',
        '--a',
        ...related('; start=<root>', decoyThenRoot),
        '--a--',
        '',
      ].join('\r\n'),
    );
    const { verdict, delivered } = await kit.inbound(m);
    expect(verdict).toBe('DEFAULT');
    expect(partWithId(delivered, 'root')).toContain(WORDS);
    expect(text(delivered)).toContain('Payroll update.');
  });
  it('control: a related[text/html, image] gets one banner, in its root', async () => {
    const [head, , ...body] = related('', [
      ['Content-Type: text/html; charset=utf-8', 'Content-ID: <root>', '', PHISH],
      ['Content-Type: image/png', 'Content-Transfer-Encoding: base64', '', PNG],
    ]);
    const { verdict, delivered } = await kit.inbound(mail([FROM, head ?? ''], [...body, ''].join('\r\n')));
    expect(verdict).toBe('DEFAULT');
    expect(partWithId(delivered, 'root')).toContain(WORDS);
    expect(banners(delivered)).toBe(1);
  });
  it('control: related[alternative[text/plain, text/html], image] banners both alternatives', async () => {
    const m = mail(
      [FROM, 'Content-Type: multipart/related; boundary="r"'],
      [
        '--r',
        'Content-Type: multipart/alternative; boundary="a"',
        '',
        '--a',
        'Content-Type: text/plain',
        '',
        'Hello.',
        '--a',
        'Content-Type: text/html',
        '',
        HTML,
        '--a--',
        '--r',
        'Content-Type: image/png',
        'Content-Transfer-Encoding: base64',
        '',
        PNG,
        '--r--',
        '',
      ].join('\r\n'),
    );
    expect(banners((await kit.inbound(m)).delivered)).toBe(2);
  });
});

describe('A56-2: a related whose root is an image', () => {
  it('delivers it whole after a banner part, and does not count the unshown HTML as its body', async () => {
    const [head, , ...body] = related('', [
      ['Content-Type: image/png', 'Content-Transfer-Encoding: base64', 'Content-ID: <root>', '', PNG],
      ['Content-Type: text/html; charset=utf-8', '', PHISH],
    ]);
    const { verdict, delivered } = await kit.inbound(mail([FROM, head ?? ''], [...body, ''].join('\r\n')));
    expect(verdict).toBe('DEFAULT');
    expect(delivered.toString('latin1')).toContain(PNG);
    expect(text(delivered)).toContain(PHISH);
    // Not a banner in a resource no client shows (that would only look like the message was marked): the whole
    // related goes after a part carrying the banner (the first pass found no body part, A56-2's follow-up).
    expect(banners(delivered)).toBe(1);
    expect(delivered.toString('latin1').indexOf(WORDS)).toBeLessThan(delivered.indexOf(PNG));
  });
});

describe('A56-4: an alternative whose last branch is an unknown text type', () => {
  const alt = (last: string) =>
    mail(
      [FROM, 'Content-Type: multipart/alternative; boundary="a"'],
      [
        '--a',
        'Content-Type: text/plain',
        '',
        'Hello.',
        '--a',
        'Content-Type: text/html',
        '',
        HTML,
        '--a',
        `Content-Type: ${last}; charset=utf-8`,
        '',
        'Your password expires today: https://evil.example/login',
        '--a--',
        '',
      ].join('\r\n'),
    );
  for (const type of ['text/x-foo', 'text/markdown'])
    it(`banners every alternative, the last ${type} one too`, async () => {
      const { verdict, delivered } = await kit.inbound(alt(type));
      expect(verdict).toBe('DEFAULT');
      expect(banners(delivered)).toBe(3);
      expect(text(delivered)).toContain(`Content-Type: ${type}`);
    });
  it('control: an invitation branch (text/calendar) is left byte for byte, the other two are bannered', async () => {
    const ics = 'BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR';
    const m = alt('text/calendar; method=REQUEST')
      .toString('latin1')
      .replace('Your password expires today: https://evil.example/login', ics);
    const { verdict, delivered } = await kit.inbound(Buffer.from(m, 'latin1'));
    expect(verdict).toBe('DEFAULT');
    expect(banners(delivered)).toBe(2);
    expect(delivered.toString('latin1')).toContain(`charset=utf-8\r\n\r\n${ics}\r\n--a--`);
  });
  it('control: a text/x-foo attachment in a multipart/mixed is not bannered', async () => {
    const m = mail(
      [FROM, 'Content-Type: multipart/mixed; boundary="m"'],
      [
        '--m',
        'Content-Type: text/plain',
        '',
        'Hello.',
        '--m',
        'Content-Type: text/x-foo; name="a.foo"',
        'Content-Disposition: attachment; filename="a.foo"',
        '',
        'data',
        '--m--',
        '',
      ].join('\r\n'),
    );
    expect(banners((await kit.inbound(m)).delivered)).toBe(1);
  });
});

describe('A56-5: an ASCII body labelled UTF-32 is bannered', () => {
  const body = (type: string, charset: string, content = HTML) =>
    mail([FROM, `Content-Type: ${type}; charset=${charset}`], content);
  for (const cs of ['utf-32', 'utf-32le', 'UTF-32BE', 'utf32', 'ucs-4', 'ucs4'])
    it(`banners an ASCII HTML body labelled ${cs}`, async () => {
      const { verdict, delivered } = await kit.inbound(body('text/html', cs));
      expect(verdict).toBe('DEFAULT');
      expect(banners(delivered)).toBe(1);
      expect(text(delivered)).toContain('evil.example/login');
    });
  it('banners an ASCII text/plain body labelled utf-32', async () => {
    const { delivered } = await kit.inbound(
      body('text/plain', 'utf-32', 'Your password expires: https://evil.example/x\r\n'),
    );
    expect(banners(delivered)).toBe(1);
  });
  it('control: a real UTF-32LE body with its mark is bannered in UTF-32 and keeps its text', async () => {
    const utf32 = Buffer.concat([
      Buffer.from([0xff, 0xfe, 0, 0]),
      ...[...'<html><body><p>Gr\u00fc\u00dfe</p></body></html>'].map((c) => {
        const b = Buffer.alloc(4);
        b.writeUInt32LE(c.codePointAt(0) ?? 0);
        return b;
      }),
    ]);
    const m = mail(
      [FROM, 'Content-Type: text/html; charset=utf-32le', 'Content-Transfer-Encoding: base64'],
      utf32.toString('base64'),
    );
    const { verdict, delivered } = await kit.inbound(m);
    expect(verdict).toBe('DEFAULT');
    expect(banners(delivered)).toBe(1);
  });
  it('control: the same ASCII body labelled x-bogus or utf-16 is bannered', async () => {
    expect(banners((await kit.inbound(body('text/html', 'x-bogus'))).delivered)).toBe(1);
    expect(banners((await kit.inbound(body('text/html', 'utf-16'))).delivered)).toBe(1);
  });
});
