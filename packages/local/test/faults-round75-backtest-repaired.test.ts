import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../src/stack.js';
import { backtestGuard, ROOT } from './backtest-helpers.js';

// Fault round 75 (identity collisions): when journalToS3 finds its key taken by other bytes (another message under
// the same key, a copy an earlier attempt stored damaged, anything written there), it neither trusts nor overwrites
// them: the message goes to `<key>.repaired-<sha256 prefix>`, whose `.json` names the key and the bytes found there
// (`repairs`). `wmflow backtest` read the folder or prefix as it found it: the object under `<key>`, here another
// message without a `.json` of its own, was judged cleanly as a message journaled without metadata — bytes the journal
// had said were not the message it journaled there, reported under that message's key. It is now one failed line
// naming the verified copy, which is judged on its own; an object under a key with no repair beside it is judged as
// before (control).
const BUCKET = 'acme-journal';
const DAY = 'journal/inbound/2026/12/07';
const KEY = `${DAY}/r75-repaired-0001`;
const CONTROL = `${DAY}/r75-plain-0002`;
let dir: string;
let stack: LocalStack;
let message: Buffer;
let repairedKey: string;
const files = new Map<string, Buffer | string>();

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-r75-repaired-'));
  message = await readFile(join(ROOT, 'samples/eml/02-html-newsletter.eml'));
  // What the journal found under the key: another message (a key two messages were given), without its metadata.
  const found = await readFile(join(ROOT, 'samples/eml/05-ceo-impersonation.eml'));
  repairedKey = `${KEY}.repaired-${sha(message).slice(0, 16)}`;
  const envelope = { mailFrom: 'news@partner.example', recipients: ['alice@corp.example'] };
  const metadata = (key: string, bytes: Buffer, repairs?: object) =>
    JSON.stringify({
      key,
      messageId: key.slice(DAY.length + 1, DAY.length + 19),
      invocationId: 'inv-r75',
      direction: 'INBOUND',
      synchronous: true,
      envelope,
      subject: 'Your November digest',
      verdictsSoFar: { 'alice@corp.example': 'OPEN' },
      rulesFiredSoFar: [],
      sha256: sha(bytes),
      size: bytes.length,
      journaledAt: '2026-12-07T09:00:00.000Z',
      ...(repairs ? { repairs } : {}),
    });
  files.set(KEY, found);
  files.set(repairedKey, message);
  files.set(
    `${repairedKey}.json`,
    metadata(repairedKey, message, { key: KEY, storedSha256: sha(found), storedSize: found.length }),
  );
  files.set(CONTROL, message);
  stack = await startLocalStack({ buckets: [BUCKET] });
  for (const [key, body] of files) {
    await mkdir(join(dir, key, '..'), { recursive: true });
    await writeFile(join(dir, key), body);
    await stack.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
  }
}, 120_000);
afterAll(async () => {
  await stack?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function judged(source: string, env: Record<string, string> = {}) {
  const out = await backtestGuard(source, ['-j', '1'], env);
  return {
    code: out.code,
    failed: out.summary.failed,
    // Keys under `journal/` (a folder's are relative to it, a prefix's are S3's).
    lines: out.lines.map((l) => ({
      key: l.key.startsWith('journal/') ? l.key : `journal/${l.key}`,
      error: l.candidate.error?.message ?? null,
    })),
  };
}

describe('F75-3: the object a repair says was not the message is not judged as it', () => {
  it.each([
    ['a folder', () => join(dir, 'journal'), () => ({})],
    ['an S3 prefix', () => `s3://${BUCKET}/journal/`, () => ({ ...stack.env })],
  ])(
    '%s: a failed line for the key, naming the verified copy; the copy and the control judged',
    async (_what, source, env) => {
      const { code, failed, lines } = await judged(source(), env());
      expect(lines.map((l) => l.key)).toEqual([CONTROL, KEY, repairedKey]);
      expect(lines[0]?.error).toBeNull();
      expect(lines[1]?.error).toContain(repairedKey.slice('journal/'.length));
      expect(lines[1]?.error).toContain('not judged');
      expect(lines[2]?.error).toBeNull();
      // A failed line is counted, and the run ends as a backtest with failed lines does.
      expect(failed).toBe(1);
      expect(code).toBe(0);
    },
    120_000,
  );
});
