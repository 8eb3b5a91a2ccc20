import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ConfigError, isTransient, RuleError, Verdicts } from '@wmflow/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EML_DIR, eml, type Harness, startHarness } from '../../test/support/stack.js';
import { dropMessage } from '../verdicts/index.js';
import { journalToS3 } from './index.js';
import { keyTemplate } from './key.js';
import type { JournalError } from './store.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness(['journal']);
});
afterAll(() => h.stop());

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
async function getObject(key: string): Promise<Buffer> {
  const out = await h.stack.s3.send(new GetObjectCommand({ Bucket: 'journal', Key: key }));
  return Buffer.from(
    await (out.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
  );
}
const journal = () =>
  journalToS3({ bucket: 'journal', s3: h.stack.s3, keyTemplate: 'j/{direction}/{yyyy}/{messageId}' });

describe('rule: journalToS3 (over the emulator and the local S3 server)', () => {
  it('stores every sample fixture byte-identical, with metadata', async () => {
    const files = (await readdir(EML_DIR)).filter((f) => f.endsWith('.eml')).sort();
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const file of files) {
      const bytes = await eml(file);
      const { messageId, outcome } = await h.run([journal()], bytes);
      expect(outcome.failures, file).toEqual([]);
      const [object] = await h.stack
        .listObjects('journal', `j/inbound/`)
        .then((l) => l.filter((o) => o.key.endsWith(messageId)));
      expect(object, file).toBeDefined();
      expect(sha(await getObject(object?.key ?? '')), file).toBe(sha(bytes));
      const meta = JSON.parse((await getObject(`${object?.key}.json`)).toString('utf8'));
      expect(meta).toMatchObject({ messageId, sha256: sha(bytes), size: bytes.length, direction: 'INBOUND' });
    }
  });

  it('journals large messages streamed into one PutObject, and in multipart parts, byte-identical', async () => {
    const big = Buffer.concat([await eml('plain.eml'), Buffer.alloc(12 * 1024 * 1024, 'x\r\n')]);
    for (const streamMaxBytes of [undefined, 0]) {
      const rule = journalToS3({
        bucket: 'journal',
        s3: h.stack.s3,
        keyTemplate: 'big/{messageId}',
        streamMaxBytes,
      });
      const { messageId, outcome } = await h.run([rule], big);
      expect(outcome.failures).toEqual([]);
      expect(sha(await getObject(`big/${messageId}`))).toBe(sha(big));
      const meta = JSON.parse((await getObject(`big/${messageId}.json`)).toString('utf8'));
      expect(meta).toMatchObject({ sha256: sha(big), size: big.length });
    }
  });

  it('runs even when every recipient is settled, and records the verdicts so far', async () => {
    const { messageId } = await h.run([dropMessage(), journal()], await eml('plain.eml'), {
      recipients: ['a@corp.example'],
    });
    const [object] = (await h.stack.listObjects('journal', 'j/')).filter((o) =>
      o.key.endsWith(`${messageId}.json`),
    );
    const meta = JSON.parse((await getObject(object?.key ?? '')).toString('utf8'));
    expect(meta.verdictsSoFar).toEqual({ 'a@corp.example': 'DROP' });
  });

  it('is idempotent under a retried invocation: one object, no error', async () => {
    const bytes = await eml('external-spam-verdict.eml');
    const messageId = h.stack.flow.load(bytes);
    const rules = [journalToS3({ bucket: 'journal', s3: h.stack.s3, keyTemplate: 'retry/{messageId}' })];
    const { runFlow } = await import('../../test/support/run.js');
    const clients = { messageFlow: h.messageFlow, s3: h.stack.s3 };
    const first = await runFlow(rules, { messageId, invocationId: 'inv1' }, { clients });
    const again = await runFlow(rules, { messageId, invocationId: 'inv1' }, { clients });
    expect([first.outcome.failures, again.outcome.failures]).toEqual([[], []]);
    expect(JSON.stringify(again.outcome.fired)).toContain('already journaled');
    expect((await h.stack.listObjects('journal', 'retry/')).map((o) => o.key)).toEqual([
      `retry/${messageId}`,
      `retry/${messageId}.json`,
    ]);
  });

  it('completes the metadata on a retry after a copy whose metadata was never written', async () => {
    const bytes = await eml('plain.eml');
    const messageId = h.stack.flow.load(bytes);
    const rules = [journalToS3({ bucket: 'journal', s3: h.stack.s3, keyTemplate: 'half/{messageId}' })];
    const { runFlow } = await import('../../test/support/run.js');
    const clients = { messageFlow: h.messageFlow, s3: h.stack.s3 };
    await runFlow(rules, { messageId, invocationId: 'inv1' }, { clients });
    await h.stack.s3.send(new DeleteObjectCommand({ Bucket: 'journal', Key: `half/${messageId}.json` }));
    const again = await runFlow(rules, { messageId, invocationId: 'inv1' }, { clients });
    expect(again.outcome.failures).toEqual([]);
    expect((await h.stack.listObjects('journal', 'half/')).map((o) => o.key)).toEqual([
      `half/${messageId}`,
      `half/${messageId}.json`,
    ]);
  });

  it('never trusts nor overwrites different content at the key: reports it and stores a verified copy beside it', async () => {
    const bytes = await eml('plain.eml');
    const messageId = 'conflict-1';
    // A copy truncated by an earlier fault, whose object metadata claims the full message's digest.
    await h.stack.s3.send(
      new PutObjectCommand({
        Bucket: 'journal',
        Key: `c/${messageId}`,
        Body: bytes.subarray(0, 100),
        Metadata: { sha256: sha(bytes) },
      }),
    );
    h.stack.flow.load(bytes, { messageId });
    const { runFlow } = await import('../../test/support/run.js');
    const rules = [journalToS3({ bucket: 'journal', s3: h.stack.s3, keyTemplate: 'c/{messageId}' })];
    const run = await runFlow(rules, { messageId }, { clients: { messageFlow: h.messageFlow } });
    expect(run.outcome.failures).toEqual([]);
    expect(JSON.stringify(run.outcome.fired)).toContain('held other content');
    expect(run.logger.lines.some((l) => l.message === 'journal copy mismatch repaired')).toBe(true);
    expect(await getObject(`c/${messageId}`)).toEqual(bytes.subarray(0, 100));
    const repaired = `c/${messageId}.repaired-${sha(bytes).slice(0, 16)}`;
    expect(await getObject(repaired)).toEqual(bytes);
    // The metadata prepared for the taken key while the copy was sent was dropped unsent.
    expect((await h.stack.listObjects('journal', `c/${messageId}`)).map((o) => o.key)).toEqual([
      `c/${messageId}`,
      repaired,
      `${repaired}.json`,
    ]);
    const meta = JSON.parse((await getObject(`${repaired}.json`)).toString('utf8'));
    expect(meta).toMatchObject({
      sha256: sha(bytes),
      size: bytes.length,
      repairs: { key: `c/${messageId}`, storedSize: 100 },
    });
  });

  it('turns S3 failures into JournalError under the declared policy', async () => {
    const bytes = await eml('plain.eml');
    const missing = journalToS3({ bucket: 'no-such-bucket', s3: h.stack.s3 });
    const thrown = await h.run([missing], bytes).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(((thrown as RuleError).cause as JournalError).reason).toBe('s3');
    const dead = new S3Client({
      endpoint: 'http://127.0.0.1:9',
      region: 'us-east-1',
      forcePathStyle: true,
      maxAttempts: 1,
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    // A network failure is transient: by default it fails the invocation whatever the rule's policy.
    const retried = await h
      .run([journalToS3({ bucket: 'journal', s3: dead, onError: 'fail-open' })], bytes)
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(retried).toBeInstanceOf(RuleError);
    expect(isTransient(retried)).toBe(true);
    const rulePolicy = { transientErrors: 'rule-policy' as const };
    const open = await h.run(
      [journalToS3({ bucket: 'journal', s3: dead, onError: 'fail-open' })],
      bytes,
      {},
      rulePolicy,
    );
    expect(open.outcome.failures).toEqual([
      expect.objectContaining({ rule: 'journal-to-s3', policy: 'fail-open' }),
    ]);
    expect(String((open.outcome.failures as { error: string }[])[0]?.error)).toContain(
      'journal to s3://journal/',
    );
    const closed = await h.run(
      [
        journalToS3({
          bucket: 'journal',
          s3: dead,
          onError: { failClosed: Verdicts.bounce('Try again later.') },
        }),
      ],
      bytes,
      { recipients: ['a@corp.example'] },
      rulePolicy,
    );
    expect(closed.verdict('a@corp.example')).toBe('BOUNCE:Try again later.');
    dead.destroy();
  });

  it('works in asynchronous flows', async () => {
    const bytes = await eml('plain.eml');
    const r = await h.run(
      [journalToS3({ bucket: 'journal', s3: h.stack.s3, keyTemplate: 'async/{messageId}' })],
      bytes,
      {},
      { synchronous: false },
    );
    expect(r.response).toBeUndefined();
    expect(sha(await getObject(`async/${r.messageId}`))).toBe(sha(bytes));
  });
});

describe('journal: key template and configuration', () => {
  it('builds sanitised keys', () => {
    const key = keyTemplate('a/{yyyy}-{mm}-{dd}T{hh}/{direction}/{messageId}');
    const values = {
      messageId: '../../etc/passwd',
      invocationId: 'i',
      direction: 'OUTBOUND',
      date: new Date('2026-11-24T07:05:00Z'),
    };
    expect(key(values)).toBe('a/2026-11-24T07/outbound/------etc-passwd');
  });

  it.each([
    ['/abs/{messageId}'],
    ['a/../{messageId}'],
    ['a//{messageId}'],
    ['a/{yyyy}'],
    ['a/{nope}/{messageId}'],
    ['a b/{messageId}'],
    [''],
  ])('refuses key template %j', (template) => {
    expect(() => journalToS3({ bucket: 'journal', keyTemplate: template })).toThrow(
      /configuration keyTemplate/,
    );
  });

  it('refuses other bad configuration', () => {
    expect(() => journalToS3({ bucket: 'Bad_Bucket' })).toThrow(/configuration bucket/);
    expect(() => journalToS3({ bucket: 'journal', encryption: { type: 'SSE-C' } as never })).toThrow(
      ConfigError,
    );
    expect(() => journalToS3({ bucket: 'journal', retention: { mode: 'COMPLIANCE', days: 0 } })).toThrow(
      /retention.days/,
    );
    expect(() => journalToS3({ bucket: 'journal', partSize: 1024 })).toThrow(/partSize/);
    expect(() => journalToS3({ bucket: 'journal', streamMaxBytes: -1 })).toThrow(/streamMaxBytes/);
    expect(() =>
      journalToS3({ bucket: 'journal', encryption: { type: 'SSE-KMS', kmsKeyId: 'a b' } }),
    ).toThrow(/kmsKeyId/);
  });
});
