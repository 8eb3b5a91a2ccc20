import { ConfigError, rule, when } from '@wmflow/core';
import { seededRandom } from '@wmflow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageTable } from '../../scripts/confusable-letters.js';
import { eml, type Harness, startHarness } from '../../test/support/stack.js';
import { impersonatesProtectedName, skeletonName } from './index.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

const fired = async (c: Parameters<typeof when>[0], message: Buffer | string, mailFrom: string) => {
  const { outcome } = await h.run(
    [
      when(
        c,
        rule('hit', (ctx) => ctx.note('hit')),
      ),
    ],
    message,
    { mailFrom },
  );
  return (outcome.rulesFired as string[]).includes('hit');
};

describe('condition: impersonatesProtectedName', () => {
  it('reduces names: confusables, case, diacritics, punctuation, word order', () => {
    expect(skeletonName('J\u0430ne  DOÉ')).toBe('doe jane');
    expect(skeletonName('Doe, Jane')).toBe('doe jane');
    expect(skeletonName('ＪＡＮＥ\u200b DOE')).toBe('doe jane');
    expect(skeletonName('Jane D0e')).toBe('doe jane');
    // Attacker round 35: tone six for b, Cyrillic ka with a stroke, Georgian hae.
    expect(skeletonName('Mark We\u0184\u0185')).toBe(skeletonName('Mark Webb'));
    expect(skeletonName('Lisa Blac\u049f')).toBe(skeletonName('Lisa Black'));
    expect(skeletonName('Jane Smit\u10f4')).toBe(skeletonName('Jane Smith'));
  });

  it('reads a From field that follows a bare CR inside another field, as Thunderbird ends the line there', async () => {
    const message =
      'X-Mailer: x\rFrom: Jane Doe <x@evil.example>\r\nTo: bob@corp.example\r\nSubject: pay\r\n\r\nPay today.\r\n';
    const c = impersonatesProtectedName({ names: ['Jane Doe'] });
    expect(await fired(c, message, 'x@evil.example')).toBe(true);
  });

  it('flags an outside sender using a protected name with a Cyrillic letter (over the emulator)', async () => {
    const message = await eml('impersonation-display-name.eml');
    const c = impersonatesProtectedName({ names: ['Jane Doe'] });
    expect(await fired(c, message, 'jane.doe.office@freemail.example')).toBe(true);
  });

  it('does not flag other names, allowed senders or internal mail', async () => {
    const message = await eml('impersonation-display-name.eml');
    expect(
      await fired(impersonatesProtectedName({ names: ['John Roe'] }), message, 'x@freemail.example'),
    ).toBe(false);
    const allowed = impersonatesProtectedName({ names: ['Jane Doe'], allowedSenders: ['freemail.example'] });
    expect(await fired(allowed, message, 'x@freemail.example')).toBe(false);
    // The protected person writing from their real address: authenticated, hence inside, never flagged.
    const internal =
      'Authentication-Results: amazonses.com; dkim=pass header.d=corp.example\r\nFrom: Jane Doe <jane@corp.example>\r\nSubject: hi\r\n\r\nhi\r\n';
    expect(
      await fired(impersonatesProtectedName({ names: ['Jane Doe'] }), internal, 'jane@corp.example'),
    ).toBe(false);
  });

  it('exempts an allowed From only when DMARC vouches for it; an allowed Reply-To as it is (attacker rounds 43, 44)', async () => {
    const signed = (await eml('impersonation-display-name.eml')).toString('latin1');
    const allowed = impersonatesProtectedName({
      names: ['Jane Doe'],
      allowedSenders: ['jane.doe.office@freemail.example'],
    });
    expect(await fired(allowed, signed, 'jane.doe.office@freemail.example')).toBe(false);
    // The same From written by anyone: nothing vouches for it, so the protected name is flagged.
    const spoofed = signed.replace(
      /^Authentication-Results: .*$/m,
      'Authentication-Results: amazonses.com; spf=pass smtp.mailfrom=evil.example; dkim=none; dmarc=fail header.from=freemail.example',
    );
    expect(await fired(allowed, spoofed, 'bounce@evil.example')).toBe(true);
    // Replies to the allowed mailbox reach the person: a Reply-To naming it is not impersonation.
    const outside =
      'From: Travel Desk <desk@evil.example>\r\nReply-To: Jane Doe <jane.doe.office@freemail.example>\r\nSubject: hi\r\n\r\nhi\r\n';
    expect(await fired(allowed, outside, 'desk@evil.example')).toBe(false);
  });

  it('reads an outside Reply-To or Sender of a message from the organization (attacker round 43, A43-2)', async () => {
    const signed = (replyTo: string) =>
      `Authentication-Results: amazonses.com; dkim=pass header.d=corp.example\r\nFrom: Jane Doe <jane@corp.example>\r\nReply-To: ${replyTo}\r\nSubject: hi\r\n\r\nhi\r\n`;
    const c = impersonatesProtectedName({ names: ['Jane Doe'] });
    expect(await fired(c, signed('Jane Doe <jane.doe.ceo@evil.example>'), 'jane@corp.example')).toBe(true);
    expect(await fired(c, signed('Jane Doe <jane@corp.example>'), 'jane@corp.example')).toBe(false);
    expect(await fired(c, signed('Travel <desk@evil.example>'), 'jane@corp.example')).toBe(false);
  });

  it('flags outside mail whose display name shows an address of the organization (attacker round 43, A43-6)', async () => {
    const c = impersonatesProtectedName({ names: ['Jane Doe'] });
    const from = (display: string) =>
      `From: ${display} <payroll@evil.example>\r\nSubject: wire\r\n\r\nPlease pay.\r\n`;
    expect(await fired(c, from('"payroll@corp.example"'), 'x@evil.example')).toBe(true);
    expect(await fired(c, from('"Payroll (payroll＠CORP.example)"'), 'x@evil.example')).toBe(true);
    // Another organization's address, or none: not this check's.
    expect(await fired(c, from('"payroll@partner.example"'), 'x@evil.example')).toBe(false);
    expect(await fired(c, from('Payroll'), 'x@evil.example')).toBe(false);
  });

  it('reads dots, at signs and ASCII letters as drawn in a shown organization address (attacker round 50)', async () => {
    const c = impersonatesProtectedName({ names: ['Jane Doe'] });
    const from = (display: string) =>
      `From: =?utf-8?B?${Buffer.from(display).toString('base64')}?= <payroll@evil.example>\r\nSubject: wire\r\n\r\nPlease pay.\r\n`;
    for (const shown of [
      'payroll@corp\ua4f8example',
      'payroll@corp\u00b7example',
      'payroll@corp\u3002example',
      'payroll@corp\uff61example',
      'payroll@c0rp.example',
      'payroll@corp.examp1e',
      'payroll@corp.examp|e',
      'payroll\u24d0corp.example',
      'payroll\u24b6corp.example',
      'payrolla\u20ddcorp.example',
      'Payroll|payroll@corp.example',
      'payroll@corp.example|Payroll',
      'payroll@corp.example\u00b7Payroll',
      'payroll@c0rp.example\u00b7Payroll',
    ])
      expect(await fired(c, from(shown), 'x@evil.example'), shown).toBe(true);
    // Other domains, with the same digits, dots and signs, and a Lisu letter in a name's words: not this check's.
    for (const shown of [
      'payroll@partner1.example',
      'payroll@corp1.example',
      'payroll@corp\u00b7example.net',
      'Payroll \u24d0 Corp',
      'Jane\ua4f8 payroll@partner.example',
      'payroll@corp.example1',
    ])
      expect(await fired(c, from(shown), 'x@evil.example'), shown).toBe(false);
  });

  it('reads any letter in an enclosing circle as an at sign, and any punctuation or symbol as a dot (attacker round 51)', async () => {
    const c = impersonatesProtectedName({ names: ['Jane Doe'] });
    const from = (display: string) =>
      `From: =?utf-8?B?${Buffer.from(display).toString('base64')}?= <payroll@evil.example>\r\nSubject: wire\r\n\r\nPlease pay.\r\n`;
    // A51-9: the Cyrillic, Greek and Latin alpha a in a circle, and a variation selector or a joiner between.
    // A51-10: dots outside round 50's list (Aegean, Kharoshthi, Tibetan, ring point, a circle, a modifier letter),
    // two or three dots in one character, and a dash other than the hyphen-minus.
    for (const shown of [
      'payroll\u0430\u20ddcorp.example',
      'payroll\u03b1\u20ddcorp.example',
      'payroll\u0251\u20ddcorp.example',
      'payrolla\ufe0e\u20ddcorp.example',
      'payrollA\u200d\u20ddcorp.example',
      'payroll@corp\u{10101}example',
      'payroll@corp\u{1f784}example',
      'payroll@corp\u{10a50}example',
      'payroll@corp\u0971example',
      'payroll@corp\u0f0bexample',
      'payroll@corp\u2e30example',
      'payroll@corp\u2026example',
      'payroll@corp\u22efexample',
    ])
      expect(await fired(c, from(shown), 'x@evil.example'), shown).toBe(true);
    // A non-breaking hyphen in a domain with a hyphen.
    const { outcome } = await h.run(
      [
        when(
          c,
          rule('hit', (ctx) => ctx.note('hit')),
        ),
      ],
      from('payroll@corp\u2011example.com'),
      { mailFrom: 'x@evil.example' },
      { organizationDomains: ['corp-example.com'] },
    );
    expect(outcome.rulesFired).toContain('hit');
    // Other domains read the same way, and a circled letter with no domain after it: not this check's.
    for (const shown of [
      'payroll@partner\u{1f784}example',
      'payroll@corp\u2e30example.net',
      'Payroll \u0430\u20dd Corp',
      'payroll\u0430\u20ddpartner.example',
    ])
      expect(await fired(c, from(shown), 'x@evil.example'), shown).toBe(false);
  });

  it("reads every character Unicode's confusables draw as dots as a dot in a shown domain (A51-10)", async () => {
    const c = impersonatesProtectedName({ names: ['Jane Doe'] });
    const from = (display: string) =>
      `From: =?utf-8?B?${Buffer.from(display).toString('base64')}?= <payroll@evil.example>\r\nSubject: wire\r\n\r\nPlease pay.\r\n`;
    const dots = Object.entries(packageTable())
      .filter(([ch, prototype]) => [...ch].length === 1 && /^[.\u00b7]+$/.test(prototype))
      .map(([ch]) => ch);
    expect(dots.length).toBeGreaterThan(20);
    const misread: string[] = [];
    for (const dot of dots)
      if (!(await fired(c, from(`payroll@corp${dot}example`), 'x@evil.example')))
        misread.push(`U+${(dot.codePointAt(0) as number).toString(16)}`);
    expect(misread).toEqual([]);
  });

  it('reads a shown address at any subdomain of an organization domain as its own (attacker round 52, A52-2)', async () => {
    const c = impersonatesProtectedName({ names: ['Jane Doe'] });
    const from = (display: string) =>
      `From: ${display} <payroll@evil.example>\r\nSubject: wire\r\n\r\nPlease pay.\r\n`;
    for (const shown of [
      '"payroll@hr.corp.example"',
      '"IT-SUPPORT@MAIL.CORP.EXAMPLE"',
      '"ceo@exec.hq.corp.example"',
      '"payroll@hr.c0rp.example"',
    ])
      expect(await fired(c, from(shown), 'x@evil.example'), shown).toBe(true);
    // Domains that only contain or resemble the organization's: another organization's, not this check's.
    for (const shown of [
      '"payroll@corp.example.partner.com"',
      '"payroll@notcorp.example"',
      '"payroll@hr-corp.example"',
      '"payroll@corp-example.com"',
      '"payroll@hr.corp.example.net"',
    ])
      expect(await fired(c, from(shown), 'x@evil.example'), shown).toBe(false);
    // A `*.` pattern: its base domain and the subdomains under it, as shown.
    const run = async (display: string) =>
      (
        await h.run(
          [
            when(
              c,
              rule('hit', (ctx) => ctx.note('hit')),
            ),
          ],
          from(display),
          { mailFrom: 'x@evil.example' },
          { organizationDomains: ['*.corp.example'] },
        )
      ).outcome.rulesFired as string[];
    expect(await run('"payroll@hr.corp.example"')).toContain('hit');
    expect(await run('"payroll@corp.example"')).toContain('hit');
    expect(await run('"payroll@partner.example"')).not.toContain('hit');
    // A subdomain that sends for the organization is listed: its authenticated mail is inside, never flagged.
    const signed =
      'Authentication-Results: amazonses.com; dkim=pass header.d=jira.corp.example\r\nFrom: "jira@jira.corp.example" <noreply@jira.corp.example>\r\nSubject: hi\r\n\r\nhi\r\n';
    const listed = async (domains: string[]) =>
      (
        await h.run(
          [
            when(
              c,
              rule('hit', (ctx) => ctx.note('hit')),
            ),
          ],
          signed,
          { mailFrom: 'noreply@jira.corp.example' },
          { organizationDomains: domains },
        )
      ).outcome.rulesFired as string[];
    expect(await listed(['corp.example', 'jira.corp.example'])).not.toContain('hit');
    expect(await listed(['corp.example', '*.corp.example'])).not.toContain('hit');
    // Unlisted, it is outside mail showing an organization address, whatever it signs: flagged.
    expect(await listed(['corp.example'])).toContain('hit');
    // A display name that is the mailbox's own address is dropped by the parser: the reader sees the true address.
    expect(
      await fired(
        c,
        'From: "noreply@jira.corp.example" <noreply@jira.corp.example>\r\nSubject: hi\r\n\r\nhi\r\n',
        'noreply@jira.corp.example',
      ),
    ).toBe(false);
  });

  it('reads a shown address over white space beside its at sign or dots (attacker round 52, A52-3)', async () => {
    const c = impersonatesProtectedName({ names: ['Jane Doe'] });
    const from = (display: string) =>
      `From: =?utf-8?B?${Buffer.from(display).toString('base64')}?= <payroll@evil.example>\r\nSubject: wire\r\n\r\nPlease pay.\r\n`;
    for (const shown of [
      'payroll@ corp.example',
      'payroll @ corp.example',
      'payroll@corp . example',
      'payroll@\u00a0corp.example',
      'payroll@\u2007corp.example',
      'payroll@\u3000corp.example',
      'payroll@corp\u2003.example',
      'payroll\uff20 corp\u00b7 example',
      // The reading as spaced is kept: a sentence after the address does not join its domain.
      'payroll@corp.example. Pay today',
      'Payroll (payroll@corp.example ). Urgent',
    ])
      expect(await fired(c, from(shown), 'x@evil.example'), shown).toBe(true);
    // Other domains, spaced the same way, and spaces elsewhere: not this check's.
    for (const shown of [
      'payroll @ partner.example',
      'Payroll @ Corp',
      'payroll@corp . example.net',
      'payroll@ partner . example',
      'Payroll at corp example',
      'Corp Example Payroll',
    ])
      expect(await fired(c, from(shown), 'x@evil.example'), shown).toBe(false);
  });

  it('reads the local part of an address shown without a display name (attacker round 52, A52-4)', async () => {
    const c = impersonatesProtectedName({ names: ['Jane Doe'] });
    const from = (field: string) => `From: ${field}\r\nSubject: wire\r\n\r\nPlease pay.\r\n`;
    for (const field of [
      '"payroll@corp.example"@evil.example',
      '<"payroll@corp.example"@evil.example>',
      '"" <"payroll@corp.example"@evil.example>',
      '"payroll@hr.corp.example"@evil.example',
      '"payroll @ corp.example"@evil.example',
    ])
      expect(await fired(c, from(field), 'x@evil.example'), field).toBe(true);
    // No From: the envelope sender is shown, and read the same way.
    const noFrom = 'Subject: wire\r\n\r\nPlease pay.\r\n';
    expect(await fired(c, noFrom, '"payroll@corp.example"@evil.example')).toBe(true);
    // Ordinary addresses, another organization's in the local part, and a display name that is just a name.
    for (const field of [
      'payroll@evil.example',
      '"payroll@partner.example"@evil.example',
      'corp.example@partner.example',
      '"Bob Roe" <"payroll@corp.example"@evil.example>',
      'Bob Roe <bob@partner.example>',
    ])
      expect(await fired(c, from(field), 'x@evil.example'), field).toBe(false);
  });

  it('reads a display name with its comments (attacker round 52, A52-5)', async () => {
    const c = impersonatesProtectedName({ names: ['Jane Doe'] });
    const from = (field: string) => `From: ${field}\r\nSubject: wire\r\n\r\nPlease pay.\r\n`;
    for (const field of [
      'Jane (Doe) <x@evil.example>',
      'Jane <x@evil.example> (Doe)',
      '(Jane) Doe <x@evil.example>',
      'Jane (=?utf-8?Q?D=C3=B6e?=) <x@evil.example>',
      'Jane (Doe, (CEO)) <x@evil.example>',
      'Payroll (payroll@corp.example) <x@evil.example>',
    ])
      expect(await fired(c, from(field), 'x@evil.example'), field).toBe(true);
    // A comment of another mailbox, another name, a quoted string's parentheses and the old comment-as-name form.
    for (const field of [
      'Jane <x@partner.example>, Bob (Doe) <y@partner.example>',
      'Jane (Smith) <x@partner.example>',
      '"Jane \\(" <x@partner.example> (Roe)',
      'jroe@partner.example (John Roe)',
      'Bob Roe (Partner Ltd) <bob@partner.example>',
    ])
      expect(await fired(c, from(field), 'x@partner.example'), field).toBe(false);
    // An allowed Reply-To is exempt with its comment too.
    const allowed = impersonatesProtectedName({
      names: ['Jane Doe'],
      allowedSenders: ['jane.doe.office@freemail.example'],
    });
    const replyTo =
      'From: Travel Desk <desk@evil.example>\r\nReply-To: Jane <jane.doe.office@freemail.example> (Doe)\r\nSubject: hi\r\n\r\nhi\r\n';
    expect(await fired(allowed, replyTo, 'desk@evil.example')).toBe(false);
    expect(await fired(c, replyTo, 'desk@evil.example')).toBe(true);
  });

  it('refuses bad configuration', () => {
    expect(() => impersonatesProtectedName({ names: [] })).toThrow(ConfigError);
    expect(() => impersonatesProtectedName({ names: ['---'] })).toThrow(/names\[0\]/);
  });
});

describe('skeletonName: ASCII names take the short way to the same words', () => {
  it('gives an ASCII name the words it gets beside a word of another script (the character-by-character way)', () => {
    // Every ASCII character a display name can hold, look-alike digits and symbols among them.
    const alphabet = 'JaneDoeSMITHdan brown0135@$.,;<>"\'()[]-_!?&+*/\\|~`^#%=:\t';
    const random = seededRandom(11);
    const next = (n: number) => Math.floor(random() * n);
    for (let i = 0; i < 3000; i++) {
      let name = '';
      for (let j = 1 + next(30); j > 0; j--) name += alphabet[next(alphabet.length)];
      // The CJK word keeps the name out of the ASCII way and adds itself as one more word.
      const expected = [...skeletonName(name).split(' ').filter(Boolean), '日本'].sort().join(' ');
      expect(skeletonName(`${name} 日本`), JSON.stringify(name)).toBe(expected);
    }
  });
});
