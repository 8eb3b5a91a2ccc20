import { createHash } from 'node:crypto';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bigMessage } from '../../../functions/test/fault-harness.js';
import { pathOf, type ScriptedProxy, scriptedProxy } from '../../../functions/test/scripted-proxy.js';
import { type LocalStack, startLocalStack } from '../src/index.js';
import { ENV, parseBacktest, run } from './backtest-helpers.js';

// Fault round 88, held: `wmflow backtest s3://…` over a journal holding two copies of one message (a retry journaled
// on either side of midnight), a copy whose metadata's SHA-256 is of other bytes, and a copy whose every read is cut
// mid-body. Asked: stdout is JSON Lines only, each bad copy a failed line counted in the summary, never judged; the
// exit code is 0 as docs/backtest.md says (a run that completed: failed messages are in the output, not the code).
const BUCKET = 'acme-journal';
const DAY = 'journal/inbound/2026/12/05';
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
let stack: LocalStack;
let proxy: ScriptedProxy;
const message = bigMessage(40_000, 'f88-backtest');
const other = bigMessage(40_000, 'f88-backtest-other');

async function journal(key: string, bytes: Buffer, meta: { messageId: string; sha256: string }) {
  const metadata = {
    key,
    invocationId: 'i',
    direction: 'INBOUND',
    envelope: { mailFrom: 'ann@partner.example', recipients: ['bob@corp.example'] },
    verdictsSoFar: {},
    rulesFiredSoFar: [],
    size: bytes.length,
    ...meta,
  };
  await stack.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: bytes }));
  await stack.s3.send(
    new PutObjectCommand({ Bucket: BUCKET, Key: `${key}.json`, Body: JSON.stringify(metadata) }),
  );
}

beforeAll(async () => {
  stack = await startLocalStack({ buckets: [BUCKET] });
  await journal(`${DAY}/a-first`, message, { messageId: 'a', sha256: sha(message) });
  await journal('journal/inbound/2026/12/06/a-again', message, { messageId: 'a', sha256: sha(message) });
  await journal(`${DAY}/c-changed`, message, { messageId: 'c', sha256: sha(other) });
  await journal(`${DAY}/d-cut`, other, { messageId: 'd', sha256: sha(other) });
  proxy = await scriptedProxy(stack.env.AWS_ENDPOINT_URL_S3 as string);
}, 60_000);
afterAll(async () => {
  await proxy.close();
  await stack.stop();
});

describe('held: backtest over duplicate, changed and cut copies', () => {
  it.each([
    ['chunked, ended early but well formed', { do: 'forward-chunked-cut', keep: 20_000 } as const],
    ['delimited by a close, cut', { do: 'forward-close-delimited', keep: 20_000 } as const],
    ['dropped after the request', { do: 'apply-then-drop' } as const],
  ])(
    'the cut copy read %s: clean JSON Lines, two failed lines counted, the rest judged',
    async (_how, cut) => {
      proxy.decide = (req) =>
        req.method === 'GET' && pathOf(req) === `/${BUCKET}/${DAY}/d-cut` ? cut : { do: 'forward' };
      const out = await run(
        ['backtest', `s3://${BUCKET}/journal/`, '--function', 'guard', ...ENV, '-j', '2'],
        {
          ...stack.env,
          AWS_ENDPOINT_URL_S3: proxy.endpoint,
        },
      );
      const { lines, summary } = parseBacktest(out.stdout);
      const judged = lines.map((l) => [l.key, l.candidate.error ? 'failed' : 'judged']);
      expect(judged.sort(), JSON.stringify(lines.map((l) => l.candidate.error))).toEqual([
        [`${DAY}/a-first`, 'judged'],
        [`${DAY}/c-changed`, 'failed'],
        [`${DAY}/d-cut`, 'failed'],
        ['journal/inbound/2026/12/06/a-again', 'judged'],
      ]);
      expect([summary.messages, summary.failed, summary.candidate.errors]).toEqual([4, 2, 2]);
      expect(out.code).toBe(0);
    },
    120_000,
  );
});
