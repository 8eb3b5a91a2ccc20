import { domainToUnicode } from 'node:url';
import {
  type Condition,
  ConfigError,
  checkOptionNames,
  domainOf,
  isInternal,
  type MessageHeaders,
  matchesAnyPattern,
  normalizeDomain,
  type RuleContext,
} from '@wmflow/core';
import { normalizeText } from '../content/normalize.js';
import { digitValue } from '../detectors/canon.js';
import { contradictsItself } from '../internal/auth-contradiction.js';
import { type ListInput, patternList, stringList } from '../internal/config.js';
import { loadMime, type Mime } from '../internal/load-mime.js';

import { type OutsideOptions, senderIsInside } from '../senders/outside.js';
import { bidiShown } from './bidi-shown.js';
import { CONFUSABLE_LETTERS, PUNCTUATION_LETTERS } from './confusable-letters.js';
import { joinedWords } from './joined-words.js';
import { TITLES_AFTER, TITLES_BEFORE, withoutTitles } from './titles.js';

// Letters from other scripts that look like Latin ones, and digits used as letters.
const CONFUSABLES: Record<string, string> = {
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  і: 'i',
  ї: 'i',
  ј: 'j',
  ѕ: 's',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  һ: 'h',
  ӏ: 'l',
  α: 'a',
  β: 'b',
  ε: 'e',
  η: 'n',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  ω: 'w',
  '0': 'o',
  '1': 'l',
  '3': 'e',
  '5': 's',
  '4': 'a',
  '7': 't',
  '8': 'b',
  '9': 'g',
  '@': 'a',
  $: 's',
  '+': 't',
  ı: 'i',
  ł: 'l',
  ø: 'o',
  đ: 'd',
  ɑ: 'a',
  ɡ: 'g',
  ɩ: 'i',
  ǀ: 'l',
  ϲ: 'c',
  ϳ: 'j',
  γ: 'y',
  ԍ: 'g',
  ɔ: 'o',
  ʀ: 'r',
  ᴅ: 'd',
  ȷ: 'j',
  ɓ: 'b',
  ƈ: 'c',
  ɗ: 'd',
  ɖ: 'd',
  ƒ: 'f',
  ɠ: 'g',
  ɦ: 'h',
  ɨ: 'i',
  ɉ: 'j',
  ʝ: 'j',
  ƙ: 'k',
  ƚ: 'l',
  ɫ: 'l',
  ɱ: 'm',
  ɲ: 'n',
  ƞ: 'n',
  ƥ: 'p',
  ʠ: 'q',
  ɽ: 'r',
  ʂ: 's',
  ƭ: 't',
  ʋ: 'v',
  ƴ: 'y',
  ȥ: 'z',
  є: 'e',
  п: 'n',
  г: 'r',
  ь: 'b',
  ѡ: 'w',
  ѵ: 'v',
  '⍺': 'a',
  '⍳': 'i',
  '⍴': 'p',
  '⍵': 'w',
  ℮: 'e',
  // Digits drawn as a ring (zero in Indic, Thai, Lao, Khmer and Myanmar scripts, the ideographic zero, the
  // Arabic-Indic five), read as the letter o.
  '\u0665': 'o',
  '\u0966': 'o',
  '\u09e6': 'o',
  '\u0a66': 'o',
  '\u0ae6': 'o',
  '\u0b66': 'o',
  '\u0be6': 'o',
  '\u0c66': 'o',
  '\u0ce6': 'o',
  '\u0d66': 'o',
  '\u0e50': 'o',
  '\u0ed0': 'o',
  '\u1040': 'o',
  '\u17e0': 'o',
  '\u3007': 'o',
  '\u07c0': 'o',
  σ: 'o',
  ဝ: 'o',
  ס: 'o',
  ഠ: 'o',
  '¡': 'i',
  '|': 'l',
  ŧ: 't',
  ħ: 'h',
  ə: 'e',
  ǝ: 'e',
  ꞇ: 't',
  ᥱ: 'e',
  ᑯ: 'd',
  // Latin letters outside the usual look-alike lists: the eth (Ð is drawn as Đ), the open e (as Greek ε), the eng,
  // n with a retroflex hook and the barred o.
  ð: 'd',
  ɛ: 'e',
  ŋ: 'n',
  ɳ: 'n',
  ɵ: 'o',
  // Blackletter, sideways and hooked Latin letters, the intersection sign and ring-shaped Oriya and Georgian
  // letters (attacker round 22).
  ꬽ: 'o',
  ꬲ: 'e',
  ᴑ: 'o',
  ᶏ: 'a',
  ꞑ: 'n',
  '∩': 'n',
  ଠ: 'o',
  ჿ: 'o',
  // Ring-shaped letters and digits of other scripts (attacker round 39), as NFKC and case folding leave them: the
  // Arabic heh and its Urdu, Kurdish and Persian forms (their presentation and mathematical forms fold to them),
  // the extended Arabic-Indic five, Ethiopic pharyngeal a, Osage, Deseret, Warang Citi, Lycian, Carian, Elbasan
  // and Tirhuta o-like letters and zeros.
  '\u0647': 'o',
  '\u06be': 'o',
  '\u06c1': 'o',
  '\u06d5': 'o',
  '\u06f5': 'o',
  '\u12d0': 'o',
  '\u{104ea}': 'o',
  '\u{1042c}': 'o',
  '\u{118c8}': 'o',
  '\u{118d7}': 'o',
  '\u{118d5}': 'o',
  '\u{118e0}': 'o',
  '\u{10292}': 'o',
  '\u{102ab}': 'o',
  '\u{10516}': 'o',
  '\u{114d0}': 'o',
  // e with a stroke, reversed e and e with a notch (attacker round 40).
  '\u0247': 'e',
  '\u0258': 'e',
  '\u2c78': 'e',
  // Letters drawn as punctuation (attacker round 49): the click letter ǃ, Lisu's tone letters (. , ; : drawn) and
  // the saltillo (an apostrophe), read as the punctuation they look like: nothing in a name's words.
  '\u01c3': '',
  '\ua4f8': '',
  '\ua4f9': '',
  '\ua4fa': '',
  '\ua4fb': '',
  '\ua4fc': '',
  '\ua4fd': '',
  '\ua78b': '',
  '\ua78c': '',
  // Shape variants of name kanji drawn all but alike and used interchangeably in the same family name, which no
  // normalisation joins (attacker round 63): 﨑 (a compatibility ideograph without a decomposition) for 崎, the
  // ladder 髙 for 高, 𠮷 for 吉, and 德 黑 靑 淸 冨 舘 眞 惠 曻 槇 瀨 賴 for 徳 黒 青 清 富 館 真 恵 昇 槙 瀬 頼.
  '\ufa11': '崎',
  髙: '高',
  '\u{20bb7}': '吉',
  德: '徳',
  黑: '黒',
  靑: '青',
  淸: '清',
  冨: '富',
  舘: '館',
  眞: '真',
  惠: '恵',
  曻: '昇',
  槇: '槙',
  瀨: '瀬',
  賴: '頼',
};
// Letter pairs drawn like one letter ("Srnith" reads "Smith", "Cloe" "Doe"), folded on both sides of the
// comparison.
const PAIRS = /rn|vv|cl/g;
const PAIR_LETTER: Record<string, string> = { rn: 'm', vv: 'w', cl: 'd' };
// Capitals whose small letters look like another Latin letter (Greek Ν is N but ν is v): mapped before
// case folding.
const CAPITALS: Record<string, string> = { Ν: 'n', Η: 'h', Υ: 'y', Μ: 'm', Ζ: 'z', Ϻ: 'm', Ꞵ: 'b' };
// Letters drawn like Latin ones (Latin small capitals, Lisu, Cherokee, Armenian and more), keyed as
// case folding leaves them (Cherokee capitals fold to their small forms).
const LOOK_ALIKES: [string, string][] = [
  ['ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘʀꜱᴛᴜᴠᴡʏᴢ', 'abcdefghijklmnoprstuvwyz'],
  ['ꓮꓐꓚꓓꓰꓝꓖꓧꓲꓙꓗꓡꓟꓠꓳꓑꓣꓢꓔꓴꓦꓪꓫꓬꓜ', 'abcdefghijklmnoprstuvwxyz'],
  ['ᎪᏴᏟᎠᎬᏀᎻᎥᎫᏦᏞᎷᏢᏒᏚᎢᏙᏔᏃ', 'abcdeghijklmprstvwz'],
  ['օսոհցզ', 'ounhgq'],
  // Canadian syllabics, Coptic capitals, Cyrillic e and c variants, Tifinagh and runic letters.
  ['ᗅᗷᑕᗞᗪᗴᖴᕼᒍᒪᑎᑭᖇᔕᑌᐯᗯ᙭ᘔ', 'abcddefhjlnprsuvwxz'],
  ['ⲀⲂⲤⲈⲎⲒⲔⲘⲚⲞⲢⲦⲨⲬⲌ', 'abcehikmnoptyxz'],
  ['ҽҿԑҫꙇ', 'eeeci'],
  ['ⵔⵏᚱᛒᛁ', 'olrbl'],
  // Capitals whose small forms look like nothing Latin (names are folded first), and letters round 32 found.
  ['ՏᏕϜҮԼᎳĸᑲꞵ', 'ssfylwkbb'],
  // Rounds 35 and 38: Latin tone six (`ƅ`), Cyrillic ka with a stroke, Georgian hae, Armenian ra.
  ['ƅҟჴռ', 'bkhn'],
  // Round 42: Latin letters with a bar, stroke or hook that neither decompose nor are in Unicode's confusables
  // (phonetic and medievalist letters, some added after its version 10), drawn as the plain letter with a mark.
  [
    'ʉɄɬɭʈʐʑɕꬳꬸꬹȴȵȶᵬᵭᵮᵯᵰᵱᵲᵳᵴᵵᵶᶀᶁᶂᶃᶄᶅᶆᶇᶈᶉᶊᶌᶍᶎᶐᶑᶒᶓᶖᶙȼȻꞓꞔƫꝁꝃꝅꝉꝋꝍꝑꝓꝕꝗꝙꝟꞕꞡꞣꞥꞧꞩɍɏɋꞹꞷꟈꟊ',
    'uulltzzcelllntbdfmnprrstzbdfgklmnprsvxzadeeiucccctkkkloopppqqvhgknrsryquwds',
  ],
];
// Letters in negative circles and squares and regional indicators (shown as boxed letters outside a flag
// pair), which NFKC leaves alone: A to Z from their first code point.
for (const first of [0x1f150, 0x1f170, 0x1f1e6]) {
  for (let i = 0; i < 26; i++) CONFUSABLES[String.fromCodePoint(first + i)] = String.fromCharCode(0x61 + i);
}
for (const [from, to] of LOOK_ALIKES) {
  [...from].forEach((ch, i) => {
    CONFUSABLES[ch.toUpperCase().toLowerCase()] = to[i] as string;
  });
}

/**
 * A display name reduced for impersonation checks: NFKC (full-width letters), case folding, diacritics
 * and invisible characters removed, look-alike letters of other scripts mapped to Latin (Cyrillic,
 * Greek, Latin alpha `ɑ`, ring-shaped digits as `o`), `rn`, `vv` and `cl` read as `m`, `w` and `d`, every `i` as `l`, an address written in
 * the name reduced to its local part, punctuation dropped,
 * runs of single letters joined ("J a n e" → "jane"), words sorted (so "Doe, Jane" equals "Jane Doe").
 * Linear in the name's length.
 *
 * @example
 * ```ts
 * skeletonName('Jаne  DOÉ'); // "doe jane" (the "а" was Cyrillic)
 * skeletonName('"Jane.Doe@corp.example"'); // "doe jane"
 * ```
 */
export function skeletonName(name: string): string {
  return nameWords(name).sort().join(' ');
}

// The words of a name in their order (see skeletonName).
// Letters and digits of ASCII text are [A-Za-z0-9]; the Unicode classes cost a cold start their compilation.
const ASCII = /^[^\u0080-\uffff]*$/;
const ASCII_SEPARATORS = /[^A-Za-z0-9]+/g;
const SEPARATORS = /[^\p{L}\p{N}]+/gu;
// The ASCII characters that stand for letters (digits, `@`, `$`), as one class.
const ASCII_CONFUSABLES = asciiConfusables();

// The ASCII characters CONFUSABLES reads as letters, `except` those given, as one class.
function asciiConfusables(except = ''): RegExp {
  return new RegExp(
    `[${Object.keys(CONFUSABLES)
      .filter((ch) => ch.length === 1 && ch.charCodeAt(0) < 0x80 && !except.includes(ch))
      .map((ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`)
      .join('')}]`,
    'g',
  );
}

function nameWords(name: string): string[] {
  // ASCII text (most names) skips the character loops below, which are for other scripts.
  const base = latinLetters(name);
  const tokens = base.split(/[\s<>"'(),;[\]]+/).map((t) => {
    const at = t.lastIndexOf('@');
    return at > 0 && t.slice(at + 1).includes('.') ? t.slice(0, at) : t; // an address: its local part
  });
  const joinedTokens = tokens.join(' ');
  let mapped = '';
  if (ASCII.test(joinedTokens))
    mapped = joinedTokens.replace(ASCII_CONFUSABLES, (ch) => CONFUSABLES[ch] as string);
  else for (const ch of joinedTokens) mapped += CONFUSABLES[ch] ?? ringZero(ch) ?? ch;
  const words = drawnPairs(mapped)
    .replace(ASCII.test(mapped) ? ASCII_SEPARATORS : SEPARATORS, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
  const joined: string[] = [];
  let run = '';
  for (const w of words) {
    if ([...w].length === 1) run += w;
    else {
      if (run) joined.push(run);
      run = '';
      joined.push(w);
    }
  }
  if (run) joined.push(run);
  return joined;
}

// Other scripts' characters read by their prototype before and after NFKC: NFKC turns some into letters the table
// reads otherwise (a lunate sigma `ϲ` into `ς`, then `σ`, read as o: attacker round 41), and makes others of
// mathematical and full-width forms (a bold capital eta `𝚮` into `Η`, an h); and after case folding and
// diacritics stripped: a small letter of a capital it maps (Cherokee `ꭱ`), `ǽ` as `æ`. ASCII text (most names)
// has no capital to map.
function latinLetters(text: string): string {
  const capitals = ASCII.test(text) ? text : byPrototype(byPrototype(text).normalize('NFKC'));
  const folded = normalizeText(capitals, { stripDiacritics: true });
  return ASCII.test(folded) ? folded : byPrototype(folded);
}

// Capitals whose small letters look like another Latin letter, and Unicode's confusables (CONFUSABLE_LETTERS):
// each character as the ASCII letters or digits it is drawn like, before case folding.
function byPrototype(text: string): string {
  PROTOTYPES ??= prototypes();
  let out = '';
  for (const ch of text) out += PROTOTYPES.get(ch) ?? ch;
  return out;
}
let PROTOTYPES: Map<string, string> | undefined;
function prototypes(): Map<string, string> {
  const map = new Map<string, string>();
  for (const [froms, to] of CONFUSABLE_LETTERS)
    for (const ch of froms) {
      map.set(ch, to);
      // Cherokee small letters are drawn as small capitals of their capitals' shapes (`ꭱ` as ʀ; round 42).
      if (ch >= '\u13a0' && ch <= '\u13fd') map.set(ch.toLowerCase(), to);
    }
  for (const [ch, to] of Object.entries(CAPITALS)) map.set(ch, to);
  return map;
}

// Every script's digit zero is drawn as a ring (attacker round 40: Ol Chiki, Limbu, Mongolian, Brahmi…): read as o.
function ringZero(ch: string): string | undefined {
  const cp = ch.codePointAt(0) as number;
  return cp >= 0x80 && DIGIT.test(ch) && digitValue(cp) === 0 ? 'o' : undefined;
}
const DIGIT = /^\p{Nd}$/u;

/** Options of {@link impersonatesProtectedName}. */
export interface ImpersonationOptions extends OutsideOptions {
  /** Protected display names (executives, finance, "IT Helpdesk"). */
  names: ListInput;
  /** Outside addresses that may legitimately use those names (an executive's own other mailbox). */
  allowedSenders?: ListInput;
}

/**
 * True when mail from outside the organization carries a protected name in any `From`, `Sender` or
 * `Reply-To` mailbox: the display name, after normalisation ({@link skeletonName}), holds all the words
 * of a protected name, or the name's letters written as one word ("JaneDoe", "J a n e D o e"). Outside is
 * decided by evidence ({@link senderIsInside}): a protected person writing from their real organization
 * address is authenticated, hence inside, and never flagged; mailboxes listed in `allowedSenders` are
 * never flagged either. Reads only the header block.
 *
 * @example
 * ```ts
 * inbound(when(impersonatesProtectedName({ names: ['Jane Doe', 'Accounts Payable'] }), moveToJunk()))
 * ```
 */
export function impersonatesProtectedName(options: ImpersonationOptions): Condition {
  checkOptionNames('impersonatesProtectedName', options, {
    names: true,
    allowedSenders: true,
    trustedAuthServIds: true,
    evidence: true,
  });
  const protectedNames = stringList('names', options.names).map((n, i) => {
    const words = nameWords(n);
    if (words.length === 0) throw new ConfigError(`names[${i}]`, 'has no letters or digits');
    return { words, compact: compactForms(words), short: shortWords(words) };
  });
  const allowed = patternList('allowedSenders', options.allowedSenders ?? [], true);
  return async (ctx) => {
    const headers = await ctx.message.headers();
    const replyTo = headers.replyTo;
    const parsed: Record<string, readonly { name: string; address: string }[]> = {
      from: headers.from,
      sender: headers.sender,
      'reply-to': replyTo,
      'resent-from': headers.addresses('resent-from'),
      'resent-sender': headers.addresses('resent-sender'),
    };
    // Readings of a Reply-To's comments are that Reply-To's: an allowed one is exempt as it is.
    const replyReadings: object[] = [];
    const readingsOf = async (fields: readonly string[]) => {
      // A group's name (`From: Jane Doe: x@evil.example;`) is shown like a display name.
      const groups = fields.flatMap((f) => headers.groupNames(f).map((name) => ({ name, address: '' })));
      const read = [...fields.flatMap((f) => parsed[f] ?? []), ...groups];
      // Invalid UTF-8 in a `utf-8` encoded word reads as U+FFFD here; a client falling back to Latin-1 shows
      // `=?utf-8?Q?J=E1ne_Doe?=` as Jáne Doe: such names are also read that way.
      const raw = fields.flatMap((f) => headers.all(f));
      const opened = fields.map((f) => ({ f, values: commentsOpened(headers.all(f)) }));
      // A value in raw bytes that are not ASCII or UTF-8 (or raw ISO-2022-JP), which a client may decode in another
      // charset than the Latin-1 read here (attacker round 121).
      const eightBit = fields.flatMap((f) => {
        const values = headers.all(f);
        return headers.bytes(f).filter((bytes, i) => mayShowOtherwise(bytes, values[i] as string));
      });
      // Encoded words, comments and such bytes (and only they) need the MIME tooling: loaded on first use, not at
      // cold start.
      const mime =
        raw.some((v) => v.includes('=?')) || opened.some((o) => o.values.length > 0) || eightBit.length > 0
          ? await loadMime()
          : undefined;
      const latin1 = mime && read.some((b) => b.name.includes('\uFFFD')) ? latin1Readings(raw, mime) : [];
      const comments = mime
        ? opened.flatMap(({ f, values }) => {
            const boxes = values.flatMap((v) =>
              new mime.MessageHeaders(Buffer.from(`X: ${v}\r\n\r\n`)).addresses('x'),
            );
            if (f === 'reply-to') replyReadings.push(...boxes);
            return boxes;
          })
        : [];
      return {
        raw,
        mime,
        boxes: [
          ...read,
          ...latin1,
          ...comments,
          ...(mime ? [...wordFirstReadings(raw, mime), ...joinedReadings(raw, mime)] : []),
          ...(mime ? charsetReadings(eightBit, declaredCharsets(headers.get('content-type')), mime) : []),
        ],
      };
    };
    let { raw, mime, boxes: mailboxes } = await readingsOf(FIELDS);
    // A Resent-From or Resent-Sender (shown by some readers as who sent the message on) is read as a Sender is, but
    // one at an organization address is an organization user's own redirect of the message, which the message's
    // own From is judged for (attacker round 77).
    const resentReadings = async () => {
      const resent = await readingsOf(RESENT_FIELDS);
      raw = [...raw, ...resent.raw];
      mime ??= resent.mime;
      mailboxes.push(...resent.boxes.filter((b) => b.address === '' || !ownAddress(b.address, ctx)));
    };
    await resentReadings();
    // No From mailbox at all: the message is repaired with the envelope sender as its From, which clients then
    // show (`jane.doe@…` reads as Jane Doe), so that address is read as the From.
    if (headers.from.length === 0 && ctx.envelope.mailFrom)
      mailboxes.push({ name: '', address: ctx.envelope.mailFrom });
    if (mailboxes.length === 0) return false;
    // From the organization (by evidence), only a Sender or Reply-To outside it can carry a protected name
    // elsewhere: a signed message of the person replayed with such a Reply-To added (attacker round 43), read
    // every way the others are (a group, an encoded word read first: round 44).
    if (await senderIsInside(ctx, options)) {
      ({ raw, mime, boxes: mailboxes } = await readingsOf(['sender', 'reply-to']));
      await resentReadings();
      mailboxes = mailboxes.filter(
        (b) => b.address === '' || !isInternal(b.address, ctx.organizationDomains),
      );
      if (mailboxes.length === 0) return false;
    } else {
      // Outside mail whose From is an organization address, while the trusted results say DMARC failed for it (a
      // `p=none` record, or DMARC not enforced): the organization's own address borrowed, as one written as the
      // display name is (attacker round 72). Without a DMARC failure (no record, no trusted header) it stays a claim.
      const own = await ownFromFailedDmarc(ctx, headers.from, headers.decodedAll('from'), options);
      if (own !== undefined) {
        ctx.note(`the From "${own.address.slice(0, 80)}" is an address of the organization, and ${own.why}`);
        return true;
      }
      // The organization's address as the Sender of outside mail: Outlook shows `payroll@corp.example on behalf of
      // x@evil.example` (attacker round 77). A Reply-To is not flagged so: replies reach the organization, and
      // services writing for it set one. Beside an organization From (a delegate's mail where no evidence says
      // inside, as on SES) the question is the From's, above.
      const ownFrom = headers.from.some((b) => b.address !== '' && ownAddress(b.address, ctx));
      const ownSender = ownFrom
        ? undefined
        : headers.sender.find((b) => b.address !== '' && ownAddress(b.address, ctx));
      if (ownSender !== undefined) {
        ctx.note(
          `the Sender "${ownSender.address.slice(0, 80)}" of outside mail is an address of the organization`,
        );
        return true;
      }
    }
    // A display name in a charset that cannot be decoded (EBCDIC) is shown by clients but not known here.
    const tools = mime;
    const unknown = tools ? raw.flatMap((v) => tools.undecodableCharsets(v)) : [];
    if (unknown.length > 0) {
      ctx.note(
        `a display name in charset ${unknown[0]?.slice(0, 40)} cannot be decoded: treated as impersonation`,
      );
      return true;
    }
    // An allowed address is only a claim where any sender can write it (attacker rounds 43, 44): the From is
    // exempt when it is the one From a reader sees and DMARC passed for its domain (a signature of the domain
    // alone vouches for any of its users, and a replayed message may carry another From on top); a Sender never.
    // A Reply-To naming it sends replies to that mailbox, and is exempt as it is.
    const claimed = mailboxes.some((b) => b.address && matchesAnyPattern(b.address, allowed));
    const single =
      headers.all('from').length === 1 && headers.from.length === 1 ? headers.from[0] : undefined;
    const vouched = claimed && single ? await dmarcPassed(ctx, options) : new Set<string>();
    const replies = new Set<object>([...replyTo, ...replyReadings]);
    const exempt = (box: { address: string }) =>
      box.address !== '' &&
      matchesAnyPattern(box.address, allowed) &&
      (replies.has(box) ||
        (single !== undefined &&
          box.address.toLowerCase() === single.address.toLowerCase() &&
          vouched.has(domainOf(box.address))));
    // A display name that shows an address of the organization (`"payroll@corp.example" <x@evil.example>`) on
    // outside mail is the organization's own name borrowed (attacker round 43, A43-6).
    // Without a display name, clients show the address itself: a quoted local part holding the organization's
    // address (`"payroll@corp.example"@evil.example`) shows it first (attacker round 52, A52-4).
    const shownText = (box: { name: string; address: string }) =>
      nameWords(box.name).length === 0 ? [box.name, localPart(box.address)] : [box.name];
    const borrowed =
      mailboxes
        .filter((box) => !exempt(box))
        .flatMap(shownText)
        .find((text) => showsOwnAddress(text, ctx.organizationDomains)) ??
      // A display name whose first word is the organization's domain (`"corp.example" <x@evil.example>`) shows it as
      // the sender (attacker round 76); a local part so written (`corp.example@partner.example`) does not.
      mailboxes
        .filter((box) => !exempt(box))
        .map((box) => box.name)
        .find((name) => showsOwnAddress(name, ctx.organizationDomains, true));
    if (borrowed !== undefined) {
      ctx.note(
        `"${borrowed.slice(0, 80)}", shown as the sender, is an address or domain of the organization on outside mail`,
      );
      return true;
    }
    // An address at a look-alike of an organization domain (`it@c0rp.example`, `ceo@corp-example.com`), which a
    // reader takes for the organization's own (attacker round 77). Each domain once: the work is bounded by the
    // header block.
    const seen = new Set<string>();
    for (const box of mailboxes) {
      if (box.address === '' || exempt(box)) continue;
      const domain = domainOf(box.address);
      if (seen.has(domain)) continue;
      seen.add(domain);
      const like = lookAlike(domain, ctx.organizationDomains);
      if (like !== undefined) {
        ctx.note(`the address "${box.address.slice(0, 80)}" is at a look-alike of ${like}`);
        return true;
      }
    }
    return mailboxes.some((box) => {
      if (exempt(box)) return false;
      // A right-to-left override shows the letters it covers in reverse order (all of the name, or one word or
      // part of one: `Jane \u202Ehtims`): check it as drawn, and wholly reversed.
      // Without a display name, clients show the address itself (`jane.doe@…` reads as Jane Doe); a name of
      // nothing but invisible characters or punctuation (U+200B, the Hangul filler) shows as blank beside it.
      const label = nameWords(box.name).length === 0 ? box.address : box.name;
      const ordered = RTL_OVERRIDE.test(label)
        ? [label, bidiShown(label), [...label].reverse().join('')]
        : [label];
      // An address shown as the name (`jane.doe@ai`, `jane.doe@[192.0.2.1]`, `"jane.doe@ceo"`) reads as its local
      // part whatever its domain: also read without the domains (an `@` alone is a letter, as in `J@ne`).
      const turned = label.includes('@')
        ? [...ordered, ...ordered.map((n) => n.replace(AT_DOMAIN, ' '))]
        : ordered;
      // A combining letter drawn over the letter before it (`J\u0363ne Doe` shows a small a over the J) is one of
      // the name's letters to a reader, not a diacritic to strip (attacker round 70): also read as that letter.
      const lettered = COMBINING_LETTER.test(label)
        ? [...turned, ...turned.map(combiningLettersShown)]
        : turned;
      // Characters drawn narrow or not at all (a hair or thin space, a control, a private-use or format
      // character) inside a word ("Ja\u200Ane Doe") read as nothing: the name is also read without them.
      const shown = NARROW_TEST.test(label)
        ? [...lettered, ...lettered.map((n) => n.replace(NARROW, ''))]
        : lettered;
      // The ASCII signs read as letters above (`|` as l, `@` as a, `$` as s, `+` as t) are also drawn as what they
      // are: a bar or a plus glued to a word (`Jane Doe|CEO`, `CEO|Jane Doe`, `Jane|Doe`, `Jane Doe+Co`) separates
      // it, as a reader sees it (attacker round 60: such names read `doelceo`, `janeldoe`). So are letters drawn as
      // punctuation (`JaneꞏDoe`, `Jane DoeꞏCEO`, `ߴJane Doeߵ`, `Jane Doeʔ`), and modifier letters and East Asian
      // letters that no table reads as Latin, which a Latin name's word does not run into: a Hangul filler drawn
      // blank (`Jane Doe\u3164CEO` shows Jane Doe CEO), `ㆍ` drawn as a dot, `ㅡ`, `ー` and `ـ` as a dash, an
      // honorific (`Jane Doe様`) (attacker round 63).
      const signs = SIGN_LETTERS.test(label) ? [...shown, ...shown.map(separated)] : shown;
      return signs.some(
        (name) =>
          matchesProtected(name, protectedNames) ||
          (isGlued(name) && matchesProtected(unglued(name), protectedNames)),
      );
    });
  };
}

/**
 * Whether a display name shows an address in one of the organization's domains or a subdomain of one (attacker
 * round 52, A52-2), or with `leading`, such a domain as its first word (`"corp.example" <x@evil.example>`, attacker
 * round 76), read as drawn: NFKC,
 * case-folded, invisible characters as nothing, a right-to-left override's letters in their shown order, other
 * scripts' look-alike letters as the Latin ones (`payroll@corp\u200B.example`, `payroll@сorp.example`: attacker
 * round 45). Also read, on both sides, with characters drawn as a dot or an at sign as those (`corpꓸexample`,
 * `corp·example`, `corp𐄁example`, `payrollⓐcorp.example`, `payrollа⃝corp.example`), with the ASCII characters drawn
 * as letters as those (`c0rp.examp1e`, `corp.examp|e`), and with both (attacker rounds 50, 51); each of those also
 * with white space beside the at sign and dots closed up (`payroll @ corp . example`, A52-3): each reading only
 * adds to the ones before. Linear: eight passes of single-character classes.
 */
function showsOwnAddress(name: string, domains: readonly string[], leading = false): boolean {
  const shows = AT_SHOWN.test(name) || (name.includes('\u20dd') && CIRCLED.test(name));
  if (domains.length === 0 || !(shows || (leading && DOT_OR_OTHER.test(name)))) return false;
  const ordered = RTL_OVERRIDE.test(name) ? [name, bidiShown(name), [...name].reverse().join('')] : [name];
  // Combining letters drawn over the letter before them (`c\u0366rp.example`) also as those letters (round 70).
  const drawn = COMBINING_LETTER.test(name) ? [...ordered, ...ordered.map(combiningLettersShown)] : ordered;
  // The reading as typed is kept: a `|` or `·` after the address ends it (`payroll@corp.example|Payroll`), and an
  // organization domain's punycode has digits.
  for (const [punctuated, lettered] of READINGS) {
    // A `*.` pattern's base domain: the organization's as a reader sees it.
    const own = domains.map((d) =>
      normalizeDomain(asDrawn(d.trim().replace(/^\*\./, ''), punctuated, lettered)),
    );
    for (const reading of drawn) {
      const read = asDrawn(reading.replace(NARROW, ''), punctuated, lettered);
      // White space beside the at sign or a dot (`payroll @ corp.example`, a no-break space after the `@`) is read
      // over, as a reader does (A52-3); the reading as spaced is kept (`payroll@corp.example. Pay today`).
      for (const text of SPACED.test(read) ? [read, closedUp(read)] : [read]) {
        for (const m of text.matchAll(/@([\p{L}\p{N}.-]+)/gu)) {
          const domain = trimDots(m[1] ?? '');
          if (domain !== '' && underOwn(domain, own)) return true;
        }
        // The name's first word, a domain alone (`"corp.example" <x@evil.example>`, `CORP.EXAMPLE IT`).
        const first = leading ? FIRST_WORD.exec(text) : null;
        if (first && underOwn(trimDots(first[0]), own)) return true;
      }
    }
  }
  return false;
}

/**
 * The text of a mailbox that a reader takes for an address or the domain of the organization, or undefined (attacker
 * round 92): its display name (or, without one, the local part a client shows in its place) showing an address in an
 * organization domain or a subdomain of one, or a display name whose first word is such a domain, read as drawn as
 * impersonation reads them (rounds 43, 52, 76). No protected name is needed: `tagExternal` asks it of outside mail it
 * cannot tag. Linear, as `showsOwnAddress`.
 *
 * @example
 * ```ts
 * shownAsOrganization({ name: 'ceo@corp.example', address: 'x@evil.example' }, ['corp.example']); // 'ceo@corp.example'
 * shownAsOrganization({ name: 'Ann (for corp.example)', address: 'ann@partner.example' }, ['corp.example']); // undefined
 * ```
 */
export function shownAsOrganization(
  box: { name: string; address: string },
  domains: readonly string[],
): string | undefined {
  const texts = nameWords(box.name).length === 0 ? [box.name, localPart(box.address)] : [box.name];
  const shown = texts.find((text) => showsOwnAddress(text, domains));
  if (shown !== undefined) return shown;
  return showsOwnAddress(box.name, domains, true) ? box.name : undefined;
}

// Whether a shown domain is one of the organization's or any subdomain of one (`hr.corp.example`, A52-2): a
// reader takes a made-up subdomain for the organization's own, though routing (isInternal) rightly does not.
function underOwn(domain: string, own: readonly string[]): boolean {
  const shown = normalizeDomain(domain);
  return shown !== '' && own.some((o) => o !== '' && (shown === o || shown.endsWith(`.${o}`)));
}

// A display name's first word, of a domain's characters: one the organization's domain alone shows as the sender
// (attacker round 76). Only the first: a partner's `Ann (for corp.example)` names the organization, not itself.
const FIRST_WORD = /[\p{L}\p{N}][\p{L}\p{N}.-]*/u;
// A dot, or a character outside ASCII a reading may draw as one (`corp·example`): the only names that can show a
// domain without an at sign.
const DOT_OR_OTHER = /[.\u0080-\uffff]/;
const SPACED = /\s[@.]|[@.]\s/;
// Runs of white space next to an at sign or a dot removed; one match per run, so linear.
function closedUp(text: string): string {
  return text.replace(/\s+/g, (run: string, at: number) =>
    AT_OR_DOT.test(text[at - 1] ?? '') || AT_OR_DOT.test(text[at + run.length] ?? '') ? '' : run,
  );
}
const AT_OR_DOT = /^[@.]$/;

// An address without its last `@domain`: what a client shows first when there is no display name.
function localPart(address: string): string {
  const at = address.lastIndexOf('@');
  return at > 0 ? address.slice(0, at) : '';
}

const READINGS: [boolean, boolean][] = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
];
// An at sign as shown: `@`, its full-width and small forms (NFKC `@`), and a circled a (`ⓐ`, `Ⓐ`), which NFKC
// makes a plain letter; or any letter in a combining enclosing circle (CIRCLED).
const AT_SHOWN = /[@\uff20\ufe6b\u24b6\u24d0]/;
// A letter drawn inside a combining enclosing circle (U+20DD), with marks, format, control and private-use
// characters between drawn on it or as nothing (a variation selector, a joiner): the Latin, Cyrillic and Greek a
// and the Latin alpha in a circle are all drawn as an at sign (attacker round 51, A51-9), and any other letter is
// read so too, rather than a list of those that look like a. Linear: the characters between are never letters.
const CIRCLED_CLASS = '\\p{L}[\\p{Mn}\\p{Cf}\\p{Cc}\\p{Co}]*\\u20dd';
const CIRCLED = new RegExp(CIRCLED_CLASS, 'u');
// Characters drawn as the punctuation of an address, read as it in a domain (a name's words read the letters
// among them as nothing): Lisu's tone letters (`ꓸ` is a full stop, `ꓹ` a comma), the click letter and the
// saltillo; the circled a as `@` (attacker round 50, A50-12 and A50-13). Egyptian format controls and the null
// notehead, drawn as nothing, are nothing. Other punctuation and symbols are read by their class (DRAWN_DOTS).
const DRAWN_PUNCT: Record<string, string> = {
  '\ua4f8': '.',
  '\ua4f9': ',',
  '\ua4fa': '.',
  '\ua4fb': '.,',
  '\ua4fc': ';',
  '\ua4fd': ':',
  '\u01c3': '!',
  '\ua78b': "'",
  '\ua78c': "'",
  '\u24b6': '@',
  '\u24d0': '@',
};
// The characters Unicode's confusables.txt draws as dots (prototype `.` or `·`) that are not punctuation or
// symbols, which DRAWN_DOTS reads by class: Arabic-Indic and extended Arabic-Indic zeros, the Canadian final
// middle dot, the Latin sinological dot, the Tifinagh three dots and the musical augmentation dot. The test reads
// every dot of the table, so a table with more fails it.
for (const dot of ['\u0660', '\u06f0', '\u1427', '\ua78f', '\u2d48', '\u{1d16d}']) DRAWN_PUNCT[dot] = '.';
const DRAWN_PUNCT_CHARS = new RegExp(
  `${CIRCLED_CLASS}|[${Object.keys(DRAWN_PUNCT)
    .map((k) => `\\u{${(k.codePointAt(0) as number).toString(16)}}`)
    .join('')}]|[\\u{13430}-\\u{1343f}\\u{1d159}]`,
  'gu',
);
// In a domain, after NFKC and the letters read as Latin ones, any other punctuation, symbol or modifier letter is
// drawn as a separator (attacker round 51, A51-10: `corp𐄁example`, `corp🞄example`, `corp⸰example`,
// `corp་example`, `corpॱexample`, beside the middle dots, bullets and full stops of round 50): a dash as `-`, the
// others as `.`, a run of them as one. Only characters outside ASCII: `|`, `_` or `,` are drawn as themselves.
const DRAWN_DOTS = /(?=[\u0080-\u{10ffff}])(?:(\p{Pd})|[\p{P}\p{S}\p{Lm}])/gu;
// The ASCII characters the name check reads as letters (`0` as o, `1` and `|` as l), but the at sign.
const ASCII_LETTER_LIKES = asciiConfusables('@');

// Text as its letters are drawn, read as a name's letters are (attacker round 49: the address's domain was read
// with the Unicode table only, `exaмple`, `cørp`, `exampłe` passed): look-alike letters of other scripts as Latin
// ones, before and after NFKC and case folding, diacritics stripped, ring-shaped zeros as o, letter pairs drawn as
// one letter and i as l; with `punctuated`, characters drawn as an address's punctuation as it (DRAWN_PUNCT), and
// with `lettered`, ASCII digits and signs drawn as letters as those. The organization's own domains are read the
// same way.
function asDrawn(text: string, punctuated: boolean, lettered: boolean): string {
  const shown = punctuated
    ? text.replace(DRAWN_PUNCT_CHARS, (ch) => (ch.endsWith('\u20dd') ? '@' : (DRAWN_PUNCT[ch] ?? '')))
    : text;
  const nfkc = shown.normalize('NFKC');
  let mapped = '';
  if (ASCII.test(nfkc)) mapped = nfkc.toLowerCase();
  else {
    for (const ch of latinLetters(shown))
      mapped += ch < '\u0080' ? ch : (CONFUSABLES[ch] ?? ringZero(ch) ?? ch);
    mapped = mapped.toLowerCase();
    if (punctuated) mapped = mapped.replace(DRAWN_DOTS, (_, dash) => (dash ? '-' : '.'));
  }
  // Dots drawn in a row (`‥`, `…`, `⋯` are two or three) as one.
  if (punctuated && mapped.includes('..')) mapped = mapped.replace(/\.{2,}/g, '.');
  return drawnPairs(
    lettered ? mapped.replace(ASCII_LETTER_LIKES, (ch) => CONFUSABLES[ch] as string) : mapped,
  );
}

// Letter pairs drawn as one letter as it, and every i as l (a capital I and a small l are drawn alike: "SMlTH").
function drawnPairs(text: string): string {
  return text.replace(PAIRS, (pair) => PAIR_LETTER[pair] as string).replace(/i/g, 'l');
}

// Dots and hyphens trimmed from both ends by index (a `[.-]+$` pattern rescans a long run from each of its places).
function trimDots(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && (text[start] === '.' || text[start] === '-')) start++;
  while (end > start && (text[end - 1] === '.' || text[end - 1] === '-')) end--;
  return text.slice(start, end);
}

/**
 * The first From address in an organization domain, or a subdomain of one, when the trusted results report DMARC
 * `fail` for such a domain (or, as SES's receipt does, for the From without naming it), or when another From
 * mailbox stands beside it, or when the trusted results judged a From in a domain of nobody's here (the From
 * they read is not the one read here); otherwise undefined.
 */
async function ownFromFailedDmarc(
  ctx: RuleContext,
  from: readonly { address: string }[],
  fromFields: readonly string[],
  options: OutsideOptions,
): Promise<{ address: string; why: string } | undefined> {
  // An organization domain or any subdomain of one (`payroll@hr.corp.example`): a reader takes a made-up subdomain
  // for the organization's own, and DMARC judges it by the organization's record (attacker round 73).
  const domains = ctx.organizationDomains.map((d) => normalizeDomain(d.trim().replace(/^\*\./, '')));
  const ours = (address: string) =>
    isInternal(address, ctx.organizationDomains) || underOwn(domainOf(address), domains);
  const own = from.find((b) => b.address !== '' && ours(b.address));
  if (!own) return undefined;
  // Beside another From mailbox, which one DMARC judged (and passed) is not the one a client shows.
  if (from.length > 1) return { address: own.address, why: 'another From mailbox stands beside it' };
  const verdicts = await ctx.message.authVerdicts(options.trustedAuthServIds);
  const dmarc = verdicts.methods.filter((m) => m.method === 'dmarc');
  const judged = (m: (typeof dmarc)[number]) => normalizeDomain(m.props['header.from'] ?? '');
  const failed = dmarc.some((m) => m.result === 'fail' && (judged(m) === '' || ours(`x@${judged(m)}`)));
  if (failed) return { address: own.address, why: 'DMARC failed for it' };
  // DMARC judged (and passed) a From in another domain than the one read here: a From written so that readers
  // disagree on its mailbox (`Payroll <payroll@corp.example> <x@evil.example>`, a comment or a source route
  // naming the other), so the one a client shows is not known to be the one judged (attacker round 73).
  const other = dmarc.map(judged).find((d) => d !== '' && !ours(`x@${d}`));
  if (other !== undefined)
    return { address: own.address, why: `DMARC judged a From in ${other.slice(0, 80)} instead` };
  // SES's receipt gives DMARC's result without the domain it judged: a From field that also names an address in
  // another domain (a second angle address, a comment, a source route) may have had that one judged and passed,
  // as SES's header would have said on WorkMail (attacker round 80).
  if (dmarc.length > 0 && dmarc.every((m) => judged(m) === '')) {
    const named = namedDomains(fromFields).find((d) => !ours(`x@${d}`));
    if (named !== undefined)
      return {
        address: own.address,
        why: `DMARC's result names no domain, and the From field also names ${named.slice(0, 80)}`,
      };
  }
  return undefined;
}

// What follows each at sign of the fields up to a delimiter (an address's domain, a source route's hop, an
// address literal), normalized; one match per at sign, so linear.
const AFTER_AT = /@([^\s<>"'(),;:@]+)/g;
function namedDomains(fields: readonly string[]): string[] {
  const domains: string[] = [];
  for (const field of fields)
    for (const m of field.matchAll(AFTER_AT)) {
      const domain = normalizeDomain(m[1] as string);
      if (domain !== '') domains.push(domain);
    }
  return domains;
}

/** The From domains the trusted Authentication-Results says DMARC passed for. */
async function dmarcPassed(ctx: RuleContext, options: OutsideOptions): Promise<Set<string>> {
  const verdicts = await ctx.message.authVerdicts(options.trustedAuthServIds);
  const domains = new Set<string>();
  if (contradictsItself(verdicts)) return domains;
  for (const m of verdicts.methods)
    if (m.method === 'dmarc' && m.result === 'pass')
      domains.add(normalizeDomain(m.props['header.from'] ?? ''));
  domains.delete('');
  return domains;
}

const RTL_OVERRIDE = /[\u202B\u202E\u2067]/;
// The ASCII signs read as letters, and letters drawn as punctuation or symbols only: Unicode's confusables (`ꞏ`
// and `ᐧ` a middle dot, `ʔ` a question mark, `ߴ` an apostrophe) and, by hand, the Armenian half ring `ՙ` and the
// Cyrillic payerok `ꙿ` (drawn as `ʿ` and a raised tilde). Also by hand (attacker round 66): Tifinagh letters drawn
// as dots (`ⴾ` ⁖, `ⵂ` ⁝, `ⵆ` ⁘, `ⵗ` a colon, `ⵘ` ∵), as a plus (`ⵜ`) and as a bar (`ⵏ`, `ⵊ`), Lisu's tone letter
// drawn as a semicolon (`ꓼ`) and its bar-shaped `ꓲ`, and the bar-shaped letters of other scripts (the dental
// click, Hebrew vav, Arabic alef, N'Ko a, the rune isaz): read as an `l` by the tables, but glued to a word
// (`Jane DoeⵏCEO`) drawn as the `|` round 60 also reads as a separator.
const SIGN_CLASS = `[@$+|\u0559\ua67f\u2d3e\u2d42\u2d46\u2d57\u2d58\u2d5c\u2d4f\u2d4a\ua4fc\ua4f2\u01c0\u05d5\u0627\u07ca\u16c1${PUNCTUATION_LETTERS}]`;
const OTHER_LETTER_CLASS =
  '\\p{Lm}\\p{Script=Han}\\p{Script=Hangul}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Bopomofo}\\p{Script=Mongolian}';
const SIGN_LETTERS = new RegExp(`${SIGN_CLASS}|[${OTHER_LETTER_CLASS}]`, 'u');
const SIGN_CHARACTER = new RegExp(`^${SIGN_CLASS}$`, 'u');
const OTHER_LETTER = new RegExp(`^[${OTHER_LETTER_CLASS}]$`, 'u');

// A name with each sign and each other letter (one CONFUSABLES and Unicode's confusables do not read as Latin) as a
// space. Linear in the name's length.
function separated(name: string): string {
  PROTOTYPES ??= prototypes();
  let out = '';
  for (const ch of name)
    out +=
      SIGN_CHARACTER.test(ch) ||
      (OTHER_LETTER.test(ch) && CONFUSABLES[ch] === undefined && !PROTOTYPES.has(ch))
        ? ' '
        : ch;
  return out;
}
const AT_DOMAIN = /@[^\s<>"'(),;]+/g;
// Combining letters and the letters they draw (attacker round 70): the medieval Latin ones (U+0363–U+036F,
// U+1DD3–U+1DF4: ligatures by their first letter, alpha and beta as a and b, eth as d, schwa as e) and the Cyrillic ones
// (U+2DE0–U+2DFF, U+A674–U+A67B, as the Cyrillic letter, which the tables then read as Latin where it looks so).
// `_` marks one drawn like no letter, left to be stripped as a mark.
const COMBINING_LETTER_RANGES: [first: number, letters: string][] = [
  [0x0363, 'aeioucdhmrtvx'],
  [0x1dd3, 'aaaacddggkllmnnrrsszabbeflop_uwaou'],
  [0x2de0, 'бвгджзклмнопрстхцчшщѳсае__ѣюꙗѧѫѭ'],
  [0xa674, 'єіїуъыьѡ'],
];
const COMBINING_LETTERS = new Map<string, string>();
for (const [first, letters] of COMBINING_LETTER_RANGES)
  [...letters].forEach((letter, i) => {
    if (letter !== '_') COMBINING_LETTERS.set(String.fromCodePoint(first + i), letter);
  });
const COMBINING_LETTER = /[\u0363-\u036f\u1dd3-\u1df4\u2de0-\u2dff\ua674-\ua67b]/;
const COMBINING_LETTER_ALL = new RegExp(COMBINING_LETTER.source, 'g');
// A name with each combining letter as the letter it draws. Linear in the name's length.
function combiningLettersShown(name: string): string {
  return name.replace(COMBINING_LETTER_ALL, (ch) => COMBINING_LETTERS.get(ch) ?? ch);
}
// Spaces narrower than a letter (six-per-em, punctuation, thin, hair, narrow no-break, medium mathematical),
// line and paragraph separators, the braille blank, interlinear annotation marks, controls (a tab among them),
// format and private-use characters, a soft hyphen and the combining grapheme joiner.
const NARROW_CLASS =
  '[\\u00ad\\u034f\\u061c\\u180e\\u0000-\\u0008\\u0009\\u000b-\\u001f\\u007f-\\u009f\\u2006\\u2008-\\u200f\\u2028-\\u202f\\u205f-\\u206f\\u2800\\ufeff\\ufff9-\\ufffb\\ue000-\\uf8ff\\u{f0000}-\\u{10ffff}]';
const NARROW = new RegExp(NARROW_CLASS, 'gu');
const NARROW_TEST = new RegExp(NARROW_CLASS, 'u');
// A title or a number glued to a name (`Jane DoeCEO`, `DrJane Doe`, `Jane Doe2`, `Jane Doe™`, `Jane Doeᴹᴰ`)
// is also read as a word of its own. ASCII names (most) are tested without Unicode classes, which cost a cold
// start their compilation.
const GLUED_ASCII = /[a-z][A-Z]|[A-Z]{2}[a-z]|[A-Za-z]\d|\d[A-Za-z]/;
// Enclosed letters drawn as emoji (a flag's regional indicators, 🅰, 🅱) map to letters (CONFUSABLES) but
// stand apart from a name they are glued to (`Jane Smith🇺🇸` reads "Jane Smith us", not "Jane Smithus").
const ENCLOSED = '\\u{1f150}-\\u{1f169}\\u{1f170}-\\u{1f189}\\u{1f1e6}-\\u{1f1ff}';
const GLUED = new RegExp(
  `\\p{Ll}\\p{Lu}|\\p{Lu}{2}\\p{Ll}|\\p{L}\\p{N}|\\p{N}\\p{L}|[\\u00b2\\u00b3\\u00b9\\u2070-\\u209f\\u1d2c-\\u1dbf\\u2120-\\u2122\\u02b0-\\u02ff\\uff21-\\uff5a${ENCLOSED}]`,
  'u',
);

const APART = new RegExp(
  `[\\u00b2\\u00b3\\u00b9\\u2070-\\u209f\\u1d2c-\\u1dbf\\u2120-\\u2122\\u02b0-\\u02ff]+|[${ENCLOSED}]+`,
  'gu',
);

function isGlued(name: string): boolean {
  return ASCII.test(name) ? GLUED_ASCII.test(name) : GLUED.test(name);
}

function unglued(name: string): string {
  const split = (text: string) =>
    text
      .replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2')
      .replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, '$1 $2')
      .replace(/(\p{L})(\p{N})/gu, '$1 $2')
      .replace(/(\p{N})(\p{L})/gu, '$1 $2');
  if (ASCII.test(name)) return split(name);
  // Superscripts, modifier letters and symbols such as ™ stand apart from the letters before them.
  const apart = name.replace(APART, ' $& ');
  return split(apart.normalize('NFKC'));
}

// Whether a field's bytes may be shown as other letters than `read` here: a byte above 0x7F in a value that is not
// UTF-8, or that is but was read as Latin-1 (another field of the block was not UTF-8, and a client decodes each
// field apart); or an escape (raw ISO-2022-JP).
function mayShowOtherwise(bytes: Buffer, read: string): boolean {
  if (bytes.includes(0x1b)) return true;
  if (!bytes.some((b) => b >= 0x80)) return false;
  try {
    return STRICT_UTF8.decode(bytes) !== read;
  } catch {
    return true;
  }
}
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The mailboxes of the address fields `fields` as a client may show their raw 8-bit bytes, decoded in another charset
 * than the Latin-1 (or UTF-8) read here: the message's declared charset, the code pages of `rawHeaderReadings`, UTF-8
 * (attacker round 121). Group names come as mailboxes without an address. Empty, without loading the MIME tooling,
 * when no field holds such bytes. Linear in the fields' length (at most eighteen readings of each).
 *
 * @example
 * ```ts
 * await recodedMailboxes(headers, ['from']); // [{ name: 'Jаnе Dое', address: 'x@evil.example' }, …] for windows-1251
 * ```
 */
export async function recodedMailboxes(
  headers: MessageHeaders,
  fields: readonly string[],
): Promise<{ name: string; address: string }[]> {
  const eightBit = fields.flatMap((f) => {
    const values = headers.all(f);
    return headers.bytes(f).filter((bytes, i) => mayShowOtherwise(bytes, values[i] as string));
  });
  if (eightBit.length === 0) return [];
  return charsetReadings(eightBit, declaredCharsets(headers.get('content-type')), await loadMime());
}

// The charset the message's Content-Type declares (Thunderbird and Outlook decode raw header bytes in it), if any.
function declaredCharsets(contentType: string | undefined): string[] {
  const m = /charset\s*=\s*"?([^";\s]{1,64})/i.exec(contentType ?? '');
  return m ? [m[1] as string] : [];
}

// The mailboxes of raw 8-bit field values as each charset a client may decode them in shows them (rawHeaderReadings):
// a display name written in windows-1251 or Shift_JIS bytes (attacker round 121). Group names read as display names.
function charsetReadings(
  values: readonly Buffer[],
  declared: readonly string[],
  mime: Mime,
): { name: string; address: string }[] {
  return values.flatMap((bytes) =>
    mime.rawHeaderReadings(bytes, declared).flatMap((v) => {
      const parsed = new mime.MessageHeaders(Buffer.from(`X: ${v.replace(/[\r\n]/g, ' ')}\r\n\r\n`));
      return [...parsed.addresses('x'), ...parsed.groupNames('x').map((name) => ({ name, address: '' }))];
    }),
  );
}

function latin1Readings(raw: readonly string[], mime: Mime): { name: string; address: string }[] {
  return raw
    .filter((v) => /=\?utf-?8[?*]/i.test(v))
    .flatMap((v) => {
      const value = v.replace(/=\?utf-?8(?=[?*])/gi, '=?iso-8859-1');
      return new mime.MessageHeaders(Buffer.from(`X: ${value}\r\n\r\n`)).addresses('x');
    });
}

// An encoded word holding an address special (`=?iso-2022-jp?Q?=1B(BJane_Doe?=`, whose `ESC ( B` decodes to
// nothing; a charset label `iso_8859-1:1987`) opens a comment or a group to a parser that reads the field
// first, while Thunderbird takes the word whole and decodes it: such fields are also read decoded first.
const ENCODED_WORD = /=\?[^?\s]{1,64}\?[bBqQ]\?[^?\s]*\?=/g;
const ADDRESS_SPECIAL = /[()<>,;:"@\\[\]]/;
function wordFirstReadings(raw: readonly string[], mime: Mime): { name: string; address: string }[] {
  return raw
    .filter((v) => [...v.matchAll(ENCODED_WORD)].some((m) => ADDRESS_SPECIAL.test(m[0])))
    .flatMap((v) => {
      const decoded = mime.decodeHeaderWords(v).replace(/[\r\n]/g, ' ');
      return new mime.MessageHeaders(Buffer.from(`X: ${decoded}\r\n\r\n`)).addresses('x');
    });
}
const FIELDS = ['from', 'sender', 'reply-to'];
const RESENT_FIELDS = ['resent-from', 'resent-sender'];

// An address in an organization domain or a subdomain of one.
function ownAddress(address: string, ctx: RuleContext): boolean {
  return (
    isInternal(address, ctx.organizationDomains) ||
    underOwn(domainOf(address), ownBases(ctx.organizationDomains))
  );
}
// The organization domains, a `*.` pattern as its base domain, normalized.
function ownBases(domains: readonly string[]): string[] {
  return domains.map((d) => normalizeDomain(d.trim().replace(/^\*\./, ''))).filter((d) => d !== '');
}

/**
 * The organization domain an outside domain is a look-alike of, with how, or undefined (attacker round 77). Read as
 * drawn (asDrawn, each of READINGS, punycode as its letters, on both sides), a domain is a look-alike of an
 * organization domain it is not, nor under, when it: reads as it or a subdomain of it (`c0rp.example`,
 * `xn--orp-3ed.example`, `corp.exarnple`); is one edit from it (a letter changed, added, removed, two neighbours
 * swapped) inside a label of five letters or more (`corp.exampel`; `core.example` is a real neighbour of a short
 * label), or is a letter doubled in a label of three or four (`corpp.example`, attacker round 84); has its labels
 * run together, of six letters or more, before another ending (`corp-example.com`, `corpexample.com`,
 * `corp.example.co`, `mail.corp-example.com`); or carries it whole, between label boundaries, before more
 * (`corp.example.evil.example`, `corp.example-secure.com`, `secure-corp.example.net`). Linear in the domain's length
 * for each reading and organization domain (a domain is at most 255 characters).
 */
export function lookAlike(domain: string, domains: readonly string[]): string | undefined {
  if (domain === '' || domain.startsWith('[')) return undefined;
  const bases = ownBases(domains);
  if (bases.length === 0 || underOwn(domain, bases)) return undefined;
  const shown = domainToUnicode(domain) || domain;
  for (const [punctuated, lettered] of READINGS) {
    const read = trimDots(asDrawn(shown.slice(0, 255), punctuated, lettered));
    for (const base of bases) {
      const own = trimDots(asDrawn(domainToUnicode(base) || base, punctuated, lettered));
      if (own === '' || read === '') continue;
      if (read === own || read.endsWith(`.${own}`)) return `${base} (it reads as it)`;
      if (oneEditInLongLabel(read, own)) return `${base} (one letter from it)`;
      if (runTogether(read, own)) return `${base} (its labels run together)`;
      if (carried(read, own)) return `${base} (it carries it before another domain)`;
      // Under a subdomain of the attacker's own (`mail.corrp.example`), the labels it ends with (attacker round 88).
      const tail = lastLabels(read, own);
      if (tail !== read && oneEditInLongLabel(tail, own))
        return `${base} (one letter from it, under a subdomain)`;
      if (twoEdits(read, own) || (tail !== read && twoEdits(tail, own)))
        return `${base} (two letters from it)`;
    }
  }
  return undefined;
}

// Whether `a` is one edit from `b` (a letter changed, added or removed, two neighbours swapped), the edit inside a
// label of `b` of five letters or more, or a letter doubled inside one of three or four. Linear: a common prefix and
// suffix, then at most two letters each.
function oneEditInLongLabel(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  let j = 0;
  while (j < a.length - i && j < b.length - i && a[a.length - 1 - j] === b[b.length - 1 - j]) j++;
  const restA = a.length - i - j;
  const restB = b.length - i - j;
  const one =
    (restA <= 1 && restB <= 1) || (restA === 2 && restB === 2 && a[i] === b[i + 1] && a[i + 1] === b[i]);
  if (!one) return false;
  const start = i === 0 ? 0 : b.lastIndexOf('.', i - 1) + 1;
  const dot = b.indexOf('.', i);
  const end = dot < 0 ? b.length : dot;
  if (end - start >= 5) return true;
  // A letter doubled in a label of three or four (`corpp`, `coorp`, `ccorp`: attacker round 84), the typo a
  // typosquatter registers; a short label's other one-letter neighbours are real words (`core`, `coop`, `corps`).
  const added = a[i] as string;
  const doubled =
    restA === 1 && restB === 0 && /[a-z0-9]/.test(added) && (added === b[i - 1] || added === b[i]);
  return doubled && end - start >= 3;
}

// The last labels of `read`, as many as `own` has (`mail.corrp.example` → `corrp.example`), or `read` itself.
function lastLabels(read: string, own: string): string {
  let dots = 0;
  for (let k = 0; k < own.length; k++) if (own[k] === '.') dots++;
  let at = read.length;
  for (let n = 0; n <= dots; n++) {
    at = read.lastIndexOf('.', at - 1);
    if (at < 0) return read;
  }
  return read.slice(at + 1);
}

// Whether `read` is exactly two edits from `own` label by label (attacker round 88: `crop.exampel`): the same number
// of labels, the organization domain of ten letters or more, no label of three letters or fewer edited (country and
// generic endings, `contoso-bank.de` beside `.at`), at most one edit in a label under eight letters (`cars.example` is
// two from `corp.example`, a real neighbour), two in one of eight or more (`cnotoso-bnak.com`). Linear: each label
// pair is compared within a band of two.
function twoEdits(read: string, own: string): boolean {
  if (own.replace(/[.-]/g, '').length < 10) return false;
  const ours = own.split('.');
  const theirs = read.split('.');
  if (ours.length !== theirs.length) return false;
  let total = 0;
  for (let k = 0; k < ours.length; k++) {
    const a = theirs[k] as string;
    const b = ours[k] as string;
    if (a === b) continue;
    const most = b.length >= 8 ? 2 : b.length >= 4 ? 1 : 0;
    const d = editsWithin(a, b, most);
    if (d > most) return false;
    total += d;
    if (total > 2) return false;
  }
  return total === 2;
}

// The optimal-string-alignment distance of `a` and `b` (a letter changed, added, removed, two neighbours swapped),
// or `limit + 1` when it is more than `limit` (at most 2). Banded: each row holds five cells, so linear in length.
function editsWithin(a: string, b: string, limit: number): number {
  const over = limit + 1;
  if (Math.abs(a.length - b.length) > limit) return over;
  const width = 2 * limit + 1;
  // Cell (i, j) of the full table is kept at row i, column j - i + limit; outside the band it is `over`.
  const cell = (row: number[] | undefined, i: number, j: number): number => {
    const c = j - i + limit;
    return row === undefined || c < 0 || c >= width || j < 0 || j > b.length ? over : (row[c] as number);
  };
  let prev2: number[] | undefined;
  let prev: number[] | undefined;
  for (let i = 0; i <= a.length; i++) {
    const row = new Array<number>(width).fill(over);
    let best = over;
    for (let c = 0; c < width; c++) {
      const j = i + c - limit;
      if (j < 0 || j > b.length) continue;
      let v: number;
      if (i === 0) v = j;
      else if (j === 0) v = i;
      else {
        const same = a[i - 1] === b[j - 1] ? 0 : 1;
        v = Math.min(cell(prev, i - 1, j - 1) + same, cell(prev, i - 1, j) + 1, cell(row, i, j - 1) + 1);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
          v = Math.min(v, cell(prev2, i - 2, j - 2) + 1);
      }
      row[c] = Math.min(v, over);
      best = Math.min(best, row[c] as number);
    }
    if (best >= over) return over;
    prev2 = prev;
    prev = row;
  }
  return cell(prev, a.length, b.length);
}

// Whether some run of a domain's labels before its last, with dots and hyphens dropped, is the organization domain
// with them dropped, of six letters or more (`corp-example.com`, `corpexample.com`, `corp.example.co`).
function runTogether(read: string, own: string): boolean {
  const flat = own.replace(/[.-]/g, '');
  if (flat.length < 6) return false;
  const labels = read.split('.').slice(0, -1);
  for (let k = 0; k < labels.length; k++) {
    let run = '';
    for (let m = k; m < labels.length && run.length < flat.length; m++) {
      run += (labels[m] as string).replace(/-/g, '');
      if (run === flat) return true;
    }
  }
  return false;
}

// Whether the organization domain stands whole in another domain, after its start, a dot or a hyphen, and before a
// dot or a hyphen, or at its end after a hyphen (`corp.example.evil.example`, `secure-corp.example`).
function carried(read: string, own: string): boolean {
  for (let p = read.indexOf(own); p >= 0; p = read.indexOf(own, p + 1)) {
    const before = p === 0 ? '.' : read[p - 1];
    const after = read[p + own.length];
    if (before !== '.' && before !== '-') continue;
    if (after === '.' || after === '-' || (after === undefined && before === '-')) return true;
  }
  return false;
}

// Fields whose adjacent encoded words of one charset split a character, read as Thunderbird joins them (joinedWords).
function joinedReadings(raw: readonly string[], mime: Mime): { name: string; address: string }[] {
  return raw.flatMap((v) => {
    const joined = joinedWords(v.replace(/[\r\n]/g, ' '));
    return joined === undefined
      ? []
      : new mime.MessageHeaders(Buffer.from(`X: ${joined}\r\n\r\n`)).addresses('x');
  });
}

// A field's comments read as part of its display names (attacker round 52, A52-5): the parser drops them, but a
// client showing the field as written shows `Jane (Doe) <x@evil.example>` as Jane (Doe). Each value holding a
// comment is given again with the comments' parentheses, and the address specials inside them, as spaces, to be
// parsed as another reading; the parsed reading is kept too, so this only adds.
function commentsOpened(raw: readonly string[]): string[] {
  return raw.flatMap((v) => (v.includes('(') ? (openComments(v.replace(/[\r\n]/g, ' ')) ?? []) : []));
}

// The value with each comment outside quoted strings and angle addresses opened (see commentsOpened), or
// undefined when it has none. One pass.
function openComments(value: string): string | undefined {
  let out = '';
  let depth = 0;
  let quoted = false;
  let angle = false;
  let opened = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i] as string;
    if (depth > 0) {
      // A quoted pair in a comment stands for its character; a nested comment is opened with the outer one.
      if (ch === '\\') {
        i++;
        out += COMMENT_SPECIAL.test(value[i] ?? '') ? ' ' : (value[i] ?? '');
        continue;
      }
      if (ch === '(') depth++;
      else if (ch === ')') depth--;
      out += COMMENT_SPECIAL.test(ch) ? ' ' : ch;
    } else if (quoted) {
      // A quoted pair is copied whole, so an escaped quote does not end the string.
      if (ch === '\\') {
        out += value.slice(i, i + 2);
        i++;
        continue;
      }
      if (ch === '"') quoted = false;
      out += ch;
    } else if (angle) {
      if (ch === '>') angle = false;
      out += ch;
    } else if (ch === '(') {
      depth = 1;
      opened = true;
      out += ' ';
    } else {
      if (ch === '"') quoted = true;
      else if (ch === '<') angle = true;
      out += ch;
    }
  }
  return opened ? out : undefined;
}
// Characters that would end a phrase or open another structure: spaces in a comment's reading (`@` and `.` stay,
// so an address written in a comment is read as shown).
const COMMENT_SPECIAL = /^[()<>,;:"[\]\\]$/;

/** A protected name as matched: its words, its letters joined in each order, and whether its words are all short. */
interface ProtectedName {
  words: string[];
  compact: string[];
  short: boolean;
}

function matchesProtected(name: string, protectedNames: readonly ProtectedName[]): boolean {
  const words = nameWords(name);
  // Also read with a title glued in the same case taken off each word (`Jane Doeceo`, `drjane doe`).
  TITLES ??= {
    before: reducedTitles(TITLES_BEFORE),
    after: reducedTitles(TITLES_AFTER),
  };
  const titles = TITLES;
  const untitled = words.map((w) => withoutTitles(w, titles));
  // The longest protected form: runs of adjacent words are joined up to it.
  let longest = 0;
  for (const p of protectedNames) for (const c of p.compact) longest = Math.max(longest, c.length);
  return [words, untitled].some((ws) => {
    const set = new Set(ws);
    // Adjacent words also read joined: a word of the name split by a sign or a space (`CEO Ja-ne Doe`, `Kel·ly`, the
    // Catalan `ŀ` that NFKC makes `l·`, `Col lins`), which the glued whole name misses beside a title (attacker round
    // 77). Each run stops at the longest protected form, so the work is linear in the name's length.
    for (let k = 0; k < ws.length; k++) {
      let run = ws[k] as string;
      for (let m = k + 1; m < ws.length && run.length < longest; m++) {
        run += ws[m] as string;
        set.add(run);
      }
    }
    const glued = ws.join('');
    return protectedNames.some(
      (p) =>
        p.words.every((w) => set.has(w)) ||
        p.compact.some(
          (c) => glued === c || (set.has(c) && (!p.short || joinedAlone(ws, c, titleWords(titles)))),
        ),
    );
  });
}
let TITLES: { before: string[]; after: string[] } | undefined;
let TITLE_WORDS: ReadonlySet<string> | undefined;
const titleWords = (titles: { before: string[]; after: string[] }) =>
  (TITLE_WORDS ??= new Set([...titles.before, ...titles.after]));

// A name of two or more words of at most three letters each, as Chinese, Korean and Vietnamese names are romanised
// (`Li Na`, `An Na`, `Le Na`, `Ma Lin`, `Yu Ki`): its letters joined make a given name many others carry (Lina, Anna,
// Lena, Malin, Yuki), so such a joined form counts only alone ({@link joinedAlone}; false-positive round 15).
function shortWords(words: readonly string[]): boolean {
  return words.length >= 2 && words.every((w) => [...w].length <= 3);
}

// Whether adjacent words of `ws` read `c` joined with nothing but titles beside them (`Lina`, `CEO Lina`, `Lina,
// Finance`), rather than beside another word, a surname (`Lina Müller`: someone else). Linear: each start's run stops
// at `c`'s length, and the words outside it are counted from the totals.
function joinedAlone(ws: readonly string[], c: string, titles: ReadonlySet<string>): boolean {
  let others = 0;
  for (const w of ws) if (!titles.has(w)) others++;
  for (let k = 0; k < ws.length; k++) {
    let run = '';
    let inside = 0;
    for (let m = k; m < ws.length && run.length < c.length; m++) {
      const w = ws[m] as string;
      run += w;
      if (!titles.has(w)) inside++;
      if (run === c && inside === others) return true;
    }
  }
  return false;
}
// Titles reduced as a name's words are (`ciso` reads `clso`), longest first so `mrs` is taken off before `mr`.
function reducedTitles(titles: readonly string[]): string[] {
  return titles.map((t) => nameWords(t).join('')).sort((a, b) => b.length - a.length);
}

// The protected name's letters as one word, in the given order, reversed, and sorted (up to 3 words: every order).
function compactForms(words: string[]): string[] {
  const forms = new Set([words.join(''), [...words].reverse().join(''), [...words].sort().join('')]);
  if (words.length === 3) {
    const [a, b, c] = words as [string, string, string];
    for (const p of [
      [a, c, b],
      [b, a, c],
      [b, c, a],
      [c, a, b],
    ])
      forms.add(p.join(''));
  }
  return [...forms];
}
