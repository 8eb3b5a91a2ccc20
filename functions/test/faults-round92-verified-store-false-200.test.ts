/**
 * Fault round 92: deployed as `template.yaml` deploys it (`AWS_REQUEST_CHECKSUM_CALCULATION=WHEN_SUPPORTED`), the
 * uploads compute no MD5 of their own (S3 verifies the SDK's checksum, round 88), so a one-piece PutObject answered
 * `200` by something in between while S3 never took it was vouched for by nothing. Asked: the archiver never answers
 * with no copy at the key; the guard's strip never calls PutRawMessageContent on an update that is not there (a
 * bounce a retry would not give), and WorkMail's retry (or the next attempt) ends with the message stored or stripped
 * whole.
 */
import type { IncomingMessage } from 'node:http';
import { makeFlowEvent } from '@wmflow/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { archiver } from '../archiver/archiver.js';
import { guard } from '../guard/guard.js';
import {
  describeErrors,
  fingerprint,
  firstAction,
  invoke,
  invokeUntilAnswered,
  JOURNAL,
  sha256,
  stored,
  UPDATES,
  withExe,
} from './fault-harness.js';
import { isPlainPut, pathOf, proxiedStack } from './scripted-proxy.js';

const t = proxiedStack([JOURNAL, UPDATES], {
  AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_SUPPORTED',
  AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_SUPPORTED',
});
beforeEach(() => {
  t.s3p.decide = () => ({ do: 'forward' });
  t.flowp.decide = () => ({ do: 'forward' });
});

/** The first plain PutObject into `bucket` (not a `.json`) answered 200 with an MD5-shaped ETag, never reaching S3. */
function forgePutOnce(bucket: string) {
  let left = 1;
  t.s3p.decide = (req: IncomingMessage) =>
    isPlainPut(req) && pathOf(req).startsWith(`/${bucket}/`) && !pathOf(req).endsWith('.json') && left-- > 0
      ? { do: 'answer', status: 200, headers: { etag: '"0123456789abcdef0123456789abcdef"' }, body: '' }
      : { do: 'forward' };
}

describe('a one-piece PutObject answered 200 by something in between under WHEN_SUPPORTED, never stored', () => {
  it('archiver: never answered with no copy at the key; one whole copy and its metadata', async () => {
    const bytes = withExe(20_000, 'f92-verified-journal');
    const id = t.stack.flow.load(bytes);
    forgePutOnce(JOURNAL);
    const handler = archiver({ JOURNAL_BUCKET: JOURNAL, SYNCHRONOUS: 'true' });
    const event = makeFlowEvent({
      messageId: id,
      mailFrom: 'ann@partner.example',
      recipients: ['bob@corp.example'],
    });
    const first = await invoke(handler, event);
    const keys = async () =>
      (await t.stack.listObjects(JOURNAL)).map((o) => o.key).filter((k) => k.includes(id));
    if (!first.error)
      expect(
        (await keys()).filter((k) => !k.endsWith('.json')),
        'answered: a copy',
      ).toHaveLength(1);
    const run = await invokeUntilAnswered(handler, event, 3);
    expect(run.answered, describeErrors(run.errors)).toBe(true);
    const all = await keys();
    const copies = all.filter((k) => !k.endsWith('.json'));
    expect(copies).toHaveLength(1);
    expect(all.filter((k) => k.endsWith('.json'))).toEqual([`${copies[0]}.json`]);
    expect(fingerprint(await stored(t.stack, JOURNAL, copies[0] as string))).toEqual(fingerprint(bytes));
    const meta = JSON.parse((await stored(t.stack, JOURNAL, `${copies[0]}.json`))?.toString('utf8') ?? '');
    expect(meta).toMatchObject({ sha256: sha256(bytes), size: bytes.length });
  }, 60_000);

  it('guard strip (a staged update of one piece): never a bounce for an update that is not there; stripped', async () => {
    const bytes = withExe(20_000, 'f92-verified-strip');
    const id = t.stack.flow.load(bytes);
    forgePutOnce(UPDATES);
    const handler = guard({
      ORGANIZATION_DOMAINS: 'corp.example',
      UPDATES_BUCKET: UPDATES,
      ATTACHMENT_ACTION: 'strip',
    });
    const event = makeFlowEvent({
      messageId: id,
      mailFrom: 'ann@partner.example',
      recipients: ['bob@corp.example'],
    });
    const run = await invokeUntilAnswered(handler, event, 3);
    expect(firstAction(run.response), describeErrors(run.errors)).toBe('DEFAULT');
    const out = t.stack.flow.history(id).at(-1)?.content ?? Buffer.alloc(0);
    expect(out.includes('run.exe')).toBe(false);
    expect(out.toString('latin1').trimEnd().endsWith('--b1--')).toBe(true);
    // The committed update stays staged (the bucket's lifecycle ends it); nothing else is left.
    expect((await t.stack.listObjects(UPDATES)).length).toBeLessThanOrEqual(1);
  }, 60_000);
});
