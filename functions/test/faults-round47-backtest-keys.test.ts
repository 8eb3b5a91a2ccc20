import { createHash } from 'node:crypto';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { type LocalStack, startLocalStack } from '@wmflow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource } from '../../packages/local/src/backtest/source.js';
import { bigMessage } from './fault-harness.js';

// Fault round 47: backtest over an S3 listing whose keys hold unusual characters. Each copy is cut, with its
// metadata beside it: every fetch must refuse it (the check found its metadata), whatever the key's characters.
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const BUCKET = 'keys-bucket';
const NAMES = [
  'a b',
  'a+b',
  'a%20b',
  'a%2Bb',
  'é-ü',
  '日本',
  'a&b<c>',
  "it's",
  'a\tb',
  'x~y=z;q',
  'trail ',
  '%',
  '+',
  'emoji-😀',
];
const whole = bigMessage(20_000, 'f47-keys');
const cut = whole.subarray(0, whole.indexOf('\r\n', 10_000) + 2);

let stack: LocalStack;
let s3: S3Client;
beforeAll(async () => {
  stack = await startLocalStack({ buckets: [BUCKET] });
  s3 = stack.s3;
  for (const name of NAMES) {
    const key = `journal/${name}`;
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: cut }));
    const meta = JSON.stringify({
      key,
      messageId: 'm',
      invocationId: 'i',
      direction: 'INBOUND',
      envelope: { mailFrom: 'ann@partner.example', recipients: ['bob@corp.example'] },
      verdictsSoFar: {},
      rulesFiredSoFar: [],
      sha256: sha(whole),
      size: whole.length,
    });
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${key}.json`, Body: meta }));
  }
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

describe('F47: backtest keys with unusual characters', () => {
  it('lists every key once and refuses every cut copy', async () => {
    const source = await openSource(`s3://${BUCKET}/journal/`, { s3 });
    const outcomes: Record<string, string> = {};
    try {
      for await (const key of source.list()) {
        try {
          const item = await source.fetch(key);
          outcomes[key] = `judged (metadata ${item.metadata ? 'found' : 'none'})`;
          await source.release(item);
        } catch (error) {
          outcomes[key] = /cut or changed/.test((error as Error).message)
            ? 'refused'
            : `error: ${(error as Error).message}`;
        }
      }
    } finally {
      await source.close();
    }
    const expected = Object.fromEntries(NAMES.map((n) => [`journal/${n}`, 'refused']));
    expect(outcomes).toEqual(expected);
  });
});
