import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource } from '../src/backtest/source.js';
import { type LocalStack, startLocalStack } from '../src/index.js';
import { ROOT } from './backtest-helpers.js';

// Fault round 85 (F85-3): the backtest checks each copy against the size and SHA-256 its `<key>.json` recorded, so a cut
// or changed copy is not judged as the message. A metadata object whose `sha256` or `size` was there but not in the
// journal's form (a size as a string, a digest in base64 or cut short: the object re-serialized by a tool, or not
// the journal's) was read as naming neither, and the check was skipped: a cut copy was judged as the message, its
// line clean. Such a field now makes the object "not journal metadata" (the message's line says so); a digest in
// capitals is the same digest and is checked; fields that are absent are still not checked (as before).
const BUCKET = 'acme-journal';
const DAY = 'journal/inbound/2026/12/07';
let dir: string;
let stack: LocalStack;
let message: Buffer;
let cut: Buffer;

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const metadata = (key: string, fields: Record<string, unknown>) =>
  JSON.stringify({
    key,
    messageId: key.slice(DAY.length + 1),
    invocationId: 'inv-r85',
    direction: 'INBOUND',
    synchronous: true,
    envelope: { mailFrom: 'news@partner.example', recipients: ['alice@corp.example'] },
    verdictsSoFar: {},
    rulesFiredSoFar: [],
    journaledAt: '2026-12-07T09:00:00.000Z',
    ...fields,
  });

// Each case: a copy cut short, with metadata recording the whole message in a form that is not the journal's.
const cases: [string, () => Record<string, unknown>][] = [
  ['size as a string, no digest', () => ({ size: String(message.length) })],
  ['digest in base64, no size', () => ({ sha256: createHash('sha256').update(message).digest('base64') })],
  [
    'digest cut short, size as a string',
    () => ({ sha256: sha(message).slice(0, 32), size: `${message.length}` }),
  ],
  ['size negative, digest null', () => ({ size: -1, sha256: null })],
  ['digest in capitals, size absent', () => ({ sha256: sha(message).toUpperCase() })],
];
const keyOf = (i: number) => `${DAY}/r85-meta-${String(i).padStart(4, '0')}`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-r85-meta-'));
  message = await readFile(join(ROOT, 'samples/eml/02-html-newsletter.eml'));
  cut = message.subarray(0, message.length - 100);
  stack = await startLocalStack({ buckets: [BUCKET] });
  const put = async (key: string, body: Buffer | string) => {
    await mkdir(join(dir, key, '..'), { recursive: true });
    await writeFile(join(dir, key), body);
    await stack.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
  };
  for (const [i, [, fields]] of cases.entries()) {
    await put(keyOf(i), cut);
    await put(`${keyOf(i)}.json`, metadata(keyOf(i), fields()));
  }
  // Control: the journal's own form, the copy whole.
  await put(`${DAY}/r85-meta-whole`, message);
  await put(
    `${DAY}/r85-meta-whole.json`,
    metadata(`${DAY}/r85-meta-whole`, { sha256: sha(message), size: message.length }),
  );
}, 60_000);
afterAll(async () => {
  await stack?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function fetched(spec: string, key: string): Promise<string> {
  const source = await openSource(spec, { s3: stack.s3 });
  try {
    const item = await source.fetch(key);
    await source.release(item);
    return 'judged';
  } catch (error) {
    return (error as Error).message;
  } finally {
    await source.close();
  }
}

const sources: [string, () => string, (key: string) => string][] = [
  ['a folder', () => join(dir, 'journal'), (key) => key.slice('journal/'.length)],
  ['an S3 prefix', () => `s3://${BUCKET}/journal/`, (key) => key],
];

describe('F85-3: metadata naming the size or digest in a form that is not the journal’s', () => {
  describe.each(sources)('%s', (_what, spec, listed) => {
    it.each(cases.map(([what], i) => [what, i] as const))(
      '%s: the cut copy is not judged as the message',
      async (_case, i) => {
        expect(await fetched(spec(), listed(keyOf(i)))).toMatch(
          /not journal metadata|a cut or changed copy|a changed copy/,
        );
      },
      60_000,
    );

    it('held: the journal’s own form, the copy whole: judged', async () => {
      expect(await fetched(spec(), listed(`${DAY}/r85-meta-whole`))).toBe('judged');
    }, 60_000);
  });
});
