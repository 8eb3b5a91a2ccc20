import { describe, expect, it } from 'vitest';
import { mayAlign, signatureTags, signedWhole, uncoveredShown } from './signed-fields.js';

// Attacker round 104: which DKIM signatures may be DMARC's aligned one, and whether one lists every shown field.
const NOW = Date.UTC(2026, 11, 7);
const fields = (...names: string[]) => names.map((name) => ({ name }));
const tags = (value: string) => signatureTags(value);

describe('signatureTags', () => {
  it('reads names case-sensitively and values without folding white space', () => {
    const t = tags('v=1; D=evil.example; d = corp.example ; h=from :\r\n\tto');
    expect(t.get('d')).toBe('corp.example');
    expect(t.get('D')).toBe('evil.example');
    expect(t.get('h')).toBe('from:to');
  });
  it('keeps both values of a tag written twice', () => {
    expect(tags('d=corp.example; d=evil.example').get('d')).toBe('corp.example evil.example');
  });
});

describe('mayAlign', () => {
  it('takes the From domain, a subdomain, a parent and a sibling for aligned', () => {
    for (const d of ['corp.example', 'mail.corp.example', 'CORP.EXAMPLE.', 'bounce.corp.example'])
      expect(mayAlign(tags(`d=${d}`), 'hr.corp.example')).toBe(true);
  });
  it('takes a d= that cannot be read for aligned (a condition more)', () => {
    expect(mayAlign(tags('v=1'), 'corp.example')).toBe(true);
    expect(mayAlign(tags('d=example'), 'corp.example')).toBe(true);
    expect(mayAlign(tags('d=a.example; d=b.example'), 'corp.example')).toBe(true);
  });
  it('leaves a provider or another organization aside', () => {
    for (const d of ['amazonses.com', 'corp.onmicrosoft.com', 'corp-example.com', 'example.corp'])
      expect(mayAlign(tags(`d=${d}`), 'corp.example')).toBe(false);
  });
});

describe('uncoveredShown', () => {
  const h = 'h=from:to:subject:date:message-id';
  it('passes a signature listing every shown field present', () => {
    expect(
      uncoveredShown(tags(h), fields('From', 'To', 'Subject', 'Date', 'Message-ID', 'Content-Type'), NOW),
    ).toBeUndefined();
  });
  it('names a shown field not listed, in any case', () => {
    expect(uncoveredShown(tags(h), fields('From', 'THREAD-TOPIC'), NOW)).toBe('THREAD-TOPIC');
    expect(uncoveredShown(tags(h), fields('In-Reply-To'), NOW)).toBe('In-Reply-To');
    expect(uncoveredShown(tags(h), fields('X-MS-Exchange-Organization-SCL'), NOW)).toBe(
      'X-MS-Exchange-Organization-SCL',
    );
  });
  it('needs a name listed as many times as its field is present', () => {
    expect(uncoveredShown(tags(h), fields('Subject', 'Subject'), NOW)).toBe('Subject');
    expect(uncoveredShown(tags('h=subject:subject'), fields('Subject', 'Subject'), NOW)).toBeUndefined();
  });
  it('refuses l= and a past or unreadable x=', () => {
    expect(uncoveredShown(tags(`${h}; l=10`), fields('From'), NOW)).toBe('a body length (l=)');
    expect(uncoveredShown(tags(`${h}; x=978307200`), fields('From'), NOW)).toMatch(/expiry/);
    expect(uncoveredShown(tags(`${h}; x=soon`), fields('From'), NOW)).toMatch(/expiry/);
    expect(uncoveredShown(tags(`${h}; x=4102444800`), fields('From'), NOW)).toBeUndefined();
  });
  it('leaves fields no client shows as content aside (List-*, Received, Content-Type)', () => {
    expect(
      uncoveredShown(tags(h), fields('List-Id', 'List-Unsubscribe', 'Received', 'Content-Type'), NOW),
    ).toBeUndefined();
  });
});

describe('signedWhole', () => {
  const shown = fields('From', 'To', 'Subject');
  const whole = 'v=1; d=corp.example; h=from:to:subject';
  it('takes a message every possibly aligned signature lists the shown fields of', () => {
    expect(signedWhole([whole, 'd=esp.example; h=from'], shown, 'corp.example', NOW, true)).toBe(true);
  });
  it('refuses one with a possibly aligned signature that does not, or any l=', () => {
    expect(signedWhole([whole, 'd=corp.example; h=from'], shown, 'corp.example', NOW, true)).toBe(false);
    expect(signedWhole([whole, 'd=esp.example; h=from; l=0'], shown, 'corp.example', NOW, false)).toBe(false);
  });
  it('needs a possibly aligned signature only when asked (SES: the receipt names none)', () => {
    expect(signedWhole(['d=esp.example; h=from'], shown, 'corp.example', NOW, true)).toBe(false);
    expect(signedWhole([], shown, 'corp.example', NOW, false)).toBe(true);
  });
});
