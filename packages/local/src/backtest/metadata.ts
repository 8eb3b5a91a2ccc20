import { LocalStackError } from '../errors.js';
import type { JournalMetadata, PolicyOutcome } from './types.js';

/** Metadata objects larger than this are refused (the archiver's are a few kB). */
export const MAX_METADATA_BYTES = 1024 * 1024;

/**
 * Reads the archiver's `<key>.json`: checks the fields a backtest relies on and
 * keeps only those. Throws a {@link LocalStackError} naming the key when the
 * object is not journal metadata.
 *
 * @example
 * ```ts
 * const metadata = parseMetadata(await readFile(`${path}.json`, 'utf8'), key);
 * metadata.envelope.recipients;
 * ```
 */
export function parseMetadata(text: string, key: string): JournalMetadata {
  const bad = (why: string) => new LocalStackError(`${key}.json: not journal metadata (${why})`);
  if (text.length > MAX_METADATA_BYTES) throw bad('too large');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw bad('invalid JSON');
  }
  if (!isRecord(raw)) throw bad('not an object');
  const { direction, envelope } = raw;
  if (direction !== 'INBOUND' && direction !== 'OUTBOUND') throw bad('direction');
  if (!isRecord(envelope) || typeof envelope.mailFrom !== 'string') throw bad('envelope.mailFrom');
  if (!Array.isArray(envelope.recipients) || !envelope.recipients.every((r) => typeof r === 'string'))
    throw bad('envelope.recipients');
  const metadata: JournalMetadata = {
    messageId: typeof raw.messageId === 'string' ? raw.messageId : '',
    direction,
    envelope: { mailFrom: envelope.mailFrom, recipients: envelope.recipients as string[] },
    verdictsSoFar: stringRecord(raw.verdictsSoFar),
    rulesFiredSoFar: Array.isArray(raw.rulesFiredSoFar)
      ? raw.rulesFiredSoFar.filter((r): r is string => typeof r === 'string')
      : [],
  };
  if (typeof envelope.sender === 'string') metadata.envelope.sender = envelope.sender;
  if (typeof raw.subject === 'string') metadata.subject = raw.subject;
  if (typeof raw.journaledAt === 'string') metadata.journaledAt = raw.journaledAt;
  if (typeof raw.key === 'string') metadata.key = raw.key;
  // A digest or size there in another form than the journal's is not "none recorded": the copy's check would be
  // skipped, and a cut copy judged as the message (fault round 85). A digest in capitals is the same digest.
  if (raw.sha256 !== undefined) {
    if (typeof raw.sha256 !== 'string' || !/^[0-9a-fA-F]{64}$/.test(raw.sha256)) throw bad('sha256');
    metadata.sha256 = raw.sha256.toLowerCase();
  }
  if (raw.size !== undefined) {
    if (!Number.isSafeInteger(raw.size) || (raw.size as number) < 0) throw bad('size');
    metadata.size = raw.size as number;
  }
  return metadata;
}

/**
 * The outcome recorded at journaling time, as a baseline: recipients still open
 * when the journal rule ran are shown as DEFAULT (what the chain's end gives them);
 * the edit is `unknown` (not recorded), so edits are not compared with it.
 *
 * @example
 * ```ts
 * recordedOutcome(metadata).verdicts; // { 'bob@corp.example': 'DEFAULT' }
 * ```
 */
export function recordedOutcome(metadata: JournalMetadata): PolicyOutcome {
  const verdicts: Record<string, string> = {};
  for (const r of metadata.envelope.recipients) {
    const v = metadata.verdictsSoFar[r];
    verdicts[r] = v === undefined || v === 'OPEN' ? 'DEFAULT' : v;
  }
  return {
    label: 'recorded',
    verdicts,
    rulesFired: metadata.rulesFiredSoFar,
    // The journal rule runs before edits are applied: what was edited is not recorded.
    edit: { status: 'unknown', changes: [] },
    failures: [],
    error: null,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringRecord(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  return Object.fromEntries(Object.entries(value).filter(([, v]) => typeof v === 'string')) as Record<
    string,
    string
  >;
}
