import { PutObjectCommand } from '@aws-sdk/client-s3';
import { lambdaContext, makeSesEvent, sesMessageId } from '@wmflow/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { archiverSes } from '../archiver-ses/archiver-ses.js';
import { guardSes } from '../guard-ses/guard-ses.js';
import { bigMessage, JOURNAL, stored, UPDATES, withExe } from './fault-harness.js';
import { type Act, pathOf, proxyBefore } from './scripted-proxy.js';

// Fault round 78 (F78-1) on SES: the read of the stored message refused for its credentials or signature (a rotated
// access key, a session token S3 does not take, a secret changed under its key id) said nothing about the message,
// yet guard-ses's attachment rule settled its fail-closed verdict and bounced it as "could not be checked". A
// message not read is held (STOP_RULE, its record written), never bounced nor passed (fault round 68).
const INBOUND = UPDATES;
const t = proxyBefore('S3', [JOURNAL, INBOUND], { AWS_MAX_ATTEMPTS: '1' });

const s3Refusal = (code: string, status: number, message: string): Act => ({
  do: 'answer',
  status,
  headers: { 'content-type': 'application/xml' },
  body: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message><RequestId>r78</RequestId></Error>`,
});
const REFUSALS: [string, Act][] = [
  [
    'InvalidAccessKeyId',
    s3Refusal('InvalidAccessKeyId', 403, 'The AWS Access Key Id you provided does not exist in our records.'),
  ],
  ['InvalidToken', s3Refusal('InvalidToken', 400, 'The provided token is malformed or otherwise invalid.')],
  [
    'SignatureDoesNotMatch',
    s3Refusal(
      'SignatureDoesNotMatch',
      403,
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    ),
  ],
];

afterEach(() => {
  t.proxy.decide = () => ({ do: 'forward' });
});

async function store(bytes: Buffer): Promise<string> {
  const id = sesMessageId();
  await t.stack.s3.send(new PutObjectCommand({ Bucket: INBOUND, Key: `inbound/${id}`, Body: bytes }));
  t.stack.ses.receive(id);
  return id;
}

async function run(
  handler: ReturnType<typeof guardSes>,
  id: string,
): Promise<{ disposition?: string; error?: Error }> {
  const event = makeSesEvent({ messageId: id, recipients: ['bob@corp.example'] });
  try {
    const answer = await handler(event, lambdaContext({ timeoutMs: 28_000 }));
    return { disposition: (answer as { disposition: string }).disposition };
  } catch (error) {
    return { error: error as Error };
  }
}

const guardEnv = {
  ORGANIZATION_DOMAINS: 'corp.example',
  STORED_BUCKET: INBOUND,
  STORED_KEY_PREFIX: 'inbound/',
  BOUNCE_SENDER: 'postmaster@corp.example',
  ATTACHMENT_ACTION: 'bounce',
  JUNK_POLICY: 'quarantine',
  MIXED_POLICY: 'most-protective',
  AUDIT_MODE: 'false',
};
const isStoredRead = (req: { method?: string }, path: string) =>
  req.method === 'GET' && path.startsWith(`/${INBOUND}/inbound/`);

describe('F78-1 (SES): the stored message read refused for its credentials is held, not bounced', () => {
  for (const [name, refusal] of REFUSALS) {
    it(`guard-ses, GetObject refused ${name}: held (STOP_RULE, record written), no bounce`, async () => {
      const id = await store(bigMessage(30_000, `f78-ses-${name}`));
      let refused = 0;
      t.proxy.decide = (req) => {
        if (!isStoredRead(req, pathOf(req))) return { do: 'forward' };
        refused++;
        return refusal;
      };
      const out = await run(guardSes(guardEnv), id);
      expect(refused).toBeGreaterThan(0);
      // Before: STOP_RULE_SET, the clean message bounced "could not be checked".
      expect(out.disposition, out.error?.message).toBe('STOP_RULE');
      expect(t.stack.ses.bounces(id)).toHaveLength(0);
      const record = (await stored(t.stack, INBOUND, `held/${id}.json`))?.toString() ?? '';
      expect(record).toContain('"cause":"retryable-error"');
      // The reason names the refusal for what it is, not a policy or a missing key.
      expect(record).toMatch(/credentials or signature were not accepted/);
      expect(record).not.toMatch(/receipt rule needs an S3 action/);
    }, 60_000);
  }

  it('held: archiver-ses, GetObject refused InvalidAccessKeyId: the invocation fails, nothing journaled', async () => {
    const id = await store(withExe(30_000, 'f78-ses-archiver'));
    t.proxy.decide = (req) =>
      isStoredRead(req, pathOf(req)) ? (REFUSALS[0]?.[1] as Act) : { do: 'forward' };
    const handler = archiverSes({
      ORGANIZATION_DOMAINS: 'corp.example',
      STORED_BUCKET: INBOUND,
      STORED_KEY_PREFIX: 'inbound/',
      JOURNAL_BUCKET: JOURNAL,
      KEY_TEMPLATE: 'f78ses/{messageId}',
    });
    const out = await run(handler, id);
    expect(out.error, out.disposition).toBeDefined();
    expect(await stored(t.stack, JOURNAL, `f78ses/${id}`)).toBeUndefined();
  }, 60_000);
});
