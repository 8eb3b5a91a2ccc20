/**
 * Letters added by hand (security finding A49-14), drawn like an ASCII letter or digit by common fonts but not in
 * confusables.txt 10.0.0: Unicode 15's confusables drawn as the letter with a bar, stroke or hook (ƀ, Θ, Қ, Ұ), or
 * as a letter the name check reads as Latin (з as ɜ, ы as ƅi, Ә as Ə); Greek capital eta and upsilon with accents
 * or breathings (Ή, Ὑ: the capitals table maps only the bare letters); Latin letters with a stroke, hook, descender
 * or swash tail and insular letters (Ⱨ, Ꝺ, ȿ), Cyrillic letters with a descender, hook, stroke or tick (Ҝ, Ӽ, Ҏ, ґ),
 * currency signs drawn as a letter with bars (₳ ₱ ₦ ₩: "currency" fancy-text fonts) and the Canadian syllabics of
 * fancy-text fonts (ᗩ, ᑫ, ᗝ). Attacker round 108: plain rings drawn as an `o` (○ ◯ ⭘ ⚬ ◦, beside the rings with a
 * dot or bar already here), and the Greek capital lambda of fancy-text fonts as an A without its bar (`JΛNE`).
 * Attacker round 111: every other ring drawn where an `o` goes: the ring operator and the degree sign (∘ °), the
 * emoji and geometric circles (⚪ ⭕ 🞅 🞆 🞇), dotted, shadowed and white-ellipse rings (◌ ❍ ⬭ ⬯), rings in rings
 * or with a dot (◎ ⊚ ◉ ⦾ ⦿ ⌾), half-filled circles (◐ ◑ ◒ ◓), and slashed, underlined or dotted rings (∅ ⌀ ⦰ ⍉ ⍜
 * ⍥, as ø, o̲ and ö are read). Filled dots and circles (• ● ⚫ ⬤) are left out: drawn as a bullet, not a letter.
 * Turned and reversed letters (ɐ, ʌ, ᴎ) and letters of real spellings drawn apart from a Latin one (ß, þ) are left
 * out.
 */
export const LETTERS_BY_HAND: readonly (readonly [string, string])[] = [
  ['ƻ', '2'],
  ['ȝɜʒзҘҙӡჳᴈᴣⳍꝫ', '3'],
  ['ΛȺᗩẚ₳⍶ⱥꬰ', 'a'],
  ['ᴁ', 'ae'],
  ['ƀƂƃɃБѢѣҌҍ฿Ᏸᑳᴃᴯ₿Ꞗꞗ', 'b'],
  ['ы', 'bl'],
  ['¢ʗͼϾҀҁ₡₵⊂𑣎𝼝', 'c'],
  ['Ƌƌȡᴆ₫∂Ꝺꝺ𝼥', 'd'],
  ['ȸ', 'db'],
  ['ʥꭦ', 'dz'],
  ['ӘәᏋ€∃⍷ⴺꓱꬴ𐐁𐐩', 'e'],
  ['Ғẛẜ₣Ꝼꝼ', 'f'],
  ['Ǥǥʛᵹ₲Ꟑꟑꬶ', 'g'],
  ['ɧΉђћҢңӇӈӉӊԦԧԨԩᏲἨἩἪἫἬἭἮἯᾘᾙᾚᾛᾜᾝᾞᾟῊῌⱧⱨꚔꚕꜦꜧ𐓵', 'h'],
  ['ᵻᵼᶧ⍸𝼚', 'i'],
  ['ɟʄյᶡ', 'j'],
  ['ҚқҜҝҠҡӃӄԞԟ₭Ⱪⱪ𐓤', 'k'],
  ['ٳᴌⱠⱡⳑꞎꟾꬷꭝ𐑃𝼄𝼑𝼓𝼦', 'l'],
  ['Ỻỻ', 'll'],
  ['ϻӍӎ₥ꬺ', 'm'],
  ['ŉበ₦⋂ꓵꬻ𝼧', 'n'],
  ['ʘͻͽΘθϽϿѲѳѺѻӨөۿတᎾᏫᗝᴐᶗↄ⊖⊙⊝⍬○◦◯☉⚬⨀⭘ⱺⴱⵁⵙꓛꙨꙩꟀꟁꬾꬿꭴ𐐣𐑋𐓫𝼛', 'o'],
  // Attacker round 111: the other rings (see above).
  ['°∅∘⊚⌀⌾⍉⍜⍥◉◌◎◐◑◒◓⚪❍⦰⦾⦿⬭⬯⭕🞅🞆🞇', 'o'],
  ['ɶꭢ', 'oe'],
  ['ƿǷҎҏᴩᵽ₱₽Ᵽ', 'p'],
  ['ᑫꞯ', 'q'],
  ['ɼɾґғӷӻꞂꞃꭆꭉꭋꭌꭨ𝼨', 'r'],
  ['ȿ₴ⱾꞄꞅꟌꟍꟘꟙ𝼞𝼩', 's'],
  ['ȾҬҭႠᎿ₮₸⍡ⱦ𐊛𝼉𝼪', 't'],
  ['ʨ', 'tc'],
  ['ᵺ', 'th'],
  ['ꭧ', 'ts'],
  ['ꜩ', 'tz'],
  ['μᏌᵾꭏ', 'u'],
  ['ⱱⱴ', 'v'],
  ['ѼѽᏇ₩⍹ⱲⱳⲰⲱꙌꙍꝡꟂꟃ𑓅', 'w'],
  ['ҲҳӼӽӾӿ⨰ꭓꭔꭕꭖꭗꭘꭙ', 'x'],
  ['¥ΎΫϓϔҰұὙὛὝὟῨῩῪ', 'y'],
  ['ƵƶɀⱫⱬⱿ', 'z'],
];
