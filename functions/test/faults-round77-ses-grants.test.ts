import { join } from 'node:path';
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { resetDefaultClients } from '@wmflow/core';
import { sesFlow } from '@wmflow/core/ses';
import { lambdaContext, makeSesEvent, sesMessageId } from '@wmflow/core/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { rules as initRules } from '../../packages/local/templates/init-ses/src/rules.js';
import { archiverSes } from '../archiver-ses/archiver-ses.js';
import { guardSes } from '../guard-ses/guard-ses.js';
import { loadTemplate } from './cfn.js';
import { bigMessage, JOURNAL, stored, UPDATES, withExe } from './fault-harness.js';
import {
  allowed,
  denied,
  grantsOf,
  type Iam,
  type IamCall,
  iamDecide,
  refusal,
  S3_ARN,
  s3Calls,
} from './iam-check.js';
import { pathOf, proxyBefore, type ScriptedProxy, scriptedProxy } from './scripted-proxy.js';

// Fault round 77: round 76's IAM check for the SES functions. The S3 and SES proxies act as IAM with the function's
// policy from template-ses.yaml (and the `wmflow init --engine ses` template): each request is named by the IAM action
// it needs and its resource, recorded, and answered 403 AccessDenied in the service's own shape when not granted. As
// in AWS, a read of a key that does not exist is a 403, not a 404, for a role without s3:ListBucket on the bucket.
const INBOUND = UPDATES;
const t = proxyBefore('S3', [JOURNAL, INBOUND], { POWERTOOLS_LOG_LEVEL: 'INFO', AWS_MAX_ATTEMPTS: '1' });
let sesp: ScriptedProxy;
const saved = { ...process.env };
beforeAll(async () => {
  sesp = await scriptedProxy(t.stack.env.AWS_ENDPOINT_URL_SES as string);
  process.env.AWS_ENDPOINT_URL_SES = sesp.endpoint;
  resetDefaultClients();
});
afterAll(async () => {
  process.env.AWS_ENDPOINT_URL_SES = saved.AWS_ENDPOINT_URL_SES;
  resetDefaultClients();
  await sesp?.close();
});

const ROOT = join(import.meta.dirname, '../..');
const NAMES: Record<string, string> = {
  InboundBucket: INBOUND,
  'InboundBucket.Arn': `${S3_ARN}${INBOUND}`,
  JournalBucket: JOURNAL,
  JournalBucketName: JOURNAL,
  JournalKeyPrefix: 'journal',
  JournalKmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/k-1',
  BounceSenderIdentity: 'corp.example',
};
const IDENTITY_ARN = 'arn:aws:ses:us-east-1:123456789012:identity/';

/** SendBounce as IAM judges it: on the identity of its BounceSender (the verified domain here). */
function sesCalls(_req: unknown, body: Buffer): IamCall[] {
  const form = new URLSearchParams(body.toString('utf8'));
  const action = `ses:${form.get('Action') ?? '?'}`;
  const sender = form.get('BounceSender') ?? '';
  return [{ action, resource: `${IDENTITY_ARN}${sender.slice(sender.lastIndexOf('@') + 1)}` }];
}

/** Points the S3 and SES proxies at an IAM check with the function's grants from the template. */
async function asDeployed(
  logicalId: string,
  without: string[] = [],
  template = join(ROOT, 'template-ses.yaml'),
): Promise<Iam> {
  const grants = grantsOf(await loadTemplate(template), logicalId, NAMES).map((g) => ({
    ...g,
    actions: g.actions.filter((a) => !without.includes(a)),
  }));
  const iam: Iam = { calls: [] };
  const s3 = iamDecide(logicalId, grants, iam, s3Calls, 's3');
  const mayList = (bucket: string) =>
    allowed(grants, { action: 's3:ListBucket', resource: `${S3_ARN}${bucket}` });
  t.proxy.decide = async (req, body) => {
    const act = s3(req, body);
    const [, bucket = '', ...rest] = pathOf(req).split('/');
    if (
      act.do !== 'forward' ||
      !/^(GET|HEAD)$/.test(req.method ?? '') ||
      rest.length === 0 ||
      mayList(bucket)
    )
      return act;
    // As S3 does: a key that does not exist is AccessDenied, not NoSuchKey, to a role that may not list the bucket.
    const there = await t.stack.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: rest.join('/') })).then(
      () => true,
      () => false,
    );
    if (there) return act;
    iam.calls.push(`s3:ListBucket ${S3_ARN}${bucket} (absent key) DENIED`);
    return refusal(logicalId, { action: 's3:ListBucket', resource: `${S3_ARN}${bucket}` }, 's3');
  };
  sesp.decide = iamDecide(logicalId, grants, iam, sesCalls, 'query');
  return iam;
}

let logged: string[] = [];
beforeEach(() => {
  logged = [];
  for (const stream of [process.stdout, process.stderr])
    vi.spyOn(stream, 'write').mockImplementation((chunk: unknown) => {
      logged.push(String(chunk));
      return true;
    });
});
afterEach(() => {
  vi.restoreAllMocks();
  t.proxy.decide = () => ({ do: 'forward' });
  if (sesp) sesp.decide = () => ({ do: 'forward' });
});
const log = () => logged.join('');

async function store(bytes: Buffer, put = true): Promise<string> {
  const id = sesMessageId();
  if (put)
    await t.stack.s3.send(new PutObjectCommand({ Bucket: INBOUND, Key: `inbound/${id}`, Body: bytes }));
  t.stack.ses.receive(id);
  return id;
}

async function run(
  handler: ReturnType<typeof guardSes>,
  id: string,
  headersTruncated = false,
): Promise<{ disposition?: string; error?: Error }> {
  const event = makeSesEvent({ messageId: id, recipients: ['bob@corp.example'] });
  // SES leaves the header block out of an event when it is too long: the rules read it from the stored message.
  if (headersTruncated) for (const r of event.Records) r.ses.mail.headersTruncated = true;
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
const archiverEnv = {
  ORGANIZATION_DOMAINS: 'corp.example',
  STORED_BUCKET: INBOUND,
  STORED_KEY_PREFIX: 'inbound/',
  JOURNAL_BUCKET: JOURNAL,
  KEY_TEMPLATE: 'journal/{direction}/{yyyy}/{mm}/{dd}/{messageId}',
  RETENTION_DAYS: '0',
  RETENTION_MODE: 'GOVERNANCE',
};
const heldRecord = async (id: string) => stored(t.stack, INBOUND, `held/${id}.json`);
const POLICY = /refused by AWS \(AccessDenied: .*IAM role .* does not allow this call/;

describe('F77-1: every call of the SES functions is granted by template-ses.yaml', () => {
  it('guard-ses, clean message: read and answered CONTINUE with granted calls only', async () => {
    const id = await store(bigMessage(40_000, 'f77-1-clean'));
    const iam = await asDeployed('GuardSesFunction');
    const out = await run(guardSes(guardEnv), id);
    expect(out.error?.message).toBeUndefined();
    expect(out.disposition).toBe('CONTINUE');
    expect(denied(iam), iam.calls.join('\n')).toEqual([]);
    expect(iam.calls.some((c) => c.startsWith(`s3:GetObject ${S3_ARN}${INBOUND}/inbound/${id}`))).toBe(true);
  }, 60_000);

  it('guard-ses, blocked attachment (bounce): bounce sent from the verified identity, all granted', async () => {
    const id = await store(withExe(40_000, 'f77-1-exe'));
    const iam = await asDeployed('GuardSesFunction');
    const out = await run(guardSes(guardEnv), id);
    expect(out.disposition).toBe('STOP_RULE_SET');
    expect(denied(iam), iam.calls.join('\n')).toEqual([]);
    expect(t.stack.ses.bounces(id)).toHaveLength(1);
    expect(iam.calls).toContain(`ses:SendBounce ${IDENTITY_ARN}corp.example`);
  }, 60_000);

  it('guard-ses, blocked attachment (junk): held, its record written under held/, all granted', async () => {
    const id = await store(withExe(40_000, 'f77-1-junk'));
    const iam = await asDeployed('GuardSesFunction');
    const out = await run(guardSes({ ...guardEnv, ATTACHMENT_ACTION: 'junk' }), id);
    expect(out.disposition).toBe('STOP_RULE');
    expect(denied(iam), iam.calls.join('\n')).toEqual([]);
    expect(iam.calls).toContain(`s3:PutObject ${S3_ARN}${INBOUND}/held/${id}.json`);
    expect((await heldRecord(id))?.toString()).toContain('"cause":"verdict"');
  }, 60_000);

  it('guard-ses, message not stored (a receipt rule without the S3 action): held, the log names the read and the rule', async () => {
    const id = await store(withExe(20_000, 'f77-1-absent'), false);
    const iam = await asDeployed('GuardSesFunction');
    const out = await run(guardSes(guardEnv), id);
    // Without s3:ListBucket S3 answers a missing key 403 AccessDenied, not 404 NoSuchKey.
    expect(denied(iam)).toEqual([`s3:ListBucket ${S3_ARN}${INBOUND} (absent key) DENIED`]);
    expect(out.disposition).toBe('STOP_RULE');
    expect(t.stack.ses.bounces(id)).toHaveLength(0);
    expect(log()).toMatch(POLICY);
    expect(log()).toMatch(/GetObject s3:\/\/[^ ]+\/inbound\/[^ ]+ refused/);
    expect(log()).toMatch(/S3 action/);
    expect((await heldRecord(id))?.toString()).toContain('"cause":"retryable-error"');
  }, 60_000);

  it('archiver-ses: a journal copy, its metadata and a retry that reads the copy back are all granted', async () => {
    const bytes = bigMessage(7 * 1024 * 1024, 'f77-1-archiver');
    const id = await store(bytes);
    const iam = await asDeployed('ArchiverSesFunction');
    const handler = archiverSes(archiverEnv);
    const first = await run(handler, id);
    const retry = await run(handler, id);
    expect(denied(iam), iam.calls.join('\n')).toEqual([]);
    expect(first.error?.message).toBeUndefined();
    expect(retry.error?.message).toBeUndefined();
    const journaled = iam.calls.find((c) => c.startsWith(`s3:PutObject ${S3_ARN}${JOURNAL}/journal/`));
    const key = journaled?.split(' ')[1]?.slice(`${S3_ARN}${JOURNAL}/`.length).split('?')[0] ?? '';
    expect((await stored(t.stack, JOURNAL, key.replace(/\.json$/, '')))?.equals(bytes)).toBe(true);
  }, 60_000);

  it('wmflow init --engine ses: the Handler reads the header block the event left out, granted', async () => {
    const id = await store(bigMessage(20_000, 'f77-1-init', 'List-Unsubscribe: <mailto:u@x.example>\r\n'));
    const iam = await asDeployed(
      'Handler',
      [],
      join(ROOT, 'packages/local/templates/init-ses/template.yaml'),
    );
    const handler = sesFlow({
      rules: initRules,
      stored: { bucket: INBOUND, keyPrefix: 'inbound/' },
      bounceSender: 'postmaster@corp.example',
    });
    const out = await run(handler, id, true);
    expect(out.disposition, `${iam.calls.join('\n')}\n${log()}`).toBe('STOP_RULE');
    expect(denied(iam), iam.calls.join('\n')).toEqual([]);
    expect(iam.calls).toContain(`s3:GetObject ${S3_ARN}${INBOUND}/inbound/${id}`);
  }, 60_000);
});

describe('F77-2: a call guard-ses may not make holds the message, the log naming the call and the policy', () => {
  it('without s3:GetObject: held (not bounced as unreadable, not CONTINUE)', async () => {
    const id = await store(withExe(40_000, 'f77-2-get'));
    const iam = await asDeployed('GuardSesFunction', ['s3:GetObject']);
    const out = await run(guardSes(guardEnv), id);
    expect(denied(iam).length).toBeGreaterThan(0);
    // Before: STOP_RULE_SET, bounced "could not be checked": a deployment fault answered as the protection's verdict.
    expect(out.disposition, log()).toBe('STOP_RULE');
    expect(t.stack.ses.bounces(id)).toHaveLength(0);
    expect(log()).toMatch(POLICY);
    expect((await heldRecord(id))?.toString()).toContain('"cause":"retryable-error"');
  }, 60_000);

  it('without s3:PutObject (the hold record): still held, the warning names the call and the policy', async () => {
    const id = await store(withExe(40_000, 'f77-2-record'));
    const iam = await asDeployed('GuardSesFunction', ['s3:PutObject']);
    const out = await run(guardSes({ ...guardEnv, ATTACHMENT_ACTION: 'junk' }), id);
    expect(denied(iam)).toEqual([`s3:PutObject ${S3_ARN}${INBOUND}/held/${id}.json DENIED`]);
    expect(out.disposition).toBe('STOP_RULE');
    expect(log()).toMatch(/PutObject s3:\/\/[^ ]+\/held\/[^ ]+\.json refused by AWS \(AccessDenied/);
    expect(log()).toMatch(/IAM role .* does not allow this call/);
    expect(await heldRecord(id)).toBeUndefined();
  }, 60_000);

  it('without ses:SendBounce: stopped unbounced, the log names SendBounce and the policy', async () => {
    const id = await store(withExe(40_000, 'f77-2-bounce'));
    const iam = await asDeployed('GuardSesFunction', ['ses:SendBounce']);
    const out = await run(guardSes(guardEnv), id);
    expect(denied(iam)).toEqual([`ses:SendBounce ${IDENTITY_ARN}corp.example DENIED`]);
    // Stopped (not delivered), unbounced: as for any bounce SES refused (fault round 41).
    expect(out.disposition).toBe('STOP_RULE_SET');
    expect(t.stack.ses.bounces(id)).toHaveLength(0);
    expect(log()).toMatch(
      /SendBounce .*refused by AWS \(AccessDenied: .*IAM role .* does not allow this call/,
    );
  }, 60_000);
});

describe('F77-2: a call archiver-ses may not make fails the invocation naming the call and the policy', () => {
  it.each([
    ['s3:GetObject', /GetObject s3:\/\/.* refused by AWS/],
    ['s3:PutObject', /not authorized to perform: s3:PutObject/],
  ])(
    'without %s: fails, journals nothing',
    async (action, says) => {
      const id = await store(bigMessage(60_000, `f77-2-archiver-${action}`));
      await asDeployed('ArchiverSesFunction', [action]);
      const out = await run(archiverSes(archiverEnv), id);
      expect(out.disposition).toBeUndefined();
      expect(out.error?.message).toMatch(says);
      expect(`${out.error?.message} ${log()}`).toMatch(/does not allow this call|not authorized/);
    },
    60_000,
  );
});
