import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { ConfigError, resetSharedS3Client } from '@wmflow/core';
import { lambdaContext, makeSesEvent, sesMessageId } from '@wmflow/core/testing';
import { type LocalStack, startLocalStack } from '@wmflow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiverSes } from '../archiver-ses/archiver-ses.js';
import { guardSes } from '../guard-ses/guard-ses.js';

const EML = new URL('../../samples/eml/', import.meta.url);
const STORED = { STORED_BUCKET: 'inbound-mail', STORED_KEY_PREFIX: 'inbound/' };
let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack({ buckets: ['inbound-mail', 'journal'] });
  // The functions build their clients from the environment, as in Lambda.
  Object.assign(process.env, stack.env);
  resetSharedS3Client();
});
afterAll(async () => {
  await stack?.stop();
});

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
async function get(bucket: string, key: string): Promise<Buffer> {
  const out = await stack.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(
    await (out.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
  );
}

/** Stores a message as the S3 action does and returns its SES message id. */
async function store(bytes: Buffer): Promise<string> {
  const id = sesMessageId();
  await stack.s3.send(new PutObjectCommand({ Bucket: 'inbound-mail', Key: `inbound/${id}`, Body: bytes }));
  stack.ses.receive(id);
  return id;
}

describe('function: archiverSes', () => {
  it('journals each sample byte-identical with its metadata, once across a retry', async () => {
    const handler = archiverSes({ ...STORED, JOURNAL_BUCKET: 'journal', KEY_TEMPLATE: 'j/{messageId}' });
    const files = (await readdir(EML)).filter((f) => f.endsWith('.eml'));
    expect(files.length).toBeGreaterThanOrEqual(10);
    for (const file of files) {
      const bytes = await readFile(new URL(file, EML));
      const id = await store(bytes);
      const event = makeSesEvent({ messageId: id, recipients: ['carol@corp.example'] });
      expect(await handler(event, lambdaContext()), file).toEqual({ disposition: 'CONTINUE' });
      expect(await handler(event, lambdaContext()), file).toEqual({ disposition: 'CONTINUE' }); // a retry
      expect(sha(await get('journal', `j/${id}`)), file).toBe(sha(bytes));
      const meta = JSON.parse((await get('journal', `j/${id}.json`)).toString('utf8'));
      expect(meta, file).toMatchObject({
        messageId: id,
        sha256: sha(bytes),
        size: bytes.length,
        direction: 'INBOUND',
      });
      expect((await stack.listObjects('journal', `j/${id}`)).length, file).toBe(2);
    }
  });
});

describe('function: guardSes', () => {
  const env = { ...STORED, BOUNCE_SENDER: 'postmaster@corp.example', ORGANIZATION_DOMAINS: 'corp.example' };

  it('bounces a virus with SendBounce and stops the rule set; says at start-up what does not apply', async () => {
    const written: string[] = [];
    const write = process.stdout.write;
    process.stdout.write = ((chunk: string | Uint8Array) => written.push(String(chunk)) > 0) as typeof write;
    let handler: ReturnType<typeof guardSes>;
    try {
      handler = guardSes(env);
    } finally {
      process.stdout.write = write;
    }
    const startup = written.map((l) => JSON.parse(l)).find((l) => l.message === 'wmflow ses flow');
    expect(startup.limitations).toContainEqual(expect.stringMatching(/^tag-external cannot tag on SES/));
    // The spam verdict (Junk by default) runs after the protections (attacker round 72); so does the DMARC
    // policy's Junk for p=quarantine, while p=reject's bounce comes right after the attachments (attacker round 83).
    expect(startup.rules).toEqual([
      'enforce-ses-verdicts',
      'block-attachments',
      'enforce-dmarc-policy',
      'enforce-ses-verdicts',
      'enforce-dmarc-policy',
      // Tags nothing on SES; junks outside mail shown as the organization's (attacker round 91).
      'tag-external',
    ]);
    const id = await store(await readFile(new URL('04-ses-spam-virus.eml', EML)));
    const answer = await handler(
      makeSesEvent({ messageId: id, recipients: ['carol@corp.example'], verdicts: { virus: 'FAIL' } }),
      lambdaContext(),
    );
    expect(answer).toEqual({ disposition: 'STOP_RULE_SET' });
    expect(stack.ses.bounces(id)).toMatchObject([
      { bounceSender: 'postmaster@corp.example', recipients: [{ recipient: 'carol@corp.example' }] },
    ]);
  });

  it('refuses ATTACHMENT_ACTION=strip and a missing BOUNCE_SENDER at construction', () => {
    expect(() => guardSes({ ...env, ATTACHMENT_ACTION: 'strip' })).toThrow(ConfigError);
    expect(() => guardSes({ ...env, ATTACHMENT_ACTION: 'strip' })).toThrow(/not possible on SES/);
    expect(() => guardSes({ ...STORED })).toThrow(/BOUNCE_SENDER/);
  });
});
