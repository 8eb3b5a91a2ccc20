import type { IncomingMessage } from 'node:http';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { makeFlowEvent } from '@wmflow/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { archiver } from '../archiver/archiver.js';
import { guard } from '../guard/guard.js';
import { outboundPolicy } from '../outbound-policy/outbound-policy.js';
import { loadTemplate } from './cfn.js';
import { bigMessage, firstAction, invoke, JOURNAL, UPDATES, withExe } from './fault-harness.js';
import { denied, grantsOf, type Iam, iamDecide, S3_ARN, s3Calls } from './iam-check.js';
import { proxiedStack } from './scripted-proxy.js';

// Fault round 76: what a deployed function may do against what its code calls. The S3 and Message Flow proxies
// here act as IAM with the function's policy from template.yaml: every request is named by the IAM action it needs
// (multipart parts and completion are s3:PutObject, an abort s3:AbortMultipartUpload, a read s3:GetObject, a delete
// s3:DeleteObject, a listing s3:ListBucket) and its resource, recorded, and answered 403 AccessDenied as S3 does when
// the policy does not grant it. Scenarios include the fault paths: the read-back after a lost PutRawMessageContent
// answer, the staged update discarded after WorkMail refused it, a journal retry that reads its copy back.
const t = proxiedStack([JOURNAL, UPDATES]);

const FLOW_ARN = 'arn:aws:workmailmessageflow:us-east-1:123456789012:message/m-0/';

/** The names template.yaml's policies resolve with here: buckets named as in the stack. */
const NAMES: Record<string, string> = {
  JournalBucket: JOURNAL,
  JournalBucketName: JOURNAL,
  'UpdatesBucket.Arn': `${S3_ARN}${UPDATES}`,
  OrganizationId: 'm-0',
  JournalKeyPrefix: 'journal',
  'RateTable.Arn': 'arn:aws:dynamodb:us-east-1:123456789012:table/rates',
};

/** Points both proxies at an IAM check with the function's grants from template.yaml. */
async function asDeployed(logicalId: string, without: string[] = []): Promise<Iam> {
  const grants = grantsOf(await loadTemplate(), logicalId, NAMES).map((g) => ({
    ...g,
    actions: g.actions.filter((a) => !without.includes(a)),
  }));
  const iam: Iam = { calls: [] };
  t.s3p.decide = iamDecide(logicalId, grants, iam, s3Calls, 's3');
  t.flowp.decide = iamDecide(
    logicalId,
    grants,
    iam,
    (req) => {
      const id = decodeURIComponent((req.url ?? '').split('?')[0]?.replace(/^\/messages\//, '') ?? '');
      const action =
        req.method === 'POST'
          ? 'workmailmessageflow:PutRawMessageContent'
          : 'workmailmessageflow:GetRawMessageContent';
      return [{ action, resource: `${FLOW_ARN}${id}` }];
    },
    'json',
  );
  return iam;
}

const isPutRaw = (req: IncomingMessage) => req.method === 'POST' && /^\/messages\//.test(req.url ?? '');

async function staged(id: string): Promise<string[]> {
  const out = await t.stack.s3.send(
    new ListObjectsV2Command({ Bucket: UPDATES, Prefix: `wmflow-updates/${id}/` }),
  );
  return (out.Contents ?? []).map((o) => o.Key as string);
}

const guardEnv = {
  ORGANIZATION_DOMAINS: 'corp.example',
  UPDATES_BUCKET: UPDATES,
  UPDATES_KEY_PREFIX: 'wmflow-updates',
};
const inbound = (id: string) =>
  makeFlowEvent({ messageId: id, mailFrom: 'ann@partner.example', recipients: ['bob@corp.example'] });
const outbound = (id: string) =>
  makeFlowEvent({
    messageId: id,
    mailFrom: 'bob@corp.example',
    recipients: ['ann@partner.example'],
    direction: 'OUTBOUND',
  });

beforeEach(() => {
  t.s3p.decide = () => ({ do: 'forward' });
  t.flowp.decide = () => ({ do: 'forward' });
});

describe('F76-1: every call of the WorkMail functions is granted by template.yaml', () => {
  it('guard strip, answer of PutRawMessageContent lost: the read-back of the staged update is allowed, no bounce', async () => {
    const id = t.stack.flow.load(withExe(120_000, 'f76-1-strip-lost'));
    const iam = await asDeployed('GuardFunction');
    const check = t.flowp.decide;
    t.flowp.decide = async (req, body) => {
      const act = await check(req, body);
      return isPutRaw(req) && act.do === 'forward' ? { do: 'apply-then-drop' } : act;
    };
    const handler = guard({ ...guardEnv, ATTACHMENT_ACTION: 'strip' });
    const first = await invoke(handler, inbound(id));
    const held = t.stack.flow.history(id).at(-1)?.content.toString('latin1') ?? '';
    expect(held.includes('run.exe')).toBe(false);
    // Before: the read-back was refused (403 AccessDenied, S3's own answer) and the outcome `unknown`.
    expect(first.error, first.error?.message).toBeUndefined();
    expect(firstAction(first.response), JSON.stringify(first.response)).toBe('DEFAULT');
    expect(denied(iam), iam.calls.join('\n')).toEqual([]);
  }, 60_000);

  it('outbound-policy disclaimer, answer lost: the read-back is allowed and the disclaimer known added', async () => {
    const id = t.stack.flow.load(bigMessage(60_000, 'f76-1-out-lost'));
    const iam = await asDeployed('OutboundPolicyFunction');
    const check = t.flowp.decide;
    t.flowp.decide = async (req, body) => {
      const act = await check(req, body);
      return isPutRaw(req) && act.do === 'forward' ? { do: 'apply-then-drop' } : act;
    };
    const handler = outboundPolicy({ ...guardEnv, DISCLAIMER_TEXT: 'Confidential.' });
    const first = await invoke(handler, outbound(id));
    // Before: the read-back was refused (403 AccessDenied, S3's own answer) and the outcome `unknown`.
    expect(first.error, first.error?.message).toBeUndefined();
    expect(firstAction(first.response), JSON.stringify(first.response)).toBe('DEFAULT');
    expect(denied(iam), iam.calls.join('\n')).toEqual([]);
  }, 60_000);

  it('guard strip refused by WorkMail (MessageFrozen): the staged copy of the message is deleted, not left a day', async () => {
    const id = t.stack.flow.load(withExe(120_000, 'f76-1-frozen'));
    t.stack.flow.freeze(id);
    const iam = await asDeployed('GuardFunction');
    const handler = guard({ ...guardEnv, ATTACHMENT_ACTION: 'strip' });
    await invoke(handler, inbound(id));
    expect(denied(iam), iam.calls.join('\n')).toEqual([]);
    expect(iam.calls.some((c) => c.startsWith('s3:DeleteObject '))).toBe(true);
    expect(await staged(id)).toEqual([]);
  }, 60_000);

  it('outbound-policy disclaimer refused (MessageFrozen): the staged copy is deleted', async () => {
    const id = t.stack.flow.load(bigMessage(60_000, 'f76-1-out-frozen'));
    t.stack.flow.freeze(id);
    const iam = await asDeployed('OutboundPolicyFunction');
    const handler = outboundPolicy({ ...guardEnv, DISCLAIMER_TEXT: 'Confidential.' });
    await invoke(handler, outbound(id));
    expect(denied(iam), iam.calls.join('\n')).toEqual([]);
    expect(await staged(id)).toEqual([]);
  }, 60_000);

  it('archiver: a journal copy, its metadata and a retry that reads the copy back are all granted', async () => {
    const bytes = bigMessage(7 * 1024 * 1024, 'f76-1-archiver');
    const id = t.stack.flow.load(bytes);
    const iam = await asDeployed('ArchiverFunction');
    const handler = archiver(journalEnv);
    const first = await invoke(handler, inbound(id));
    const retry = await invoke(handler, inbound(id));
    expect(denied(iam), iam.calls.join('\n')).toEqual([]);
    expect(first.error).toBeUndefined();
    expect(retry.error).toBeUndefined();
    expect(iam.calls.some((c) => c.startsWith('s3:GetObject '))).toBe(true);
  }, 60_000);
});

const journalEnv = {
  JOURNAL_BUCKET: JOURNAL,
  KEY_TEMPLATE: 'journal/{direction}/{messageId}',
  SYNCHRONOUS: 'true',
};

describe('F76-2: a call the role does not allow fails the invocation loudly, never answered as a decision', () => {
  const CASES: [string, string, RegExp][] = [
    [
      'GuardFunction',
      's3:PutObject',
      /update not committed: update of .* refused by AWS \(AccessDenied: .*s3:PutObject/,
    ],
    [
      'GuardFunction',
      'workmailmessageflow:PutRawMessageContent',
      /refused by AWS \(AccessDeniedException: .*PutRawMessageContent/,
    ],
    [
      'GuardFunction',
      'workmailmessageflow:GetRawMessageContent',
      /GetRawMessageContent for .* refused by AWS \(AccessDeniedException/,
    ],
    [
      'OutboundPolicyFunction',
      's3:PutObject',
      /update not committed: .*refused by AWS \(AccessDenied: .*s3:PutObject/,
    ],
    [
      'OutboundPolicyFunction',
      'workmailmessageflow:PutRawMessageContent',
      /refused by AWS \(AccessDeniedException/,
    ],
    [
      'OutboundPolicyFunction',
      'workmailmessageflow:GetRawMessageContent',
      /refused by AWS \(AccessDeniedException/,
    ],
  ];
  it.each(CASES)(
    '%s without %s: TransientError naming the call and the policy',
    async (fn, action, says) => {
      const out = fn === 'OutboundPolicyFunction';
      const id = t.stack.flow.load(
        out ? bigMessage(60_000, `f76-2-${fn}-${action}`) : withExe(60_000, `f76-2-${fn}-${action}`),
      );
      const iam = await asDeployed(fn, [action]);
      const handler = out
        ? outboundPolicy({ ...guardEnv, DISCLAIMER_TEXT: 'Confidential.' })
        : guard({ ...guardEnv, ATTACHMENT_ACTION: 'strip' });
      const first = await invoke(handler, out ? outbound(id) : inbound(id));
      expect(denied(iam).length).toBeGreaterThan(0);
      // Before: the guard BOUNCEd (strip not made, or message unread: "could not be checked"), outbound-policy
      // answered DEFAULT with the disclaimer dropped: a deployment fault answered as the protection's decision.
      expect(first.response, JSON.stringify(first.response)).toBeUndefined();
      expect(first.error, 'the invocation fails').toBeDefined();
      expect(first.error?.message).toMatch(says);
      expect(first.error?.message).toMatch(/IAM role .* does not allow this call/);
      // Nothing staged is left behind for a day.
      expect(await staged(id)).toEqual([]);
      // The message WorkMail holds is unchanged.
      expect(t.stack.flow.history(id)).toHaveLength(1);
    },
    60_000,
  );

  it('archiver (held): PutObject, GetRawMessageContent or the read-back denied fail the invocation naming the call', async () => {
    for (const action of ['s3:PutObject', 'workmailmessageflow:GetRawMessageContent', 's3:GetObject']) {
      const id = t.stack.flow.load(bigMessage(60_000, `f76-2-archiver-${action}`));
      // A copy already there: the retry reads it back (s3:GetObject).
      if (action === 's3:GetObject') {
        await asDeployed('ArchiverFunction');
        expect((await invoke(archiver(journalEnv), inbound(id))).error).toBeUndefined();
      }
      await asDeployed('ArchiverFunction', [action]);
      const first = await invoke(archiver(journalEnv), inbound(id));
      expect(first.response, action).toBeUndefined();
      expect(first.error?.message).toContain(`not authorized to perform: ${action}`);
    }
  }, 60_000);
});
