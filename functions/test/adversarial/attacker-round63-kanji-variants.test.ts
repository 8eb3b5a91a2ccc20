import { describe, expect, it } from 'vitest';
import { attackerKit, encoded, mail } from './attacker-kit.js';
import { useLocalStack } from './stack.js';

// Attacker round 63, A63-5 (medium, impersonation, organisations with Japanese or Chinese names protected): a
// protected family name written with a shape variant of one of its kanji. Japanese family names are written with
// variants that are all but the same drawing and that their bearers use interchangeably: 山﨑 for 山崎 (﨑 U+FA11 is a
// compatibility ideograph that, unlike most of its block, has no decomposition, so NFKC keeps it), the "ladder" 髙橋
// for 高橋, 𠮷田 for 吉田 (the "tsuchi-yoshi" of the supplementary plane), 德 for 徳. Outlook shows `山﨑 太郎` beside
// the address, and a colleague reads the CEO's name; the name check compared the characters and delivered the
// message. Unicode's confusables join none of them. These variants are now read as the common form on both sides
// (impersonation/index.ts CONFUSABLES). Each attack was delivered (DEFAULT) before the fix; each control is
// delivered as before.
const stack = useLocalStack();
const kit = attackerKit(stack);
const verdict = async (protectedName: string, display: string) =>
  (
    await kit.inbound(
      mail(
        [`From: ${encoded(display)} <x@evil.example>`, 'Content-Type: text/plain; charset=utf-8'],
        '至急、添付の請求書をお支払いください。',
      ),
      { PROTECTED_NAMES: protectedName },
    )
  ).verdict;

describe('A63-5: a protected name in a shape variant of its kanji', () => {
  const junked: [string, string, string][] = [
    ['山崎 太郎', '山﨑 太郎', '﨑 for 崎'],
    ['山崎 太郎', '山﨑太郎', '﨑 for 崎, the words run together'],
    ['高橋 健', '髙橋 健', 'the ladder 髙 for 高'],
    ['吉田 花子', '𠮷田 花子', '𠮷 for 吉'],
    ['徳川 家康', '德川 家康', '德 for 徳'],
    ['黒田 一郎', '黑田 一郎', '黑 for 黒'],
    ['冨田 理恵', '富田 理惠', 'the protected name in the variant 冨, the sender in 富 and 惠'],
  ];
  for (const [name, display, how] of junked)
    it(`junks ${display} when ${name} is protected (${how})`, async () => {
      expect(await verdict(name, display)).toBe('MOVE_TO_JUNK');
    });
  const delivered: [string, string, string][] = [
    ['山崎 太郎', '山田 太郎', 'another family name'],
    ['高橋 健', '高田 健', 'another family name with 高'],
    ['吉田 花子', '吉川 花子', 'another family name with 吉'],
  ];
  for (const [name, display, how] of delivered)
    it(`(control) delivers ${display} when ${name} is protected (${how})`, async () => {
      expect(await verdict(name, display)).toBe('DEFAULT');
    });
});
