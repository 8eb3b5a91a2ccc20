import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { attackerKit, mail } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 59 (banner): the first pass for a multipart with no text body (session 38) took a part for "a
// body a client surely shows" where some clients show another part, so the message was not wrapped and the part
// those clients show went without the banner.
// - A59-1: a text branch of a multipart/alternative is shown only when the client prefers it. Thunderbird
//   (mimemalt.cpp, MimeMultipartAlternative_prioritize_part) ranks text/plain below a multipart or a message/rfc822
//   branch and shows the one it ranks highest; Apple Mail shows the last branch it can render. So
//   alternative[text/plain, related[image]] showed the QR-code picture alone: the banner sat in the plain branch.
//   A text in an alternative now counts only once every branch of it carries the banner (calendar and contact
//   branches, shown beside the body, excepted; an invitation with no HTML branch of its own, which Thunderbird shows
//   alone, is not); otherwise the message is wrapped after a banner part.
// - A59-2: a text part marked as an attachment (`readme.txt`) is bannered for Thunderbird, which shows it inline
//   when no body text came before it, but Gmail and Outlook list it as a file and show the picture beside it as
//   the message. It no longer counts as a body every client shows.
// - A59-4: a body the editor cannot splice a banner into (a charset it does not know, or one where ASCII bytes may
//   read as other characters such as UTF-7, holding one byte that does not decode) was left without it, and counted
//   as the body: one stray byte kept the banner off a page Thunderbird shows (a replacement character in place of
//   the byte). Such a body now counts only once its edit is made; a multipart without one, or a single-part body
//   whose edit could not be made, is wrapped after a banner part, the body kept byte for byte.
// - A59-5: the editor read a multipart's subtype as mailsplit names it (`alternative foo` for
//   `multipart/alternative foo`), Thunderbird as the type's first token (as it reads `text/html foo`, round 55). So
//   `multipart/alternative foo` holding two HTML branches had only the first bannered (Thunderbird shows the last),
//   and `multipart/related foo; start=<root>` had its decoy first part bannered, not the root Thunderbird shows.
// - A59-7: a message whose body is only an attached message (`Content-Type: message/rfc822` at the root), which
//   Thunderbird and Apple Mail show inline as the message, was a documented limit: no banner anywhere. It is now
//   wrapped after a banner part, as a body with no text is (unless parts inside it are being removed).
// - A59-3: a text body inside a multipart/signed nested in a multipart/mixed is never edited (its signature would
//   break), yet it counted as the body: the message went out with no banner anywhere. Such a body no longer counts,
//   so the message is wrapped after a banner part, the signed entity left byte for byte.
const kit = attackerKit(useLocalStack());
const WORDS = 'came from outside the organization';
const FROM = 'From: Accounts <accounts@outside.example>';
const text = (delivered: Buffer) => delivered.toString('latin1').replace(/=\r\n/g, '');
const banners = (delivered: Buffer) => text(delivered).split(WORDS).length - 1;
const PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const PHISH =
  '<html><body><p>Payroll: confirm your bank details <a href="https://evil.example/p">here</a></p></body></html>';
const image = [
  'Content-Type: image/png',
  'Content-Transfer-Encoding: base64',
  'Content-Disposition: inline',
  '',
  PNG,
];
const multipart = (type: string, boundary: string, parts: string[][]) => [
  `Content-Type: ${type}; boundary="${boundary}"`,
  '',
  ...parts.flatMap((p) => [`--${boundary}`, ...p]),
  `--${boundary}--`,
];
const message = (lines: string[]) => {
  const [head, , ...rest] = lines;
  return mail([FROM, head ?? ''], [...rest, ''].join('\r\n'));
};

/** Wrapped after one banner part: the banner comes before `shown`, which is delivered unchanged. */
async function expectWrapped(sent: Buffer, shown: string) {
  const { verdict, delivered } = await kit.inbound(sent);
  expect(verdict).toBe('DEFAULT');
  const s = text(delivered);
  expect(s).toMatch(/^Content-Type: multipart\/mixed;\s+boundary="wmflow-wrap-/m);
  expect(banners(delivered)).toBe(1);
  expect(s.indexOf(WORDS)).toBeLessThan(s.indexOf(shown));
  const parsed = await simpleParser(delivered);
  expect(parsed.text ?? '').toContain(WORDS);
  return s;
}

describe('A59-1: an alternative whose preferred branch has no text', () => {
  it('wraps alternative[text/plain, related[image]] (Thunderbird shows the picture)', async () => {
    const m = message(
      multipart('multipart/alternative', 'a', [
        ['Content-Type: text/plain; charset=us-ascii', '', 'Scan the code.'],
        multipart('multipart/related', 'r', [image]),
      ]),
    );
    await expectWrapped(m, PNG.slice(0, 40));
  });
  it('wraps alternative[text/plain, mixed[image]]', async () => {
    const m = message(
      multipart('multipart/alternative', 'a', [
        ['Content-Type: text/plain; charset=us-ascii', '', 'Scan the code.'],
        multipart('multipart/mixed', 'm', [image]),
      ]),
    );
    await expectWrapped(m, PNG.slice(0, 40));
  });
  it('wraps alternative[text/plain, message/rfc822] (Thunderbird shows the attached message inline)', async () => {
    const inner = [
      'Content-Type: message/rfc822',
      '',
      'From: Payroll <payroll@corp.example>',
      'Subject: bank details',
      'Content-Type: text/html; charset=utf-8',
      '',
      PHISH,
    ];
    const m = message(
      multipart('multipart/alternative', 'a', [['Content-Type: text/plain', '', 'See below.'], inner]),
    );
    await expectWrapped(m, PHISH);
  });
  it('wraps an alternative nested in a branch of another (alternative[html, alternative[plain, related[image]]])', async () => {
    const m = message(
      multipart('multipart/alternative', 'a', [
        ['Content-Type: text/html; charset=utf-8', '', '<p>Scan the code.</p>'],
        multipart('multipart/alternative', 'b', [
          ['Content-Type: text/plain', '', 'Scan the code.'],
          multipart('multipart/related', 'r', [image]),
        ]),
      ]),
    );
    await expectWrapped(m, PNG.slice(0, 40));
  });
  it('wraps an invitation with only a plain branch (Thunderbird shows alternative[plain, calendar] as the invitation alone)', async () => {
    const m = message(
      multipart('multipart/alternative', 'a', [
        ['Content-Type: text/plain', '', 'Meeting.'],
        ['Content-Type: text/calendar; method=REQUEST', '', 'BEGIN:VCALENDAR', 'END:VCALENDAR'],
      ]),
    );
    const s = await expectWrapped(m, 'BEGIN:VCALENDAR');
    expect(s).toContain('BEGIN:VCALENDAR\r\nEND:VCALENDAR');
  });
  it('wraps an invitation after a related HTML branch (Thunderbird ranks them equal and shows the later)', async () => {
    const m = message(
      multipart('multipart/alternative', 'a', [
        multipart('multipart/related', 'r', [
          ['Content-Type: text/html; charset=utf-8', '', '<p>Meeting.</p>'],
          image,
        ]),
        ['Content-Type: text/calendar; method=REQUEST', '', 'BEGIN:VCALENDAR', 'END:VCALENDAR'],
      ]),
    );
    await expectWrapped(m, 'BEGIN:VCALENDAR');
  });
  it('(control) banners each branch of alternative[plain, html] in place, unwrapped', async () => {
    const m = message(
      multipart('multipart/alternative', 'a', [
        ['Content-Type: text/plain', '', 'Hello.'],
        ['Content-Type: text/html; charset=utf-8', '', '<p>Hello.</p>'],
      ]),
    );
    const { delivered } = await kit.inbound(m);
    expect(text(delivered)).not.toContain('wmflow-wrap-');
    expect(banners(delivered)).toBe(2);
  });
  it('(control) leaves an invitation alternative[plain, html, calendar] unwrapped, its text branches bannered', async () => {
    const m = message(
      multipart('multipart/mixed', 'm', [
        multipart('multipart/alternative', 'a', [
          ['Content-Type: text/plain', '', 'Meeting.'],
          ['Content-Type: text/html; charset=utf-8', '', '<p>Meeting.</p>'],
          ['Content-Type: text/calendar; method=REQUEST', '', 'BEGIN:VCALENDAR', 'END:VCALENDAR'],
        ]),
        image,
      ]),
    );
    const { delivered } = await kit.inbound(m);
    expect(text(delivered)).not.toContain('wmflow-wrap-');
    expect(banners(delivered)).toBe(2);
    expect(text(delivered)).toContain('BEGIN:VCALENDAR\r\nEND:VCALENDAR');
  });
});

describe('A59-2: a text attachment is not a body every client shows', () => {
  it('wraps mixed[readme.txt as an attachment, inline picture]', async () => {
    const m = message(
      multipart('multipart/mixed', 'm', [
        [
          'Content-Type: text/plain; name="readme.txt"',
          'Content-Disposition: attachment; filename="readme.txt"',
          '',
          'notes',
        ],
        image,
      ]),
    );
    await expectWrapped(m, PNG.slice(0, 40));
  });
  it('(control) a text attachment before a real body: the body is bannered, no wrapper', async () => {
    const m = message(
      multipart('multipart/mixed', 'm', [
        [
          'Content-Type: text/plain; name="a.txt"',
          'Content-Disposition: attachment; filename="a.txt"',
          '',
          'notes',
        ],
        ['Content-Type: text/html; charset=utf-8', '', '<p>Hello.</p>'],
      ]),
    );
    const { delivered } = await kit.inbound(m);
    expect(text(delivered)).not.toContain('wmflow-wrap-');
    expect(text(delivered)).toMatch(new RegExp(`${WORDS}[^]*<p>Hello.</p>`));
  });
});

describe('A59-3: a signed body nested in a multipart/mixed', () => {
  it('wraps mixed[signed[html, pgp-signature]], the signed entity unchanged', async () => {
    const signed = multipart(
      'multipart/signed; protocol="application/pgp-signature"; micalg=pgp-sha256',
      's',
      [
        ['Content-Type: text/html; charset=utf-8', '', PHISH],
        [
          'Content-Type: application/pgp-signature',
          '',
          '-----BEGIN PGP SIGNATURE-----',
          'AAAA',
          '-----END PGP SIGNATURE-----',
        ],
      ],
    );
    const m = message(multipart('multipart/mixed', 'm', [signed]));
    const s = await expectWrapped(m, PHISH);
    expect(s).toContain(signed.slice(2).join('\r\n'));
  });
});

describe('A59-4: a body whose banner cannot be spliced in', () => {
  // Thunderbird shows a page in a charset it does not know in its default one, and UTF-7 as UTF-7: one byte that
  // does not decode costs a replacement character, not the page.
  const page = (extra: string) => Buffer.from(PHISH.replace('</p>', `${extra}</p>`), 'latin1');
  /** Wrapped, one banner before the page, the page's bytes kept (quoted-printable where they are 8-bit). */
  async function expectPageWrapped(sent: Buffer, kept: string) {
    const { verdict, delivered } = await kit.inbound(sent);
    expect(verdict).toBe('DEFAULT');
    const s = text(delivered);
    expect(s).toMatch(/^Content-Type: multipart\/mixed;\s+boundary="wmflow-wrap-/m);
    expect(banners(delivered)).toBe(1);
    expect(s.indexOf(WORDS)).toBeLessThan(s.indexOf('evil.example/p'));
    expect(s).toContain(kept);
  }
  for (const [charset, extra, kept] of [
    ['x-klingon', ' caf\xe9', ' caf=E9</p>'],
    ['utf-7', ' +AGQ-\xff', ' +AGQ-=FF</p>'],
  ] as const)
    it(`wraps a single-part page in ${charset} with a byte that does not decode`, async () => {
      const sent = mail(
        [FROM, `Content-Type: text/html; charset=${charset}`],
        Buffer.concat([page(extra), Buffer.from('\r\n')]),
      );
      await expectPageWrapped(sent, kept);
    });
  it('wraps a multipart/mixed whose only body is such a page (UTF-7)', async () => {
    const sent = mail(
      [FROM, 'Content-Type: multipart/mixed; boundary="m"'],
      Buffer.concat([
        Buffer.from('--m\r\nContent-Type: text/html; charset=utf-7\r\n\r\n'),
        page(' +AGQ-\xff'),
        Buffer.from(`\r\n--m\r\n${image.join('\r\n')}\r\n--m--\r\n`),
      ]),
    );
    await expectPageWrapped(sent, ' +AGQ-=FF</p>');
  });
});

describe('A59-5: a multipart subtype spelled as Thunderbird reads it', () => {
  for (const spelling of ['multipart/alternative foo', 'multipart/alternative, text/plain'])
    it(`banners the last HTML branch of ${JSON.stringify(spelling)}`, async () => {
      const m = message(
        multipart(spelling, 'a', [
          ['Content-Type: text/html; charset=utf-8', '', '<html><body>decoy</body></html>'],
          ['Content-Type: text/html; charset=utf-8', 'Content-ID: <shown>', '', PHISH],
        ]),
      );
      const { verdict, delivered } = await kit.inbound(m);
      expect(verdict).toBe('DEFAULT');
      const s = text(delivered);
      const shown = s.slice(s.indexOf('Content-ID: <shown>'));
      expect(shown).toContain(WORDS);
    });
  it('banners the root a start= of "multipart/related foo" names', async () => {
    const m = message(
      multipart('multipart/related foo; start="<root>"', 'r', [
        [
          'Content-Type: text/html; charset=utf-8',
          'Content-ID: <decoy>',
          '',
          '<html><body>decoy</body></html>',
        ],
        ['Content-Type: text/html; charset=utf-8', 'Content-ID: <root>', '', PHISH],
      ]),
    );
    const { verdict, delivered } = await kit.inbound(m);
    expect(verdict).toBe('DEFAULT');
    const s = text(delivered);
    expect(s.slice(s.indexOf('Content-ID: <root>'))).toContain(WORDS);
  });
});

describe('A59-7: a message that is only an attached message', () => {
  it('wraps a message/rfc822 root after a banner part', async () => {
    const inner = [
      'From: Payroll <payroll@corp.example>',
      'Subject: bank details',
      'Content-Type: text/html; charset=utf-8',
      '',
      PHISH,
    ];
    const m = mail([FROM, 'Content-Type: message/rfc822'], `${inner.join('\r\n')}\r\n`);
    const s = await expectWrapped(m, PHISH);
    expect(s).toContain(inner.join('\r\n'));
  });
});
