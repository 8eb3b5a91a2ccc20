import { ConfigError, type MessageHeaders, parseMailDate } from '@wmflow/core';

/**
 * Placeholders of a journal key template.
 *
 * @example
 * ```ts
 * KEY_PLACEHOLDERS.includes('messageId'); // true: `{messageId}` may appear in a key template
 * keyTemplate('mail/{sender}/{messageId}'); // throws ConfigError (unknown placeholder {sender})
 * ```
 */
export const KEY_PLACEHOLDERS = ['yyyy', 'mm', 'dd', 'hh', 'direction', 'messageId', 'invocationId'] as const;

/**
 * The default key: `journal/<direction>/<yyyy>/<mm>/<dd>/<messageId>`.
 *
 * @example
 * ```ts
 * const key = keyTemplate(DEFAULT_KEY_TEMPLATE);
 * key({ messageId: 'abc', invocationId: 'x', direction: 'INBOUND', date: new Date('2026-11-24') });
 * // "journal/inbound/2026/11/24/abc"
 * ```
 */
export const DEFAULT_KEY_TEMPLATE = 'journal/{direction}/{yyyy}/{mm}/{dd}/{messageId}';

const LITERAL = /^[A-Za-z0-9\-_./]*$/;

/**
 * Checks a key template: only letters, digits, `-`, `_`, `.`, `/` around known placeholders; no `..`
 * segment, no leading `/`, no `//`; and `{messageId}` or `{invocationId}` somewhere, so each message has
 * its own key. Returns a function building the key; placeholder values are sanitised to `[A-Za-z0-9-]`.
 *
 * @example
 * ```ts
 * const key = keyTemplate('archive/{yyyy}-{mm}/{messageId}');
 * key({ messageId: 'abc', invocationId: 'x', direction: 'INBOUND', date: new Date('2026-11-24') });
 * // "archive/2026-11/abc"
 * ```
 */
export function keyTemplate(template: string): (values: KeyValues) => string {
  if (typeof template !== 'string' || template === '' || template.length > 512) {
    throw new ConfigError('keyTemplate', 'must be a non-empty string of at most 512 characters');
  }
  const parts = template.split(/(\{[^{}]*\})/).filter((p) => p !== '');
  for (const p of parts) {
    if (p.startsWith('{')) {
      if (!(KEY_PLACEHOLDERS as readonly string[]).includes(p.slice(1, -1))) {
        throw new ConfigError(
          'keyTemplate',
          `unknown placeholder ${p}; use ${KEY_PLACEHOLDERS.map((k) => `{${k}}`).join(', ')}`,
        );
      }
    } else if (!LITERAL.test(p)) {
      throw new ConfigError(
        'keyTemplate',
        `only letters, digits, - _ . / are allowed, got ${JSON.stringify(p)}`,
      );
    }
  }
  if (
    template.startsWith('/') ||
    template.includes('//') ||
    template.split('/').some((s) => s === '..' || s === '.')
  ) {
    throw new ConfigError('keyTemplate', 'must be a relative key without empty, . or .. segments');
  }
  if (!template.includes('{messageId}') && !template.includes('{invocationId}')) {
    throw new ConfigError('keyTemplate', 'must contain {messageId} or {invocationId}');
  }
  return (v) => {
    const d = v.date;
    const two = (n: number) => String(n).padStart(2, '0');
    const values: Record<string, string> = {
      yyyy: String(d.getUTCFullYear()),
      mm: two(d.getUTCMonth() + 1),
      dd: two(d.getUTCDate()),
      hh: two(d.getUTCHours()),
      direction: v.direction.toLowerCase(),
      messageId: v.messageId,
      invocationId: v.invocationId,
    };
    return parts.map((p) => (p.startsWith('{') ? sanitize(values[p.slice(1, -1)] ?? '') : p)).join('');
  };
}

/** Values a key is built from. */
export interface KeyValues {
  messageId: string;
  invocationId: string;
  direction: string;
  date: Date;
}

function sanitize(value: string): string {
  const s = value.replace(/[^A-Za-z0-9-]/g, '-').slice(0, 200);
  return s === '' ? 'none' : s;
}

/**
 * The date journalToS3 keys a message by: the time of the invocation, in UTC. Never a message header:
 * headers are written by the sender (`Date: 1 Jan 1900` would file the copy where nobody looks), and
 * reading them can fail (a header block over the limit), which must not stop a message being journaled.
 * A WorkMail retry after a UTC midnight first looks for the copy filed under the day before (see `earlierKeys`, fault
 * round 84). An engine that states when it received the message (SES: `ctx.receivedAt`) is keyed by that instead, the
 * same in every retry (fault round 82).
 *
 * @example
 * ```ts
 * journalDate(); // now
 * ```
 */
export function journalDate(now: number | undefined = Date.now()): Date {
  return new Date(now);
}

/**
 * A message's own date from its headers: the topmost Received header's timestamp, else the Date header,
 * else now. Sender-controlled (see {@link journalDate}): for display, never for where a copy is filed.
 *
 * @example
 * ```ts
 * messageDate(await ctx.message.headers());
 * ```
 */
export function messageDate(headers: MessageHeaders): Date {
  const received = headers.get('received');
  const stamp = received?.slice(received.lastIndexOf(';') + 1);
  for (const candidate of [stamp, headers.get('date')]) {
    const t = candidate === undefined ? undefined : parseMailDate(candidate);
    if (t !== undefined) return new Date(t);
  }
  return new Date();
}
