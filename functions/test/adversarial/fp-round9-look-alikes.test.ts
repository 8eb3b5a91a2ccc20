import { describe, expect, it } from 'vitest';
import { attackerKit, encoded } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// False-positive round 9 (attacker round 108 made the guard's PROTECTED_NAMES read the plain rings ○ ◯ ⭘ ⚬ ◦ as `o`
// and the Greek capital Λ as `a`): outside senders whose display names use rings as bullets or decoration, and Greek
// names in capitals or mixed case that spell no protected name, are delivered (tagged, not junked).
const kit = attackerKit(useLocalStack());

describe('FP9-3: rings and Greek names that are no protected name (delivered)', () => {
  const cases: [string, string][] = [
    ['\u25CB Acme Support \u25CB', 'Jane Doe'],
    ['Jane Smith \u25E6 Sales', 'Jane Doe'],
    ['\u25E6\u25E6 Weekly digest \u25E6\u25E6', 'Jane Doe'],
    ['Acme \u25EF Billing', 'Jane Doe'],
    ['Acme\u26ACNews', 'Jane Doe'],
    ['ΛΕΩΝΙΔΑΣ ΠΑΠΑΔΟΠΟΥΛΟΣ', 'Jane Doe'],
    ['Λάμπρος Γεωργίου', 'Lambros Georgiou'],
    ['ΛΑΜΠΡΟΣ ΓΕΩΡΓΙΟΥ', 'Lambros Georgiou'],
    ['ΕΛΕΝΗ ΚΑΛΛΗ', 'Elena Kalli'],
    ['ΑΛΕΞΑΝΔΡΟΣ ΛΙΑΚΟΣ', 'Alexandros Liakos'],
    ['ΝΙΚΟΛΑΟΣ ΔΗΜΗΤΡΙΟΥ', 'Nikolaos Dimitriou'],
    ['Λένα Ντόε', 'Jane Doe'],
    ['Jane Dodd', 'Jane Doe'],
  ];
  for (const [name, protectedName] of cases) {
    it(`${name} (protected: ${protectedName})`, async () => {
      expect(await kit.protectedNameVerdict(name, protectedName)).toBe('DEFAULT');
    });
  }
  it('held: a Greek protected name written by an outside sender in Greek is junked', async () => {
    expect(await kit.protectedNameVerdict('Λάμπρος Γεωργίου', 'Λάμπρος Γεωργίου')).toBe('MOVE_TO_JUNK');
  });
});

// The protected person's own mail, from inside (SPF, DKIM and DMARC passed for the organization's domain as the
// receiving server found them), with a ring or a Greek name in the display name: delivered.
const CRLF = '\r\n';
const inside = (name: string, address: string) =>
  Buffer.from(
    [
      `Authentication-Results: amazonses.com;${CRLF} spf=pass smtp.mailfrom=${address};${CRLF} dkim=pass header.d=corp.example;${CRLF} dmarc=pass header.from=corp.example;`,
      `DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=corp.example; s=s1;${CRLF} h=from:to:subject:date:message-id:mime-version:content-type; bh=x; b=y`,
      `From: ${encoded(name)} <${address}>`,
      'To: bob@corp.example',
      'Subject: Q3 figures',
      'Date: Sun, 29 Nov 2026 10:00:00 +0000',
      'Message-ID: <q3-1@corp.example>',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'The figures are attached.',
      '',
    ].join(CRLF),
  );

describe('FP9-3: the protected person from inside the organization (delivered)', () => {
  for (const [name, address, protectedName] of [
    ['Jane Doe \u25E6 CFO', 'jane.doe@corp.example', 'Jane Doe'],
    ['\u25CB Jane Doe', 'jane.doe@corp.example', 'Jane Doe'],
    ['Λάμπρος Γεωργίου', 'lambros@corp.example', 'Λάμπρος Γεωργίου'],
    ['ΛΑΜΠΡΟΣ ΓΕΩΡΓΙΟΥ', 'lambros@corp.example', 'Λάμπρος Γεωργίου'],
  ] as const) {
    it(`${name} <${address}>`, async () => {
      const { verdict } = await kit.inbound(
        inside(name, address),
        { PROTECTED_NAMES: protectedName },
        address,
      );
      expect(verdict).toBe('DEFAULT');
    });
  }
});
