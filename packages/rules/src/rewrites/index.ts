import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  ConfigError,
  domainOf,
  isImmutableHeader,
  isInternal,
  normalizeDomain,
  type Rule,
} from '@wmflow/core';
import { ruleName } from '../internal/config.js';
import { type OutsideOptions, senderIsInside, signsPartOfBody } from '../senders/outside.js';

const HEADER_NAME = /^[!-9;-~]+$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
const CONTROL = /[\u0000-\u001f\u007f]/;
// A header value read from raw bytes above 0x7f (UTF-8 or Latin-1).
const EIGHT_BIT = /[\u0080-\uffff]/;
// Headers an edit must never touch (DESIGN.md: WorkMail's immutable/unique fields, conservatively).
const PROTECTED = new Set(
  'message-id date from sender to cc bcc received return-path dkim-signature authentication-results subject'.split(
    ' ',
  ),
);

function headerName(field: string, name: string): string {
  if (typeof name !== 'string' || !HEADER_NAME.test(name))
    throw new ConfigError(field, `not a header name: ${JSON.stringify(name)}`);
  if (PROTECTED.has(name.toLowerCase()) || /^arc-/i.test(name))
    throw new ConfigError(field, `${name} must not be edited`);
  return name;
}

function headerValue(field: string, value: string): string {
  if (typeof value !== 'string' || CONTROL.test(value))
    throw new ConfigError(field, 'must be text without CR, LF or control characters');
  return value;
}

/** Options of {@link tagExternal}. */
export interface TagExternalOptions extends OutsideOptions {
  /** Subject prefix, e.g. `[EXTERNAL]`; added once (never twice on replies). */
  subjectTag?: string;
  /** Banner text put on top of the body; `bannerHtml` is trusted, fixed markup for HTML bodies. */
  banner?: string;
  bannerHtml?: string;
  /**
   * Header marking tagged mail for downstream filters, set to `true` (copies a sender wrote are replaced).
   * Default `X-Wmflow-External`. A second header, `<markerHeader>-Seal`, carries a keyed HMAC only this
   * deployment can produce; it alone tells a retry of the same event that the banner is already there.
   */
  markerHeader?: string;
  /**
   * Secret key of the seal (at least 16 characters). Default: a random key per cold start, so a retry
   * served by another Lambda instance may add the banner a second time; set one to avoid that.
   */
  markerKey?: string;
  /**
   * The engine cannot rewrite the message (an SES receipt rule): nothing is tagged, and every outside message counts
   * as untaggable, so one under an organization From or Sender, at a look-alike of an organization domain, or whose
   * display name shows an organization address or domain, is moved to Junk, unless every From and Sender is an
   * organization address, each one field of one mailbox naming no other domain, and the trusted DMARC result passed
   * (with SPF for an organization envelope sender too when a DKIM signature covers part of the body only): the
   * organization's own mail on SES, whose receipt names no domain. Default false.
   */
  cannotTag?: boolean;
  name?: string;
}

/**
 * Tags inbound mail from outside the organization: a subject prefix, a banner on top of the body, and a
 * marker header. Outside is decided by evidence ({@link senderIsInside}): a sender is inside only when the
 * trusted Authentication-Results shows DMARC, DKIM or SPF passing for an organization domain, so a spoofed
 * own domain is tagged. Nothing the sender writes suppresses the banner: copies of the marker header are
 * replaced, the banner text in the body does not count, and only a seal keyed by this deployment over the
 * event's invocation id marks a message already tagged (a retry). The subject prefix is never doubled.
 * Outside mail under an organization From or Sender, one at a look-alike of an organization domain, or one whose
 * display name shows an organization address or domain, that cannot be tagged (raw 8-bit bytes in a header WorkMail forbids changing; any message with `cannotTag`, on SES) is moved to
 * Junk instead, with a note.
 * Synchronous flows only (edits are ignored otherwise).
 *
 * @example
 * ```ts
 * inbound(tagExternal({ subjectTag: '[EXTERNAL]', banner: 'This message came from outside Corp. Be careful with links.' }))
 * ```
 */
export function tagExternal(options: TagExternalOptions): Rule<'INBOUND'> {
  const tag =
    options.subjectTag === undefined ? undefined : headerValue('subjectTag', options.subjectTag).trim();
  if (tag === '') throw new ConfigError('subjectTag', 'must not be empty');
  const banner = options.banner === undefined ? undefined : options.banner.trim();
  if (banner === '') throw new ConfigError('banner', 'must not be empty');
  if (tag === undefined && banner === undefined)
    throw new ConfigError('subjectTag', 'give a subjectTag or a banner');
  const marker = headerName('markerHeader', options.markerHeader ?? 'X-Wmflow-External');
  const sealHeader = `${marker}-Seal`;
  if (
    options.markerKey !== undefined &&
    (typeof options.markerKey !== 'string' || options.markerKey.length < 16)
  )
    throw new ConfigError('markerKey', 'must be at least 16 characters');
  const key = options.markerKey ?? randomBytes(32).toString('hex');
  return {
    name: ruleName('name', options.name, 'tag-external'),
    async run(ctx) {
      if (await senderIsInside(ctx, options)) return;
      const headers = await ctx.message.headers();
      // Raw 8-bit bytes in a header WorkMail forbids changing make the message untaggable (the edit is skipped, and
      // such mail is delivered untagged: round 44). Under an organization From (as written, or as shown:
      // `corp．example`), that switched the tag off for any spoof of the organization's own address (attacker round
      // 89): the tag cannot be put on, so the message goes to Junk, saying why. So does a Sender at the
      // organization's address (Outlook shows `ceo@corp.example on behalf of x@evil.example`), and a From or Sender
      // at a look-alike of an organization domain (`ceo@c0rp.example`), which impersonation judges only when
      // PROTECTED_NAMES is set (attacker round 90).
      // On SES nothing can be tagged (attacker round 91): every outside message is untaggable there.
      const untaggable = options.cannotTag
        ? 'a receipt rule cannot rewrite the message'
        : headers.fields.find((f) => isImmutableHeader(f.name) && EIGHT_BIT.test(f.value));
      if (untaggable !== undefined) {
        const shown = [...headers.from, ...headers.sender].filter((b) => b.address !== '').slice(0, 16);
        // An organization address, or one at a subdomain of an organization domain (`hr@mail.corp.example`), which a
        // reader takes for the organization's own though routing does not (attacker round 91).
        const ours = (address: string) =>
          isInternal(address, ctx.organizationDomains) ||
          underOwn(domainOf(address), ctx.organizationDomains);
        const own = shown.find((b) => ours(b.address));
        // The organization's own mail on SES: a DMARC pass (the receipt names no domain) for a From that is its own.
        // The pass counts only for a From (and a Sender) that reads one way: one field of one mailbox naming no other
        // domain after an at sign, so that the domain DMARC judged is the one read here (attacker round 92: `ceo@corp.example
        // x@evil.example`, `<ceo@corp.example x@evil.example>`, a comment or a route naming another domain).
        if (
          options.cannotTag &&
          own !== undefined &&
          shown.every((b) => ours(b.address)) &&
          readsOneWay(headers.decodedAll('from'), headers.from.length, true, ours) &&
          readsOneWay(headers.decodedAll('sender'), headers.sender.length, false, ours) &&
          (await ownMailPassed(ctx, headers.all('dkim-signature'), options, ours))
        )
          return;
        let why = own && `the organization address "${own.address.slice(0, 80)}"`;
        if (why === undefined) {
          // Loaded here only (guard has it already): outbound-policy's disclaimer adds nothing to its cold start.
          const { lookAlike, shownAsOrganization } = await import('../impersonation/index.js');
          for (const box of shown) {
            const like = lookAlike(domainOf(box.address), ctx.organizationDomains);
            if (like === undefined) continue;
            why = `"${box.address.slice(0, 80)}", at a look-alike of ${like}`;
            break;
          }
          // A display name, a group's name, or a local part shown in a name's place, that shows the organization's
          // address or domain (`"ceo@corp.example" <x@evil.example>`: Outlook shows the name alone), which
          // impersonation reads only when PROTECTED_NAMES is set (attacker round 92).
          const named = [
            ...[...headers.from, ...headers.sender].slice(0, 16),
            ...[...headers.groupNames('from'), ...headers.groupNames('sender')]
              .slice(0, 16)
              .map((name) => ({ name, address: '' })),
          ];
          for (const box of why === undefined ? named : []) {
            const text = shownAsOrganization(box, ctx.organizationDomains);
            if (text === undefined) continue;
            why = `a sender shown as "${text.slice(0, 80)}", an address or domain of the organization`;
            break;
          }
        }
        if (why !== undefined) {
          const because =
            typeof untaggable === 'string'
              ? untaggable
              : `raw 8-bit bytes in ${untaggable.name.slice(0, 40)}, which WorkMail forbids changing`;
          ctx.note(`outside mail from ${why} cannot be tagged (${because}): moved to Junk`);
          ctx.settle({ type: 'MOVE_TO_JUNK' }, ctx.open);
          return;
        }
      }
      if (options.cannotTag) return;
      if (tag) ctx.edit.prefixSubject(tag);
      const seal = createHmac('sha256', key)
        .update(`wmflow-external:${ctx.invocationId}`)
        .digest('hex')
        .slice(0, 32);
      const sealed = (await ctx.message.headers()).all(sealHeader).some((v) => sameSeal(v, seal));
      if (sealed) return; // this deployment already tagged this event (a retry)
      if (banner)
        ctx.edit.addDisclaimer({ text: banner, html: options.bannerHtml, position: 'top', dedupe: 'none' });
      ctx.edit.setHeader(marker, 'true');
      ctx.edit.setHeader(sealHeader, seal);
    },
  };
}

// Whether the trusted results pass the organization's own mail on SES: DMARC passed (for the From's domain: the
// receipt names none) and, when a DKIM signature covers part of the body only (`l=`), on which a replay of a message
// the organization signed passes DKIM and DMARC whatever follows (round 85), SPF passed for an organization envelope
// sender too: the organization's own servers (attacker round 92).
async function ownMailPassed(
  ctx: Parameters<Rule<'INBOUND'>['run']>[0],
  signatures: readonly string[],
  options: TagExternalOptions,
  ours: (address: string) => boolean,
): Promise<boolean> {
  const verdicts = await ctx.message.authVerdicts(options.trustedAuthServIds);
  if (verdicts.dmarc !== 'pass') return false;
  if (!signatures.some(signsPartOfBody)) return true;
  return verdicts.spf === 'pass' && ours(ctx.envelope.mailFrom ?? '');
}

// Whether the values of an address field read one way: none (when the field may be absent), or one field of one
// mailbox in which every at sign, encoded words decoded, is before an organization domain (`"ceo@corp.example"
// <ceo@corp.example>` does; a second address, a comment or a route at another domain does not: attacker round 92).
// Linear: one pass of the field.
function readsOneWay(
  values: readonly string[],
  mailboxes: number,
  needed: boolean,
  ours: (address: string) => boolean,
): boolean {
  if (values.length === 0) return !needed;
  if (values.length !== 1 || mailboxes !== 1) return false;
  for (const m of (values[0] ?? '').matchAll(AT_DOMAIN)) if (!ours(`x@${m[1]}`)) return false;
  return true;
}
const AT_DOMAIN = /[@\uff20\ufe6b]([^\s<>"'(),;:@\uff20\ufe6b[\]\\]*)/g;

// Whether a domain is under an organization domain (`mail.corp.example` under `corp.example`; `*.` patterns read as
// their base).
function underOwn(domain: string, organizationDomains: readonly string[]): boolean {
  const shown = normalizeDomain(domain);
  return (
    shown !== '' &&
    organizationDomains.some((d) => {
      const base = normalizeDomain(d.trim().replace(/^\*\./, ''));
      return base !== '' && shown.endsWith(`.${base}`);
    })
  );
}

function sameSeal(value: string, seal: string): boolean {
  const a = Buffer.from(value.trim());
  const b = Buffer.from(seal);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Options of {@link addDisclaimer}. */
export interface AddDisclaimerOptions {
  text: string;
  /** Trusted, fixed HTML for HTML bodies; default the text, escaped. */
  html?: string;
  position?: 'top' | 'bottom';
  /**
   * Only when some recipient is outside the organization, or the event was truncated (the recipients it does not
   * list may be outside). Default true.
   */
  externalOnly?: boolean;
  name?: string;
}

/**
 * Outbound disclaimer: added to the text and HTML bodies of mail leaving the organization.
 *
 * @example
 * ```ts
 * outbound(addDisclaimer({ text: 'This email is confidential. If you are not the intended recipient, delete it.' }))
 * ```
 */
export function addDisclaimer(options: AddDisclaimerOptions): Rule<'OUTBOUND'> {
  if (typeof options.text !== 'string' || options.text.trim() === '')
    throw new ConfigError('text', 'must not be empty');
  if (options.position !== undefined && !['top', 'bottom'].includes(options.position)) {
    throw new ConfigError('position', 'must be top or bottom');
  }
  const externalOnly = options.externalOnly ?? true;
  return {
    name: ruleName('name', options.name, 'add-disclaimer'),
    run(ctx) {
      // A truncated event lists only part of the recipients: the rest may be outside (attacker round 87).
      if (
        externalOnly &&
        !ctx.envelope.truncated &&
        ctx.recipients.every((r) => isInternal(r, ctx.organizationDomains))
      )
        return;
      ctx.edit.addDisclaimer({
        text: options.text,
        html: options.html,
        position: options.position ?? 'bottom',
      });
    },
  };
}

/** Options of {@link stampHeaders}. */
export interface StampHeadersOptions {
  /** Header names and values to set (replacing existing occurrences) or add. */
  headers: Readonly<Record<string, string>>;
  mode?: 'set' | 'add';
  name?: string;
}

/**
 * Stamps headers on the message (e.g. for downstream filters). Values are checked at construction:
 * no CR/LF injection, and never the headers WorkMail forbids changing.
 *
 * @example
 * ```ts
 * when(senderIsExternal(), stampHeaders({ headers: { 'X-Corp-Origin': 'external' } }))
 * ```
 */
export function stampHeaders(options: StampHeadersOptions): Rule {
  const entries = Object.entries(options.headers ?? {}).map(
    ([n, v]) => [headerName(`headers.${n}`, n), headerValue(`headers.${n}`, v)] as const,
  );
  if (entries.length === 0) throw new ConfigError('headers', 'must name at least one header');
  const add = options.mode === 'add';
  return {
    name: ruleName('name', options.name, 'stamp-headers'),
    run(ctx) {
      for (const [n, v] of entries) add ? ctx.edit.addHeader(n, v) : ctx.edit.setHeader(n, v);
    },
  };
}
