import type { Condition } from '@wmflow/core';
import { ConfigError, checkOptionNames } from '@wmflow/core';
import { loadMime } from '../internal/load-mime.js';

import { htmlToText } from './normalize.js';
import { matchShared, type TextMatchOptions, textMatcher } from './text-matcher.js';

/** Options of {@link subjectContains}. */
export interface SubjectContainsOptions extends TextMatchOptions {
  /**
   * `event` (default): the subject from the flow event, no message read (WorkMail cuts it at 256
   * characters). `header`: the decoded Subject header, whole.
   */
  source?: 'event' | 'header';
}

/**
 * True when the subject contains one of the words, substrings or patterns (linear-time matching).
 *
 * @example
 * ```ts
 * when(subjectContains({ words: ['wire transfer', 'gift cards'] }), bounceWith('Call finance instead.'))
 * ```
 */
export function subjectContains(options: SubjectContainsOptions): Condition {
  checkOptionNames('subjectContains', options, {
    source: true,
    words: true,
    substrings: true,
    patterns: true,
    normalize: true,
  });
  const matcher = textMatcher(options);
  const fromHeader = options.source === 'header';
  return async (ctx) => {
    const subject = fromHeader ? (await ctx.message.headers()).subject : ctx.subject;
    return matcher.match(subject) !== undefined;
  };
}

/**
 * True when any occurrence of header `name` (RFC 2047 decoded) contains one of the words, substrings or
 * patterns. Reads only the header block.
 *
 * @example
 * ```ts
 * when(headerContains('X-Mailer', { substrings: ['MassMailer'] }), moveToJunk())
 * ```
 */
export function headerContains(name: string, options: TextMatchOptions): Condition {
  checkOptionNames('headerContains', options, {
    words: true,
    substrings: true,
    patterns: true,
    normalize: true,
  });
  if (typeof name !== 'string' || !/^[!-9;-~]+$/.test(name)) {
    throw new ConfigError('name', `not a header name: ${JSON.stringify(name)}`);
  }
  const matcher = textMatcher(options);
  return async (ctx) => {
    const headers = await ctx.message.headers();
    // Every occurrence decoded (RFC 2047), then raw, so encoded words cannot hide a match.
    const values = [...headers.decodedAll(name), ...headers.all(name)];
    return values.some((v) => matcher.match(v) !== undefined);
  };
}

/** Options of {@link bodyContains}. */
export interface BodyContainsOptions extends TextMatchOptions {
  /** Which body: `text`, `html` (tags stripped), or `both` (default: content hidden in either part counts). */
  part?: 'text' | 'html' | 'both';
}

/**
 * True when the message body contains one of the words, substrings or patterns. Reads the bodies from
 * the message's single part walk (`textBodies()`, shared with `parts()` and decoded and normalised once
 * for all rules of the invocation), or parses the message where that is missing (bounded by the flow's
 * message limits); matching is linear-time whatever the content.
 *
 * @example
 * ```ts
 * when(bodyContains({ words: ['confidential'], patterns: [/project\s+falcon/i] }), bounceWith('Not outside.'))
 * ```
 */
export function bodyContains(options: BodyContainsOptions): Condition {
  checkOptionNames('bodyContains', options, {
    part: true,
    words: true,
    substrings: true,
    patterns: true,
    normalize: true,
  });
  const matcher = textMatcher(options);
  const part = options.part ?? 'both';
  if (!['text', 'html', 'both'].includes(part)) throw new ConfigError('part', 'must be text, html or both');
  return async (ctx) => {
    const bodies = ctx.message.textBodies ? await ctx.message.textBodies() : await ctx.message.parsed();
    const { text, html } = bodies;
    // Every HTML5 name decoded: the table loads with the modules that read bodies, already loaded here.
    const { htmlToFullText } = html === undefined ? { htmlToFullText: htmlToText } : await loadMime();
    if (
      part !== 'html' &&
      text !== undefined &&
      matchShared(matcher, bodies, 'text', () => text) !== undefined
    )
      return true;
    return (
      part !== 'text' &&
      html !== undefined &&
      matchShared(matcher, bodies, 'html', () => htmlToFullText(html)) !== undefined
    );
  };
}
