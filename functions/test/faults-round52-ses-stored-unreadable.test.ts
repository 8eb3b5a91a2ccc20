import { PutObjectCommand } from '@aws-sdk/client-s3';
import { lambdaContext, makeSesEvent, sesMessageId } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { archiverSes } from '../archiver-ses/archiver-ses.js';
import { guardSes } from '../guard-ses/guard-ses.js';
import { JOURNAL, stored, UPDATES, withExe } from './fault-harness.js';
import { type Act, pathOf, proxyBefore } from './scripted-proxy.js';

// Fault round 52 (probe, held): the stored message cannot be read whole — missing, access denied (the role or the
// KMS key), cut on its way. guard-ses must fail the invocation or settle its blocking verdict, never let the
// message go on as if it had been inspected; archiver-ses must fail (its retry), journaling nothing.
const t = proxyBefore('S3', [JOURNAL, UPDATES], { AWS_MAX_ATTEMPTS: '1' });
const PREFIX = 'inbound/';
const XML = { 'content-type': 'application/xml' };
const s3Error = (status: number, code: string, message: string): Act => ({
  do: 'answer',
  status,
  headers: XML,
  body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>R</RequestId><HostId>H</HostId></Error>`,
});
const FAULTS: [string, Act | 'missing'][] = [
  ['missing (NoSuchKey)', 'missing'],
  ['access denied', s3Error(403, 'AccessDenied', 'Access Denied')],
  ['KMS key disabled', s3Error(400, 'KMS.DisabledException', 'arn:aws:kms:… is disabled.')],
  ['KMS access denied', s3Error(403, 'AccessDenied', 'User is not authorized to perform kms:Decrypt')],
  ['cut on its way (no length)', { do: 'forward-close-delimited', keep: 3_000 }],
  ['cut on its way (chunked, ended early)', { do: 'forward-chunked-cut', keep: 3_000 }],
];

async function store(): Promise<string> {
  const id = sesMessageId();
  await t.stack.s3.send(
    new PutObjectCommand({ Bucket: UPDATES, Key: `${PREFIX}${id}`, Body: withExe(20_000, `f52-u-${id}`) }),
  );
  t.stack.ses.receive(id);
  return id;
}

async function invoke(handler: ReturnType<typeof guardSes>, id: string, fault: Act | 'missing') {
  const path = `/${UPDATES}/${PREFIX}${fault === 'missing' ? `${id}-gone` : id}`;
  t.proxy.decide = (req) =>
    fault !== 'missing' && req.method === 'GET' && pathOf(req) === path ? fault : { do: 'forward' };
  const event = makeSesEvent({
    messageId: fault === 'missing' ? `${id}-gone` : id,
    recipients: ['bob@corp.example'],
  });
  try {
    return await handler(event, lambdaContext({ timeoutMs: 30_000 })).then(
      (answer) => (answer as { disposition: string }).disposition,
      (error: Error) => `error ${error.name}`,
    );
  } finally {
    t.proxy.decide = () => ({ do: 'forward' });
  }
}

describe('F52 probe: the SES stored message cannot be read whole', () => {
  it.each(FAULTS)(
    'guard-ses, %s: fails or blocks, never goes on uninspected',
    async (_label, fault) => {
      const id = await store();
      const handler = guardSes({
        STORED_BUCKET: UPDATES,
        STORED_KEY_PREFIX: PREFIX,
        BOUNCE_SENDER: 'postmaster@corp.example',
        ORGANIZATION_DOMAINS: 'corp.example',
      });
      expect(await invoke(handler, id, fault)).not.toBe('CONTINUE');
    },
    60_000,
  );

  it.each(FAULTS)(
    'archiver-ses, %s: fails, journaling nothing',
    async (_label, fault) => {
      const id = await store();
      const handler = archiverSes({
        STORED_BUCKET: UPDATES,
        STORED_KEY_PREFIX: PREFIX,
        ORGANIZATION_DOMAINS: 'corp.example',
        JOURNAL_BUCKET: JOURNAL,
        KEY_TEMPLATE: 'j/{messageId}',
      });
      const key = fault === 'missing' ? `${id}-gone` : id;
      expect(await invoke(handler, id, fault)).toMatch(/^error /);
      expect(await stored(t.stack, JOURNAL, `j/${key}`)).toBeUndefined();
      expect(await stored(t.stack, JOURNAL, `j/${key}.json`)).toBeUndefined();
    },
    60_000,
  );
});
