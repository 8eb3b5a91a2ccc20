import type { IncomingMessage } from 'node:http';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { makeFlowEvent } from '@wmflow/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { archiver } from '../archiver/archiver.js';
import { guard } from '../guard/guard.js';
import { outboundPolicy } from '../outbound-policy/outbound-policy.js';
import { loadTemplate, type Template } from './cfn.js';
import { bigMessage, firstAction, invoke, JOURNAL, UPDATES, withExe } from './fault-harness.js';
import { type Act, type Decide, proxiedStack } from './scripted-proxy.js';

// Fault round 76: what a deployed function may do against what its code calls. The S3 and Message Flow proxies
// here act as IAM with the function's policy from template.yaml: every request is named by the IAM action it needs
// (multipart parts and completion are s3:PutObject, an abort s3:AbortMultipartUpload, a read s3:GetObject, a delete
// s3:DeleteObject, a listing s3:ListBucket) and its resource, recorded, and answered 403 AccessDenied as S3 does when
// the policy does not grant it. Scenarios include the fault paths: the read-back after a lost PutRawMessageContent
// answer, the staged update discarded after WorkMail refused it, a journal retry that reads its copy back.
const t = proxiedStack([JOURNAL, UPDATES]);

interface Grant {
  actions: string[];
  resources: RegExp[];
}

const ARN = 'arn:aws:s3:::';
const FLOW_ARN = 'arn:aws:workmailmessageflow:us-east-1:123456789012:message/m-0/';

/** A template value as the deployment resolves it here: every condition true, buckets named as in the stack. */
// biome-ignore lint/suspicious/noExplicitAny: template data is untyped
function resolve(value: any, vars: Record<string, string> = {}): string {
  if (typeof value === 'string') return value;
  if (value.Ref)
    return (
      ({ JournalBucket: JOURNAL, JournalBucketName: JOURNAL } as Record<string, string>)[value.Ref] ??
      value.Ref
    );
  if (value['Fn::If']) return resolve(value['Fn::If'][1], vars);
  if (value['Fn::GetAtt']) return `${ARN}${value['Fn::GetAtt'][0] === 'UpdatesBucket' ? UPDATES : '?'}`;
  if (value['Fn::Sub']) {
    const [text, own] = Array.isArray(value['Fn::Sub']) ? value['Fn::Sub'] : [value['Fn::Sub'], {}];
    const all: Record<string, string> = {
      'AWS::Partition': 'aws',
      'AWS::Region': 'us-east-1',
      'AWS::AccountId': '123456789012',
      OrganizationId: 'm-0',
      JournalKeyPrefix: 'journal',
      'UpdatesBucket.Arn': `${ARN}${UPDATES}`,
      'RateTable.Arn': 'arn:aws:dynamodb:us-east-1:123456789012:table/rates',
      ...vars,
    };
    for (const [k, v] of Object.entries(own as Record<string, unknown>)) all[k] = resolve(v);
    return (text as string).replace(/\$\{([^}]+)\}/g, (_m, name: string) => all[name] ?? `?${name}`);
  }
  return '?';
}

const pattern = (arn: string) =>
  new RegExp(`^${arn.replace(/[.+?^$()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);

/** The statements a function's role allows, from the template's inline policy. */
function grantsOf(template: Template, logicalId: string): Grant[] {
  const policies = template.Resources[logicalId].Properties.Policies as Template[];
  const out: Grant[] = [];
  for (const policy of policies) {
    for (let statement of policy.Statement as Template[]) {
      if (statement['Fn::If']) statement = statement['Fn::If'][1];
      if (statement.Effect !== 'Allow') continue;
      const actions = ([] as unknown[]).concat(statement.Action) as string[];
      const resources = ([] as unknown[]).concat(statement.Resource).map((r) => pattern(resolve(r)));
      out.push({ actions, resources });
    }
  }
  return out;
}

const allowed = (grants: Grant[], action: string, resource: string) =>
  grants.some((g) => g.actions.includes(action) && g.resources.some((r) => r.test(resource)));

/** The IAM action and resource an S3 request (path style) needs. */
function s3Action(req: IncomingMessage): { action: string; resource: string } {
  const url = new URL(req.url ?? '/', 'http://x');
  const [, bucket = '', ...rest] = decodeURIComponent(url.pathname).split('/');
  const key = rest.join('/');
  const q = url.searchParams;
  const object = `${ARN}${bucket}/${key}`;
  if (!key) return { action: 's3:ListBucket', resource: `${ARN}${bucket}` };
  if (req.method === 'DELETE')
    return { action: q.has('uploadId') ? 's3:AbortMultipartUpload' : 's3:DeleteObject', resource: object };
  if (req.method === 'GET' || req.method === 'HEAD')
    return { action: q.has('attributes') ? 's3:GetObjectAttributes' : 's3:GetObject', resource: object };
  if (req.method === 'PUT' && req.headers['x-amz-object-lock-mode'])
    return { action: 's3:PutObjectRetention', resource: object };
  return { action: 's3:PutObject', resource: object };
}

interface Iam {
  /** Every `action resource` asked, in order; denied ones end in ` DENIED`. */
  calls: string[];
}

/** Points both proxies at an IAM check with the function's grants from template.yaml. */
async function asDeployed(logicalId: string, without: string[] = []): Promise<Iam> {
  const grants = grantsOf(await loadTemplate(), logicalId).map((g) => ({
    ...g,
    actions: g.actions.filter((a) => !without.includes(a)),
  }));
  const iam: Iam = { calls: [] };
  const check =
    (name: (req: IncomingMessage) => { action: string; resource: string }, xml: boolean): Decide =>
    (req): Act => {
      const { action, resource } = name(req);
      const ok = allowed(grants, action, resource);
      iam.calls.push(`${action} ${resource}${ok ? '' : ' DENIED'}`);
      if (ok) return { do: 'forward' };
      const message = `User: arn:aws:sts::123456789012:assumed-role/${logicalId}Role/x is not authorized to perform: ${action} on resource: "${resource}"`;
      return xml
        ? {
            do: 'answer',
            status: 403,
            headers: { 'content-type': 'application/xml' },
            body: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>${message}</Message><RequestId>r76</RequestId></Error>`,
          }
        : {
            do: 'answer',
            status: 403,
            headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'AccessDeniedException' },
            body: JSON.stringify({ message }),
          };
    };
  t.s3p.decide = check(s3Action, true);
  const flowDecide = check((req) => {
    const id = decodeURIComponent((req.url ?? '').split('?')[0]?.replace(/^\/messages\//, '') ?? '');
    const action =
      req.method === 'POST'
        ? 'workmailmessageflow:PutRawMessageContent'
        : 'workmailmessageflow:GetRawMessageContent';
    return { action, resource: `${FLOW_ARN}${id}` };
  }, false);
  t.flowp.decide = flowDecide;
  return iam;
}

const denied = (iam: Iam) => iam.calls.filter((c) => c.endsWith(' DENIED'));
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
