import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { ConfigError, checkOptionNames, isInternal, type Rule } from '@wmflow/core';
import { ruleName } from '../internal/config.js';

import { type OutsideOptions, senderIsInside } from '../senders/outside.js';
import { shownAsOwn, untaggableShownAsOwn } from './untaggable.js';

const HEADER_NAME = /^[!-9;-~]+$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
const CONTROL = /[\u0000-\u001f\u007f]/;
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
   * served by another Lambda instance may add the banner a second time; set one to avoid that. `undefined` is the
   * default (`markerKey: process.env.EXTERNAL_MARKER_KEY` compiles under exactOptionalPropertyTypes).
   */
  markerKey?: string | undefined;
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
  checkOptionNames('tagExternal', options, {
    subjectTag: true,
    banner: true,
    bannerHtml: true,
    markerHeader: true,
    markerKey: true,
    cannotTag: true,
    name: true,
    trustedAuthServIds: true,
    evidence: true,
  });
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
      // Outside mail that cannot be tagged (raw 8-bit bytes in an immutable header; anything on SES) and is shown as
      // the organization's goes to Junk instead (attacker rounds 89–92, untaggable.ts).
      const untagged = await untaggableShownAsOwn(ctx, await ctx.message.headers(), options);
      if (untagged !== undefined) {
        ctx.note(untagged);
        ctx.settle({ type: 'MOVE_TO_JUNK' }, ctx.open);
        return;
      }
      if (options.cannotTag) return;
      const seal = createHmac('sha256', key)
        .update(`wmflow-external:${ctx.invocationId}`)
        .digest('hex')
        .slice(0, 32);
      const sealed = (await ctx.message.headers()).all(sealHeader).some((v) => sameSeal(v, seal));
      // Outside mail shown as the organization's whose update is then not committed (a line over 1,000 octets the
      // editor does not refold, the deadline): Junk, as untaggable mail (attacker round 101). The fallback rides on
      // the first edit queued; a retry of a tagged message (sealed: nothing left to change) needs none.
      const unless =
        !sealed && (await shownAsOwn(ctx, await ctx.message.headers()))
          ? { unlessCommitted: { type: 'MOVE_TO_JUNK' } as const }
          : {};
      if (tag) {
        ctx.edit.prefixSubject(tag, unless);
        // Outlook and Exchange draw a conversation's heading from Thread-Topic, which the tag does not reach: the
        // sender's copy goes, so the topic is taken from the tagged Subject (attacker round 94).
        if ((await ctx.message.headers()).all('thread-topic').length > 0)
          ctx.edit.removeHeader('Thread-Topic');
      }
      if (sealed) return; // this deployment already tagged this event (a retry)
      if (banner)
        ctx.edit.addDisclaimer(
          { text: banner, html: options.bannerHtml, position: 'top', dedupe: 'none' },
          tag ? {} : unless,
        );
      ctx.edit.setHeader(marker, 'true');
      ctx.edit.setHeader(sealHeader, seal);
    },
  };
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
  checkOptionNames('addDisclaimer', options, {
    text: true,
    html: true,
    position: true,
    externalOnly: true,
    name: true,
  });
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
  checkOptionNames('stampHeaders', options, { headers: true, mode: true, name: true });
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
