import { describe, expect, it } from 'vitest';
import { attackerKit, mail } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 55, A55-1..3: bodies the outside-mail banner did not reach although clients show them.
// - A55-1: Thunderbird reads a part's type as the first token of the value (cut at ';', ',' or white space) and
//   keeps what follows the last '?', so `text/html foo` or `=?windows-1252?q?text/html` is shown as HTML. The editor
//   compared the whole value with its list of text types; it now reads the type the same way (partInfo/shownType)
//   and writes the clean type back on the part it edits.
// - A55-2: Thunderbird picks an alternative by type whatever its disposition, and shows a lone text "attachment"
//   inline as the message. Every branch of a multipart/alternative is now edited, and so is a text part marked
//   attachment when no body text came before it.
// - A55-3: a single-part body with no text to carry the banner (text/calendar, an image, text/markdown, text/x-foo,
//   message/x-foo) is wrapped: a multipart/mixed whose first part is the banner and whose second is the original.
const stack = useLocalStack();
const kit = attackerKit(stack);
const WORDS = 'came from outside the organization';
/** How many times the banner's words occur in the delivered message (QP soft breaks undone). */
const banners = (delivered: Buffer) =>
  delivered.toString('latin1').replace(/=\r\n/g, '').split(WORDS).length - 1;
const FROM = 'From: Accounts <accounts@outside.example>';
const HTML =
  '<html><body><p>Your password expires today. <a href="https://evil.example/login">Keep it</a></p></body></html>';
const PLAIN = 'Content-Type: text/plain; charset=us-ascii\r\n\r\nYour password expires today.';
const alternative = (head: string) =>
  mail(
    [FROM, 'Content-Type: multipart/alternative; boundary="a"'],
    ['--a', PLAIN, '--a', `${head}\r\n\r\n${HTML}`, '--a--', ''].join('\r\n'),
  );

describe('A55-1: a Content-Type value that goes on after the type is read as clients read it', () => {
  it('control: a text/html body gets the banner', async () => {
    const { verdict, delivered } = await kit.inbound(mail([FROM, 'Content-Type: text/html'], HTML));
    expect(verdict).toBe('DEFAULT');
    expect(banners(delivered)).toBe(1);
  });
  it('control: both alternatives of text/plain and text/html get the banner', async () => {
    expect(
      banners((await kit.inbound(alternative('Content-Type: text/html; charset=utf-8'))).delivered),
    ).toBe(2);
  });
  for (const type of ['text/html foo', 'text/html, text/plain', 'text/html\tx', '=?windows-1252?q?text/html'])
    it(`banners a body typed ${JSON.stringify(type)}, and labels it text/html`, async () => {
      const { verdict, delivered } = await kit.inbound(mail([FROM, `Content-Type: ${type}`], HTML));
      expect(verdict).toBe('DEFAULT');
      expect(banners(delivered)).toBe(1);
      expect(delivered.toString('latin1')).toMatch(/Content-Type: text\/html; charset=utf-8/i);
      expect(delivered.toString('latin1')).toContain('evil.example/login');
    });
  it('banners a body typed "text/html foo" inside multipart/mixed', async () => {
    const { verdict, delivered } = await kit.inbound(
      mail(
        [FROM, 'Content-Type: multipart/mixed; boundary="m"'],
        ['--m', `Content-Type: text/html foo\r\n\r\n${HTML}`, '--m--', ''].join('\r\n'),
      ),
    );
    expect(verdict).toBe('DEFAULT');
    expect(banners(delivered)).toBe(1);
  });
  for (const type of ['text/html foo; charset=utf-8', 'text/html, text/plain; charset=utf-8'])
    it(`banners the HTML alternative typed ${JSON.stringify(type)}`, async () => {
      const { verdict, delivered } = await kit.inbound(alternative(`Content-Type: ${type}`));
      expect(verdict).toBe('DEFAULT');
      expect(banners(delivered)).toBe(2);
    });
});

describe('A55-2: an HTML body marked Content-Disposition: attachment that clients show gets the banner', () => {
  for (const disposition of ['attachment; filename="x.html"', 'attachment'])
    it(`banners the HTML alternative marked ${disposition}`, async () => {
      const { verdict, delivered } = await kit.inbound(
        alternative(`Content-Type: text/html; charset=utf-8\r\nContent-Disposition: ${disposition}`),
      );
      expect(verdict).toBe('DEFAULT');
      expect(banners(delivered)).toBe(2);
    });
  it('banners a multipart/mixed whose only part is an HTML attachment (shown inline)', async () => {
    const { verdict, delivered } = await kit.inbound(
      mail(
        [FROM, 'Content-Type: multipart/mixed; boundary="m"'],
        [
          '--m',
          `Content-Type: text/html\r\nContent-Disposition: attachment; filename="Invoice.html"\r\n\r\n${HTML}`,
          '--m--',
          '',
        ].join('\r\n'),
      ),
    );
    expect(verdict).toBe('DEFAULT');
    expect(banners(delivered)).toBe(1);
  });
  it('control: an HTML attachment after a text body is left alone, the banner is in the body', async () => {
    const { delivered } = await kit.inbound(
      mail(
        [FROM, 'Content-Type: multipart/mixed; boundary="m"'],
        [
          '--m',
          'Content-Type: text/plain\r\n\r\nSee the invoice.',
          '--m',
          `Content-Type: text/html\r\nContent-Disposition: attachment; filename="Invoice.html"\r\n\r\n${HTML}`,
          '--m--',
          '',
        ].join('\r\n'),
      ),
    );
    expect(banners(delivered)).toBe(1);
    expect(delivered.toString('latin1')).toContain(HTML);
  });
});

const ICS = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//x//y//EN',
  'METHOD:REQUEST',
  'BEGIN:VEVENT',
  'UID:1@evil.example',
  'DTSTAMP:20261129T100000Z',
  'DTSTART:20261130T100000Z',
  'DTEND:20261130T110000Z',
  'SUMMARY:Payroll update',
  'ORGANIZER:mailto:accounts@outside.example',
  'ATTENDEE;RSVP=TRUE:mailto:bob@corp.example',
  'DESCRIPTION:Please confirm your bank details at https://evil.example/payroll before the meeting.',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');
const PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const TEXT = 'Please pay invoice 4471 today at https://evil.example/pay\r\n';

describe('A55-3: a body with no text part to carry the banner is wrapped after a banner part', () => {
  const cases: [string, string[], string][] = [
    ['a text/calendar meeting request', ['Content-Type: text/calendar; method=REQUEST; charset=utf-8'], ICS],
    ['an image/png body', ['Content-Type: image/png', 'Content-Transfer-Encoding: base64'], PNG],
    ['a text/markdown body', ['Content-Type: text/markdown; charset=utf-8'], TEXT],
    ['a text/x-foo body', ['Content-Type: text/x-foo; charset=utf-8'], TEXT],
    ['a message/x-foo body', ['Content-Type: message/x-foo'], TEXT],
  ];
  for (const [name, head, body] of cases)
    it(`banners ${name}, keeping its bytes and content headers`, async () => {
      const { verdict, delivered } = await kit.inbound(mail([FROM, ...head], body));
      expect(verdict).toBe('DEFAULT');
      expect(banners(delivered)).toBe(1);
      const text = delivered.toString('latin1');
      expect(text).toMatch(/^Content-Type: multipart\/mixed;/im);
      // The banner part comes first, then the original entity with its own headers and body unchanged.
      expect(text.indexOf(WORDS)).toBeLessThan(text.indexOf(head[0] as string));
      expect(text).toContain(`${head.join('\r\n')}\r\n\r\n${body.trimEnd()}`);
    });
  it('banners a multipart/mixed whose only part is an inline picture, after a part of its own', async () => {
    const part = [
      'Content-Type: image/png',
      'Content-Disposition: inline',
      'Content-Transfer-Encoding: base64',
      '',
      PNG,
    ];
    const { verdict, delivered } = await kit.inbound(
      mail([FROM, 'Content-Type: multipart/mixed; boundary="m"'], ['--m', ...part, '--m--', ''].join('\r\n')),
    );
    expect(verdict).toBe('DEFAULT');
    expect(delivered.toString('latin1')).toContain(part.join('\r\n'));
    expect(banners(delivered)).toBe(1);
    expect(delivered.toString('latin1').indexOf(WORDS)).toBeLessThan(delivered.indexOf(PNG));
  });
  it('control: a text/plain body gets the banner in place, not a wrapper', async () => {
    const { delivered } = await kit.inbound(mail([FROM, 'Content-Type: text/plain'], TEXT));
    expect(banners(delivered)).toBe(1);
    expect(delivered.toString('latin1')).not.toMatch(/multipart\/mixed/i);
  });
});
