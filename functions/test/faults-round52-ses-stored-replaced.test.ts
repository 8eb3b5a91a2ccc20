import { PutObjectCommand } from '@aws-sdk/client-s3';
import { lambdaContext, makeSesEvent, sesMessageId } from '@wmflow/core/testing';
import { describe, expect, it } from 'vitest';
import { archiverSes } from '../archiver-ses/archiver-ses.js';
import { guardSes } from '../guard-ses/guard-ses.js';
import { bigMessage, JOURNAL, stored, UPDATES, withExe } from './fault-harness.js';
import { proxyBefore } from './scripted-proxy.js';

// Fault round 52 (F52-4): the SES functions judged the header block from the receipt event and the bodies from
// whatever object was stored under `<prefix><messageId>` when they read it. An object stored there after the
// receipt (an upload, a second rule's S3 action under the same prefix) was judged as the received message: the guard
// let a message with an .exe through because the object it read was clean (SES delivers its own copy, not the
// object), and archiver-ses journaled the other object as the received message. The stored copy's Message-ID is now
// checked against the receipt's: another message fails the invocation (typed, transient: no verdict is decided on
// it and no bounce is sent), never judged or journaled as this one.
const t = proxyBefore('S3', [JOURNAL, UPDATES]);
const PREFIX = 'inbound/';
const RECEIVED_ID = '<f52-4.received@partner.example>';
/** The invocation failed (a rule's transient read failure), saying the stored object is another message. */
const MISMATCH =
  /^error \w+: .*is another message: its Message-ID <f52-4\.other@elsewhere\.example> is not the receipt's <f52-4\.received@partner\.example>/;

/** The receipt event of a message with `messageIdHeader` (none: the header left out), for bob@corp.example. */
function receipt(id: string, messageIdHeader: string | undefined) {
  return makeSesEvent({
    messageId: id,
    recipients: ['bob@corp.example'],
    headers: [
      { name: 'From', value: 'ann@partner.example' },
      { name: 'To', value: 'bob@corp.example' },
      { name: 'Subject', value: 'quarterly report' },
      ...(messageIdHeader === undefined ? [] : [{ name: 'Message-ID', value: messageIdHeader }]),
    ],
  });
}

/** A message whose Message-ID header is `messageId` (none: left out), clean or with an .exe attached. */
function message(messageId: string | undefined, exe: boolean): Buffer {
  const base = exe
    ? withExe(8_000, 'f52-4')
    : Buffer.from(
        'From: ann@partner.example\r\nTo: bob@corp.example\r\nSubject: quarterly report\r\n' +
          `Content-Type: text/plain\r\n\r\n${'the report, clean\r\n'.repeat(200)}`,
      );
  const text = base.toString('latin1').replace(/^Message-ID:[^\r\n]*\r\n/im, '');
  return Buffer.from(`${messageId === undefined ? '' : `Message-ID: ${messageId}\r\n`}${text}`, 'latin1');
}

async function store(bytes: Buffer): Promise<string> {
  const id = sesMessageId();
  await t.stack.s3.send(new PutObjectCommand({ Bucket: UPDATES, Key: `${PREFIX}${id}`, Body: bytes }));
  t.stack.ses.receive(id);
  return id;
}

const guard = () =>
  guardSes({
    STORED_BUCKET: UPDATES,
    STORED_KEY_PREFIX: PREFIX,
    BOUNCE_SENDER: 'postmaster@corp.example',
    ORGANIZATION_DOMAINS: 'corp.example',
  });
const archiver = () =>
  archiverSes({
    STORED_BUCKET: UPDATES,
    STORED_KEY_PREFIX: PREFIX,
    ORGANIZATION_DOMAINS: 'corp.example',
    JOURNAL_BUCKET: JOURNAL,
    KEY_TEMPLATE: 'j/{messageId}',
  });

async function outcome(handler: ReturnType<typeof guard>, event: ReturnType<typeof receipt>) {
  return handler(event, lambdaContext({ timeoutMs: 30_000 })).then(
    (answer) => (answer as { disposition: string }).disposition,
    (error: Error) => `error ${error.name}: ${error.message}`,
  );
}

describe('F52-4: the stored object is another message than the receipt’s', () => {
  it('guard-ses: a clean object stored in place of the received message is held (STOP_RULE), no verdict', async () => {
    const id = await store(message('<f52-4.other@elsewhere.example>', false));
    const got = await outcome(guard(), receipt(id, RECEIVED_ID));
    // Fault round 68: the invocation failed here; SES documents no retry of a failed action, so guard-ses holds it.
    expect(got).toBe('STOP_RULE');
    expect(t.stack.ses.bounces(id)).toHaveLength(0);
  }, 60_000);

  it('guard-ses: an object with an .exe in place of a clean message: no bounce sent for the received one', async () => {
    const id = await store(message('<f52-4.other@elsewhere.example>', true));
    const got = await outcome(guard(), receipt(id, RECEIVED_ID));
    expect(got).toBe('STOP_RULE');
    expect(t.stack.ses.bounces(id)).toHaveLength(0);
  }, 60_000);

  it('archiver-ses: another object is not journaled as the received message', async () => {
    const id = await store(message('<f52-4.other@elsewhere.example>', false));
    const got = await outcome(archiver(), receipt(id, RECEIVED_ID));
    expect(got).toMatch(MISMATCH);
    expect(await stored(t.stack, JOURNAL, `j/${id}`)).toBeUndefined();
    expect(await stored(t.stack, JOURNAL, `j/${id}.json`)).toBeUndefined();
  }, 60_000);

  it('control: the received message (its Message-ID folded, other case in the header name) is judged', async () => {
    const bytes = message(undefined, true);
    const id = await store(Buffer.concat([Buffer.from(`message-id:\r\n ${RECEIVED_ID}\r\n`), bytes]));
    const got = await outcome(guard(), receipt(id, RECEIVED_ID));
    expect(got).toBe('STOP_RULE_SET');
    expect(t.stack.ses.bounces(id)).toHaveLength(1);
    // SES may give the id without its angle brackets: the same id.
    const bare = await store(message(RECEIVED_ID, false));
    expect(await outcome(guard(), receipt(bare, RECEIVED_ID.slice(1, -1)))).toBe('CONTINUE');
    const journaled = await store(message(RECEIVED_ID, false));
    expect(await outcome(archiver(), receipt(journaled, RECEIVED_ID))).toBe('CONTINUE');
    expect(await stored(t.stack, JOURNAL, `j/${journaled}`)).toEqual(message(RECEIVED_ID, false));
  }, 60_000);

  it('control: a 3 MB received message, its header block split across reads, is journaled byte for byte', async () => {
    // 60 kB of Received: lines: the header block ends past the first chunks S3 sends.
    const hops = Array.from(
      { length: 600 },
      (_, i) => `Received: from hop${i}.example by mx.example; ${'r'.repeat(60)}\r\n`,
    );
    const bytes = Buffer.from(
      bigMessage(3_000_000, 'f52-4-big', hops.join(''))
        .toString('latin1')
        .replace('<f52-4-big@partner.example>', RECEIVED_ID),
      'latin1',
    );
    const id = await store(bytes);
    expect(await outcome(archiver(), receipt(id, RECEIVED_ID))).toBe('CONTINUE');
    expect((await stored(t.stack, JOURNAL, `j/${id}`))?.equals(bytes)).toBe(true);
  }, 60_000);

  it('control: no Message-ID to compare (none in the receipt, or none stored) is judged as before', async () => {
    const none = await store(message(undefined, false));
    expect(await outcome(guard(), receipt(none, RECEIVED_ID))).toBe('CONTINUE');
    const unnamed = await store(message('<f52-4.x@partner.example>', false));
    expect(await outcome(guard(), receipt(unnamed, undefined))).toBe('CONTINUE');
  }, 60_000);
});
