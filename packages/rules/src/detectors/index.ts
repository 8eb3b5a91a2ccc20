import { type Condition, ConfigError, checkOptionNames, mayRunRightToLeft, protective } from '@wmflow/core';
import type { VisibleTextLimits } from '@wmflow/core/mime';
import { countOption } from '../internal/config.js';
import { loadMime } from '../internal/load-mime.js';

import { base64Texts } from './base64-texts.js';
import { groupsTurned } from './bidi-order.js';
import { canonicalReadings } from './canon.js';
import { type CardNumberOptions, labelledCnpjs, scanCards } from './card.js';
import { formulaReading } from './formula.js';
import { scanIbans } from './iban.js';
import { linkTexts } from './link-texts.js';
import { officeAttributeTexts, unreadListNumbers } from './office-attributes.js';
import { sourceTexts } from './source-texts.js';
import { wordSymbols } from './word-symbols.js';
import { withEntities } from './xml-entities.js';

/** Kinds of sensitive data {@link containsSensitiveData} looks for. */
export type SensitiveKind = 'payment-card' | 'iban';

/** Options of {@link containsSensitiveData}. */
export interface ContainsSensitiveDataOptions {
  /** What to look for. Default both. */
  kinds?: readonly SensitiveKind[];
  /** How many findings (all kinds together) make the condition true. Default 1. */
  minCount?: number;
  /** Where to look: the subject (event and header), everything else a recipient sees, or both (default). */
  scope?: 'subject' | 'body' | 'both';
  /** Card detector settings. */
  cards?: Omit<CardNumberOptions, 'max'>;
  /** What a message that cannot be read in full counts as: `match` (default, fail closed) or `no-match`. */
  onUndecidable?: 'match' | 'no-match';
  /** Bounds on reading the message (part size, total size, parts, attached-message depth). */
  limits?: Partial<VisibleTextLimits>;
  /**
   * Send password-protected zips, whose files cannot be read, encrypted PDFs, Office documents encrypted with a
   * password and inline PGP messages instead of counting them as unread (an archive's other files are still read;
   * each such file is logged). Default false: for organisations that send encrypted content on purpose.
   */
  allowEncryptedArchives?: boolean;
  /**
   * Send archives and compressed files of a kind the reader does not open (7z, RAR, CAB, bzip2, xz, zstd…)
   * and Apple iWork documents (`.numbers`, `.pages`, `.key`) unread instead of counting them as unread, wherever they are carried (the message's other parts and an
   * archive's other files are still read; each such file is logged). Default false: for organisations that
   * send such archives on purpose.
   */
  allowUnreadArchives?: boolean;
}

const KINDS: readonly SensitiveKind[] = ['payment-card', 'iban'];
// Time left after the readers stop for the rule to settle before the deadline guard answers.
const READ_MARGIN_MS = 500;
// Characters an XML page's entities may expand to (a "billion laughs" page is refused, not expanded).
const ENTITY_BUDGET = 4 << 20;

/**
 * True when the message carries at least `minCount` validated sensitive numbers: payment card numbers
 * (Luhn check, known issuer) and IBANs (mod-97 check). Validation keeps order numbers and phone numbers
 * from counting. The text is normalised before matching (any Unicode digit, space, dash; separators
 * `space . - /` and runs of them; numbers wrapped across lines; spreadsheet formulas of constants; HTML tags
 * and entities, and an HTML body is also read as each kind of reader is shown it), and every text a
 * recipient sees is read (see {@link readVisibleText}): the event subject and the full Subject header,
 * every other visible header, attachment names, text and HTML bodies, text-like attachments and attached
 * messages at any depth up to the limits; Office documents, PDFs, zip, tar and gzip files, signed (`.p7m`) files,
 * Outlook `winmail.dat` and `.msg` strings are read too. Images and RAR/7z, bzip2/xz files are not, and reading
 * stops shortly before the invocation's deadline (docs/rules.md lists the limits).
 * When part of the message cannot be read (over a limit, undecodable, a password-protected file in a zip,
 * an inline PGP message),
 * the condition is true by default (`onUndecidable: 'match'`: not knowing is not allowing) and the reason is
 * logged; `allowEncryptedArchives` sends password-protected files unread, `allowUnreadArchives` archives of
 * the kinds not opened. Linear time.
 *
 * @example
 * ```ts
 * outbound(when(containsSensitiveData({ kinds: ['payment-card'], minCount: 1 }), bounceWith('Card numbers must not be emailed.')))
 * ```
 */
export function containsSensitiveData(options: ContainsSensitiveDataOptions = {}): Condition {
  checkOptionNames('containsSensitiveData', options, {
    kinds: true,
    minCount: true,
    scope: true,
    cards: true,
    onUndecidable: true,
    limits: true,
    allowEncryptedArchives: true,
    allowUnreadArchives: true,
  });
  const check = checkSensitiveData(options);
  const condition: Condition = async (ctx) => (await check(ctx)).matched;
  // Not knowing is a match (the default): an error or the deadline settles what `when` guards with it.
  return (options.onUndecidable ?? 'match') === 'match' ? protective(condition) : condition;
}

/** What {@link checkSensitiveData} found: whether the condition matches, and why. */
export interface SensitiveDataCheck {
  /** What `containsSensitiveData` answers. */
  matched: boolean;
  /** Whether `minCount` numbers were found (else a match is for what could not be read). */
  found: boolean;
  /** What could not be read (empty when all was read, or when the numbers were found first). */
  unread: readonly string[];
}

/**
 * {@link containsSensitiveData}'s check with its reasons: a rule can tell a sender "numbers found" from "part of
 * the message could not be checked" (outbound-policy bounces each with its own message).
 *
 * @example
 * ```ts
 * const check = checkSensitiveData({ kinds: ['payment-card'] });
 * outbound(rule('cards', async (ctx) => {
 *   const { matched, found } = await check(ctx);
 *   if (matched) ctx.settle(Verdicts.bounce(found ? 'Card numbers must not be emailed.' : 'Could not be checked.'));
 * }));
 * ```
 */
export function checkSensitiveData(
  options: ContainsSensitiveDataOptions = {},
): (ctx: Parameters<Condition>[0]) => Promise<SensitiveDataCheck> {
  const kinds = options.kinds ?? KINDS;
  if (!Array.isArray(kinds) || kinds.length === 0 || kinds.some((k) => !KINDS.includes(k))) {
    throw new ConfigError('kinds', `must list some of ${KINDS.join(', ')}`);
  }
  const min = countOption('minCount', options.minCount, 1);
  if (min < 1) throw new ConfigError('minCount', 'must be at least 1');
  const scope = options.scope ?? 'both';
  if (!['subject', 'body', 'both'].includes(scope))
    throw new ConfigError('scope', 'must be subject, body or both');
  const onUndecidable = options.onUndecidable ?? 'match';
  if (!['match', 'no-match'].includes(onUndecidable))
    throw new ConfigError('onUndecidable', 'must be match or no-match');
  const allowEncrypted = options.allowEncryptedArchives ?? false;
  if (typeof allowEncrypted !== 'boolean')
    throw new ConfigError('allowEncryptedArchives', 'must be true or false');
  const allowUnopened = options.allowUnreadArchives ?? false;
  if (typeof allowUnopened !== 'boolean')
    throw new ConfigError('allowUnreadArchives', 'must be true or false');
  return async (ctx) => {
    const seen = new Set<string>();
    // CNPJs the message labels as such (false-positive round 15), cleared in every later reading of it.
    const cleared = new Set<string>();
    const found = (text: string, into: Set<string>) =>
      collectSensitive(text, kinds, into, min, options.cards, cleared);
    const numbers: SensitiveDataCheck = { matched: true, found: true, unread: [] };
    // The readers block the event loop: they stop before the deadline guard, so the answer says why.
    const readUntil = Math.min(options.limits?.deadline ?? Infinity, ctx.deadline - READ_MARGIN_MS);
    found(ctx.subject, seen);
    if (seen.size < min && mayRunRightToLeft(ctx.subject)) found(groupsTurned(ctx.subject), seen);
    if (seen.size >= min) return numbers;
    const { readVisibleText, htmlToFullText, loadShownReaders, decodeEntities, html5Reference } =
      await loadMime();
    const decodeReferences = (text: string) => decodeEntities(text, html5Reference);
    const expanded = (page: string, label: string) => {
      const { text, over } = withEntities(page, ENTITY_BUDGET);
      if (over)
        undecided.push(`${label}: XML entities that expand past ${ENTITY_BUDGET} characters, not read`);
      return text;
    };
    // The shown-text readers load beside the walk; a page met before they are ready waits for them.
    const loading = loadShownReaders();
    let readers: Awaited<typeof loading> | undefined;
    loading.then((r) => (readers = r)).catch(() => {});
    type ShownPage = { text: string; xml: boolean; label: string; directionElsewhere?: boolean };
    const waiting: ShownPage[] = [];
    const undecided: string[] = [];
    const readShown = (r: Awaited<typeof loading>, page: ShownPage) => {
      const turning =
        page.directionElsewhere === true || mayRunRightToLeft(page.text, true, decodeReferences);
      if (page.xml) {
        // An Office part's shown text (hidden runs left out) is drawn right to left too where its markup says so.
        for (const text of r.xml(page.text)) {
          if (seen.size < min) found(oneSpace(text), seen);
          if (seen.size < min && (turning || mayRunRightToLeft(text)))
            found(oneSpace(groupsTurned(text)), seen);
        }
        return;
      }
      const shown = r.html(page.text, readUntil);
      for (const text of shown.texts) {
        if (seen.size < min) found(oneSpace(text), seen);
        if (seen.size < min && (turning || mayRunRightToLeft(text)))
          found(oneSpace(groupsTurned(text)), seen);
        // An override a stylesheet writes (`content: "\202e …"`) turns what follows it too.
        if (seen.size < min && text.includes('\u202e')) found(oneSpace(turnOverrides(text)), seen);
      }
      if (shown.undecided) undecided.push(`${page.label}: ${shown.undecided}, not read as shown`);
    };
    // An inline OpenPGP or age message (armored in a body) is sealed content, as an encrypted file is.
    const sealed: string[] = [];
    const report = await readVisibleText(
      ctx.message.stream(),
      (written, place) => {
        // An XML page's internal entities are written where they are referred to, as XML readers write them.
        const read = place.html ? expanded(written, place.label) : written;
        // A page or an Office part is also read with the characters its symbol elements draw (a digit as
        // `<w:sym w:char="0031"/>`) and the texts it keeps in attributes (an OpenDocument or Excel 2003 XML
        // cell's formula, a Word list's number label); an Excel 2003 workbook named .xls is read as a page.
        const text = place.html ? wordSymbols(read) + officeAttributeTexts(read) : read;
        const numbering = place.html ? unreadListNumbers(read) : undefined;
        if (numbering) undecided.push(`${place.label}: ${numbering}`);
        if (
          scope === 'subject' &&
          !(place.kind === 'header' && place.depth === 0 && /^subject$/i.test(place.label))
        )
          return false;
        if (scope === 'body' && place.kind === 'header' && /^subject$/i.test(place.label)) return false;
        // HTML shows a run of white space as one space: `<td>4111</td>\n    <td>1111</td>` reads `4111 1111`.
        const decoded = place.html ? htmlToFullText(text, GAP) : text;
        // A block or line break of the page starts a line, as the armor line needs.
        if (sealed.length === 0 && armoredMessage(place.html ? decoded.replaceAll(GAP, '\n') : decoded))
          sealed.push(`${place.label}: inline PGP or age message`);
        const full = place.html ? oneSpace(decoded) : text;
        found(full, seen);
        // A link written as text (`https://pay.example/?c=4111%201111…`), which clients make a link and whose reader
        // reads the groups, is also read percent-decoded (attacker round 106).
        if (seen.size < min && PERCENT_ESCAPE.test(full)) found(percentDecoded(full), seen);
        // Text a file carries in base64 (a JSON or XML file field, a data: URL, a plist's <data>), decoded
        // (attacker round 73).
        if (seen.size < min)
          for (const carried of base64Texts(place.html ? read : text)) {
            found(carried, seen);
            if (seen.size >= min) break;
          }
        // Among right-to-left text a number's groups are drawn in the other order (attacker round 46).
        if (
          seen.size < min &&
          (place.directionElsewhere ||
            mayRunRightToLeft(full) ||
            (place.html && mayRunRightToLeft(read, true, decodeReferences)))
        )
          found(groupsTurned(full), seen);
        // Where its links go and what its data: URLs carry, each read on its own.
        // A data: URL's page (an SVG picture a client draws) is read as a page is, each reader's view too.
        if (place.html)
          for (const piece of linkTexts(read, decodeReferences)) {
            if (seen.size >= min) break;
            const markup = piece.page ? expanded(piece.markup, place.label) : piece.markup;
            found(oneSpace(htmlToFullText(markup, GAP)), seen);
            if (!piece.page || seen.size >= min) continue;
            const page = { text: markup, xml: false, label: `${place.label}(data: URL)` };
            if (readers) readShown(readers, page);
            else waiting.push(page);
          }
        // What only its source shows: comments, `data-*` and `aria-*` values, each read on its own (attacker round 79).
        if (place.html)
          for (const piece of sourceTexts(read)) {
            if (seen.size >= min) break;
            found(oneSpace(htmlToFullText(piece, GAP)), seen);
          }
        // A right-to-left override shows its characters in the other order (`\u202E1111 … 1114`, `<bdo dir=rtl>`),
        // however the page writes it (`&#x202E;`, `&#8238;`).
        if (seen.size < min && (OVERRIDE.test(text) || (place.html && decoded.includes('\u202e')))) {
          const turned = place.html ? htmlToFullText(turnBdo(text), GAP) : text;
          found(oneSpace(turnOverrides(turned)), seen);
        }
        // Each reader's view of a page leaves out what it hides (a styled-away letter between two groups).
        if (place.html && seen.size < min) {
          const page = {
            text,
            xml: place.xml === true,
            label: place.label,
            directionElsewhere: place.directionElsewhere === true,
          };
          if (readers) readShown(readers, page);
          else waiting.push(page);
        }
        // A number wrapped in a quoted reply reads across the quote marks ("> 4111 1111\n> 1111 1111").
        if (!place.html && seen.size < min && QUOTED_LINE.test(text))
          found(text.replace(QUOTE_MARKS, ''), seen);
        // A spreadsheet shows what a formula computes: `="4111 1111 "&"1111 1111"` (a CSV, an .xlsx cell).
        const computed = seen.size < min ? formulaReading(full) : undefined;
        if (computed !== undefined) found(computed, seen);
        return seen.size >= min;
      },
      { ...options.limits, deadline: readUntil },
    );
    if (seen.size < min && waiting.length > 0) {
      const r = await loading;
      for (const page of waiting) if (seen.size < min) readShown(r, page);
    }
    if (seen.size >= min) return numbers;
    const encrypted = [
      ...report.encrypted.map((name) => `${name}: encrypted, not read`),
      ...sealed.map((what) => `${what}: encrypted, not read`),
    ];
    if (allowEncrypted && encrypted.length > 0)
      ctx.logger.info('sensitive-data: encrypted content sent unread (allowEncryptedArchives)', {
        encrypted,
      });
    if (allowUnopened && report.unopened.length > 0)
      ctx.logger.info('sensitive-data: archives of a kind not opened sent unread (allowUnreadArchives)', {
        unopened: report.unopened,
      });
    const sentUnread = new Set(allowUnopened ? report.unopened : []);
    // The text was read one way; a structure clients read another way (a bare CR in a header block, a field or a
    // boundary given twice, delimiter-like lines outside the parts) may show text that was not (attacker round 43).
    const twoWays = (await ctx.message.parts()).findings
      .filter((f) => f.framing)
      .map(
        (f) =>
          `${f.partId ? `part ${f.partId}` : 'the message'}: ${f.reason}; clients may show text not read`,
      );
    const unread = [
      ...report.unread.filter((what) => !sentUnread.has(what)),
      ...undecided,
      ...(allowEncrypted ? [] : encrypted),
      ...twoWays,
    ];
    if (unread.length === 0) return { matched: false, found: false, unread };
    ctx.logger.warn('sensitive-data: part of the message could not be read', {
      unread,
      decided: onUndecidable,
    });
    return { matched: onUndecidable === 'match', found: false, unread };
  };
}

// HTML shows a run of white space as one space, and so do the shown readings' texts. A block, cell or line break
// of the page is one GAP (U+2029, a line feed to the card finder): a four in the cell or on the line before a
// card is not in the card's stretch of fours.
const GAP = '\u2029';

// A percent-escape of a printable ASCII character (`%20`, `%34`).
const PERCENT_ESCAPE = /%(?:[2-6][0-9a-f]|7[0-9a-e])/i;

// `text` with each percent-escape of a printable ASCII character decoded (one pass; other escapes kept).
function percentDecoded(text: string): string {
  return text.replace(/%(?:[2-6][0-9a-f]|7[0-9a-e])/gi, (e) =>
    String.fromCharCode(Number.parseInt(e.slice(1), 16)),
  );
}
const oneSpace = (text: string) => text.replace(/[ \t\r\n\f]+/g, ' ').replace(/ ?\u2029[ \u2029]*/g, GAP);

const QUOTED_LINE = /(?:^|\n)[ \t]*>/;
// Right-to-left overrides: the control character (to its pop, or the line's end) and HTML's <bdo dir=rtl>.
// Embeddings, marks and `dir=rtl` keep a number's digits in order, so they do not count.
const OVERRIDE = /\u202e|<bdo\b/i;

function turnOverrides(text: string): string {
  return text.replace(/\u202e([^\u202c\n]*)\u202c?/g, (_, run: string) => [...run].reverse().join(''));
}

// Each <bdo dir=rtl>…</bdo> wrapped in an override, for turnOverrides; one pass, up to the first unclosed one.
// Found in the HTML itself, case-insensitively for ASCII only: a lower-cased copy is not as long as the HTML
// when it holds a `İ`, and its positions would cut the HTML in the wrong places.
function turnBdo(html: string): string {
  const out: string[] = [];
  const opening = /<bdo/gi;
  const closing = /<\/bdo/gi;
  let at = 0;
  for (;;) {
    opening.lastIndex = at;
    const open = opening.exec(html)?.index ?? -1;
    const end = open < 0 ? -1 : html.indexOf('>', open);
    closing.lastIndex = end;
    const close = end < 0 ? -1 : (closing.exec(html)?.index ?? -1);
    if (close < 0) break;
    const tag = html.slice(open, end);
    out.push(html.slice(at, end + 1));
    const inner = tagsAsSpaces(html.slice(end + 1, close));
    out.push(/\bdir\s*=\s*["']?rtl/i.test(tag) ? `\u202e${inner}\u202c` : inner);
    at = close;
  }
  out.push(html.slice(at));
  return out.join('');
}

// Each `<` and what follows it to the next `>` as one space (`/<[^>]*>/g`, found with indexOf: that pattern
// reads on to the end again from each `<` when no `>` follows).
function tagsAsSpaces(html: string): string {
  const out: string[] = [];
  let at = 0;
  for (let lt = html.indexOf('<'); lt >= 0; lt = html.indexOf('<', at)) {
    const gt = html.indexOf('>', lt + 1);
    if (gt < 0) break;
    out.push(html.slice(at, lt), ' ');
    at = gt + 1;
  }
  out.push(html.slice(at));
  return out.join('');
}
const ARMOR_BEGIN =
  /(?:^|\n)[ \t>]*-----BEGIN[ \u00a0]+(PGP[ \u00a0]+MESSAGE|AGE[ \u00a0]+ENCRYPTED[ \u00a0]+FILE)(?:, PART [0-9/]{1,12})?-----[ \t\u00a0]*\r?\n/;

// An armored message: its BEGIN line on a line of its own, then (after any `Key: value` armor headers) at
// least 16 characters of base64. A line quoted in prose ("paste the -----BEGIN PGP MESSAGE----- block") is
// not one.
function armoredMessage(text: string): boolean {
  const begin = ARMOR_BEGIN.exec(text);
  if (!begin) return false;
  const after = text.slice(begin.index + begin[0].length, begin.index + begin[0].length + 4096);
  const body = after.replace(/^(?:[ \t>]*[\w-]{1,40}: [^\n]*\n)*/, '');
  return (body.match(/^[\sA-Za-z0-9+/=>]*/)?.[0].match(/[A-Za-z0-9+/]/g)?.length ?? 0) >= 16;
}
const QUOTE_MARKS = /^[ \t]*(?:>[ \t]?)+/gm;

/**
 * Adds the distinct validated sensitive numbers of a text to `into` (the same card in the text and
 * HTML bodies counts once), stopping once `into` holds `max`.
 *
 * @example
 * ```ts
 * const seen = new Set<string>();
 * collectSensitive('4111-1111-1111-1111 / GB82WEST12345698765432', ['payment-card', 'iban'], seen, 10);
 * seen.size; // 2
 * ```
 */
export function collectSensitive(
  text: string,
  kinds: readonly SensitiveKind[],
  into: Set<string>,
  max: number,
  cards: Omit<CardNumberOptions, 'max'> = {},
  cleared?: Set<string>,
): Set<string> {
  // Canonical once for both detectors (findCardNumbers and findIbans each make it); a second reading when a
  // numeral drawn as a stroke stands between digits (`4111一1111…`: canonicalReadings).
  for (const canonical of canonicalReadings(text)) {
    if (into.size < max && kinds.includes('payment-card')) {
      // CNPJs labelled in one reading (an XML's `<CNPJ>` tag) are no cards in another (its shown text, the tag
      // gone): each skipped one leaves room for a card found after it.
      if (cleared) for (const c of labelledCnpjs(canonical)) cleared.add(c);
      const skip = cleared?.size ?? 0;
      for (const c of scanCards(canonical, cards.requireKnownIssuer ?? true, max + skip))
        if (into.size < max && !cleared?.has(c)) into.add(`card:${c}`);
    }
    if (into.size < max && kinds.includes('iban')) {
      for (const i of scanIbans(canonical.toUpperCase(), max)) if (into.size < max) into.add(`iban:${i}`);
    }
  }
  return into;
}
