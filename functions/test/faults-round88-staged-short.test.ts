import { makeFlowEvent } from '@wmflow/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { archiver } from '../archiver/archiver.js';
import { guard } from '../guard/guard.js';
import { outboundPolicy } from '../outbound-policy/outbound-policy.js';
import {
  bigMessage,
  describeErrors,
  firstAction,
  invokeUntilAnswered,
  JOURNAL,
  stored,
  UPDATES,
  withExe,
} from './fault-harness.js';
import { storeShort } from './faults-round88-kit.js';
import { isPlainPut, isUploadPart, pathOf, proxiedStack } from './scripted-proxy.js';

// Fault round 88 (F88-1): the staged update's PutObject answered 200 by S3 having stored fewer bytes than were sent
// (a body cut on its way with its Content-Length, unsigned as SigV4 leaves a body over 64 KiB). WorkMail's
// GetObject for PutRawMessageContent then reads the short object: the delivered message must never be it.
const t = proxiedStack([JOURNAL, UPDATES]);
beforeEach(() => {
  t.s3p.decide = () => ({ do: 'forward' });
  t.flowp.decide = () => ({ do: 'forward' });
});

/** The first staged PutObject of `id` stored cut at the last line end before its last `drop` bytes. */
function cutFirstStagedPut(id: string, drop: number) {
  let faults = 1;
  t.s3p.decide = (req, body) => {
    if (isPlainPut(req) && pathOf(req).includes(`/${id}/`) && faults > 0) {
      faults--;
      return storeShort(t.stack, req, body, (b) => b.lastIndexOf('\r\n', b.length - drop) + 2);
    }
    return { do: 'forward' };
  };
}

describe('F88-1: the staged update stored shorter than sent, answered 200', () => {
  it('outbound-policy disclaimer: the sent message keeps every byte of the end of the original', async () => {
    const bytes = bigMessage(200_000, 'f88-1-disclaimer');
    const id = t.stack.flow.load(bytes);
    cutFirstStagedPut(id, 300);
    const handler = outboundPolicy({
      ORGANIZATION_DOMAINS: 'corp.example',
      UPDATES_BUCKET: UPDATES,
      DISCLAIMER_TEXT: 'Confidential: for the addressee only.',
    });
    const event = makeFlowEvent({
      messageId: id,
      direction: 'OUTBOUND',
      mailFrom: 'dan@corp.example',
      recipients: ['orders@shop.example'],
    });
    const run = await invokeUntilAnswered(handler, event, 4);
    const out = t.stack.flow.history(id).at(-1)?.content ?? Buffer.alloc(0);
    const facts = `errors: ${describeErrors(run.errors)}; versions ${t.stack.flow.history(id).length}`;
    expect(firstAction(run.response), facts).toBe('DEFAULT');
    expect(out.subarray(-200).equals(bytes.subarray(-200)), facts).toBe(true);
    expect(out.includes('Confidential: for the addressee only.'), facts).toBe(true);
  }, 120_000);

  it('guard strip: never a cut message delivered nor a bounce; the retry strips', async () => {
    const bytes = withExe(200_000, 'f88-1-strip');
    const id = t.stack.flow.load(bytes);
    cutFirstStagedPut(id, 300);
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
    const run = await invokeUntilAnswered(handler, event, 4);
    const out = t.stack.flow.history(id).at(-1)?.content ?? Buffer.alloc(0);
    const facts = `errors: ${describeErrors(run.errors)}; versions ${t.stack.flow.history(id).length}`;
    expect(firstAction(run.response), facts).toBe('DEFAULT');
    expect(out.includes('run.exe'), facts).toBe(false);
    expect(out.toString('latin1').trimEnd().endsWith('--b1--'), facts).toBe(true);
  }, 120_000);

  it('guard strip, 6 MB (parts): the last part stored cut, answered 200: never a cut message delivered nor a bounce', async () => {
    const bytes = withExe(6_000_000, 'f88-1-strip-parts');
    const id = t.stack.flow.load(bytes);
    let faults = 1;
    t.s3p.decide = (req, body) => {
      if (
        isUploadPart(req) &&
        /[?&]partNumber=2\b/.test(req.url ?? '') &&
        pathOf(req).includes(`/${id}/`) &&
        faults > 0
      ) {
        faults--;
        return storeShort(t.stack, req, body, (b) => b.lastIndexOf('\r\n', b.length - 300) + 2);
      }
      return { do: 'forward' };
    };
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
    const run = await invokeUntilAnswered(handler, event, 4);
    const out = t.stack.flow.history(id).at(-1)?.content ?? Buffer.alloc(0);
    const facts = `errors: ${describeErrors(run.errors)}; versions ${t.stack.flow.history(id).length}; faults left ${faults}`;
    expect(faults, facts).toBe(0);
    expect(firstAction(run.response), facts).toBe('DEFAULT');
    expect(out.includes('run.exe'), facts).toBe(false);
    expect(out.toString('latin1').trimEnd().endsWith('--b1--'), facts).toBe(true);
  }, 240_000);
});

describe('F88-1 on the journal: the archiver copy stored shorter than sent, answered 200', () => {
  it('the cut copy is told: the whole message is journaled and its metadata names it', async () => {
    const bytes = bigMessage(200_000, 'f88-1-journal');
    const id = t.stack.flow.load(bytes);
    let faults = 1;
    t.s3p.decide = (req, body) => {
      if (isPlainPut(req) && pathOf(req) === `/${JOURNAL}/j88/${id}` && faults > 0) {
        faults--;
        return storeShort(t.stack, req, body, (b) => b.lastIndexOf('\r\n', b.length - 300) + 2);
      }
      return { do: 'forward' };
    };
    const handler = archiver({
      JOURNAL_BUCKET: JOURNAL,
      KEY_TEMPLATE: 'j88/{messageId}',
      ORGANIZATION_DOMAINS: 'corp.example',
      SYNCHRONOUS: 'true',
    });
    const event = makeFlowEvent({
      messageId: id,
      mailFrom: 'ann@partner.example',
      recipients: ['bob@corp.example'],
    });
    const run = await invokeUntilAnswered(handler, event, 4);
    const keys = (await t.stack.listObjects(JOURNAL)).map((o) => o.key).filter((k) => k.includes(id));
    const facts = `errors: ${describeErrors(run.errors)}; faults left ${faults}; keys ${keys.join(' ')}`;
    expect(faults, facts).toBe(0);
    expect(run.answered, facts).toBe(true);
    // The metadata names the copy that is the message (the cut one at the key is left, not trusted: a repair).
    const described = keys.filter((k) => k.endsWith('.json'));
    expect(described, facts).toHaveLength(1);
    const meta = JSON.parse((await stored(t.stack, JOURNAL, described[0] as string))?.toString() ?? '{}') as {
      key?: string;
    };
    expect(meta.key, facts).toBeDefined();
    expect((await stored(t.stack, JOURNAL, meta.key as string))?.equals(bytes), facts).toBe(true);
  }, 120_000);
});
