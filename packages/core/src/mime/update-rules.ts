/**
 * The header lists behind WorkMail's update rules. AWS does not publish them, so
 * these are the conservative lists of wmflow's design brief (see docs/local.md):
 * RFC 5322's single-occurrence fields are unique, From and Date are required,
 * and the trace, origin and authentication fields are immutable.
 *
 * @example
 * ```ts
 * UPDATE_HEADER_RULES.required; // ['from', 'date']
 * isImmutableHeader('ARC-Seal'); // true
 * ```
 */
export const UPDATE_HEADER_RULES = {
  /** Must appear at least once in the updated message (lower-case names). */
  required: ['from', 'date'],
  /** Must not appear more often than once (or than in the original, when it already did). */
  unique: [
    'date',
    'from',
    'sender',
    'reply-to',
    'to',
    'cc',
    'bcc',
    'message-id',
    'in-reply-to',
    'references',
    'subject',
  ],
  /** Every occurrence must be kept, in order, with the same unfolded value. `arc-*` is a prefix. */
  immutable: [
    'message-id',
    'date',
    'from',
    'sender',
    'to',
    'cc',
    'received',
    'return-path',
    'dkim-signature',
    'authentication-results',
  ],
  /** Header names starting with one of these prefixes are immutable too. */
  immutablePrefixes: ['arc-'],
} as const;

/**
 * True when WorkMail (conservatively) forbids changing the header `name`.
 *
 * @example
 * ```ts
 * isImmutableHeader('Received'); // true
 * isImmutableHeader('Subject'); // false
 * ```
 */
export function isImmutableHeader(name: string): boolean {
  const key = name.toLowerCase();
  return (
    (UPDATE_HEADER_RULES.immutable as readonly string[]).includes(key) ||
    UPDATE_HEADER_RULES.immutablePrefixes.some((prefix) => key.startsWith(prefix))
  );
}

/** Bounds on the work {@link checkUpdate} does on hostile input. */
export interface UpdateCheckLimits {
  /** Longest line in octets, CRLF included (WorkMail and RFC 5322: 1000). */
  maxLineOctets: number;
  /** Largest header block of one part, in bytes. Default 1 MiB. */
  maxHeaderBytes: number;
  /** Most MIME parts looked at. Default 1000. */
  maxParts: number;
  /** Deepest multipart / message nesting. Default 30. */
  maxDepth: number;
  /** Most problems reported (each code at least once). Default 20. */
  maxProblems: number;
}

/**
 * The default {@link UpdateCheckLimits}.
 *
 * @example
 * ```ts
 * await checkUpdate(original, updated, { ...DEFAULT_UPDATE_CHECK_LIMITS, maxParts: 100 });
 * ```
 */
export const DEFAULT_UPDATE_CHECK_LIMITS: UpdateCheckLimits = {
  maxLineOctets: 1000,
  maxHeaderBytes: 1024 * 1024,
  maxParts: 1000,
  maxDepth: 30,
  maxProblems: 20,
};
