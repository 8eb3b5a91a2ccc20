import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { Rule } from '@wmflow/core';
import { sesFlow } from '@wmflow/core/ses';
import { lambdaContext, makeSesEvent, sesMessageId } from '@wmflow/core/testing';
import { journalToS3 } from '@wmflow/rules';
import { beforeEach, describe, expect, it } from 'vitest';
import { archiverSes } from '../archiver-ses/archiver-ses.js';
import { bigMessage, fingerprint, JOURNAL, sha256, stored, UPDATES } from './fault-harness.js';
import { isPlainPut, pathOf, proxiedStack } from './scripted-proxy.js';

// Fault round 43 (scenario 1): the S3 object an SES receipt rule stored changes between two reads of one
// invocation (the object is overwritten after the first GetObject). SES reads the stored message again when a
// header read released a large message, or when the journal's streamed PutObject is retried from the start.
// Whatever happens, the journal must hold one whole version (or nothing, the invocation failing): never a
// prefix of one version and the rest of another, and its `.json` must describe exactly the bytes stored.
const t = proxiedStack([JOURNAL, UPDATES]);
const PREFIX = 'inbound/';

/** What the scripted S3 proxy does: GETs of the stored message counted, an overwrite before the nth one. */
let watch: {
  key: string;
  gets: number;
  /** Overwrites the stored message with these bytes just before this GET (1-based) is forwarded. */
  overwriteBefore?: { get: number; bytes: Buffer };
  /** Answers the first journal PutObject 500 (after reading its body whole): the journal retries. */
  failFirstJournalPut?: boolean;
  journalPuts: number;
} = { key: '', gets: 0, journalPuts: 0 };

beforeEach(() => {
  watch = { key: '', gets: 0, journalPuts: 0 };
  t.s3p.decide = async (req) => {
    const path = pathOf(req);
    if (req.method === 'GET' && watch.key && path.endsWith(`/${PREFIX}${watch.key}`)) {
      watch.gets++;
      const o = watch.overwriteBefore;
      if (o && watch.gets === o.get) {
        await t.stack.s3.send(
          new PutObjectCommand({ Bucket: UPDATES, Key: `${PREFIX}${watch.key}`, Body: o.bytes }),
        );
      }
      return { do: 'forward' };
    }
    if (isPlainPut(req) && watch.key && path.endsWith(`/j/${watch.key}`)) {
      watch.journalPuts++;
      if (watch.failFirstJournalPut && watch.journalPuts === 1) {
        return {
          do: 'answer',
          status: 500,
          headers: { 'content-type': 'application/xml' },
          body: '<Error><Code>InternalError</Code><Message>injected</Message></Error>',
        };
      }
    }
    return { do: 'forward' };
  };
});

async function storeSes(bytes: Buffer): Promise<string> {
  const id = sesMessageId();
  await t.stack.s3.send(new PutObjectCommand({ Bucket: UPDATES, Key: `${PREFIX}${id}`, Body: bytes }));
  t.stack.ses.receive(id);
  return id;
}

/** `bytes` with the byte at each offset changed (to another base64 letter: the length stays). */
function changedAt(bytes: Buffer, ...offsets: number[]): Buffer {
  const out = Buffer.from(bytes);
  for (const at of offsets) out[at] = out[at] === 0x41 ? 0x42 : 0x41;
  return out;
}

/** Offset of the first base64 line of the attachment, past `from`. */
const bodyOffset = (bytes: Buffer, from: number) => bytes.indexOf('\r\n', from) + 2;

/**
 * The journal holds one whole version (v1 or v2) or nothing, and the `.json` (when present) describes exactly
 * the stored copy. Returns which version was journaled.
 */
async function journaledVersion(id: string, v1: Buffer, v2: Buffer): Promise<'v1' | 'v2' | 'none'> {
  const copy = await stored(t.stack, JOURNAL, `j/${id}`);
  const metaBytes = await stored(t.stack, JOURNAL, `j/${id}.json`);
  const facts = JSON.stringify({ copy: fingerprint(copy), v1: fingerprint(v1), v2: fingerprint(v2) });
  if (!copy) {
    expect(metaBytes, `a .json without a copy: ${facts}`).toBeUndefined();
    return 'none';
  }
  const which = copy.equals(v1) ? 'v1' : copy.equals(v2) ? 'v2' : undefined;
  expect(which, `journal is a splice or a cut: ${facts}`).toBeDefined();
  if (metaBytes) {
    const meta = JSON.parse(metaBytes.toString('utf8')) as { sha256: string; size: number };
    expect({ sha256: meta.sha256, size: meta.size }).toEqual({ sha256: sha256(copy), size: copy.length });
  }
  return which as 'v1' | 'v2';
}

const archiver = () =>
  archiverSes({
    STORED_BUCKET: UPDATES,
    STORED_KEY_PREFIX: PREFIX,
    ORGANIZATION_DOMAINS: 'corp.example',
    JOURNAL_BUCKET: JOURNAL,
    KEY_TEMPLATE: 'j/{messageId}',
  });

async function run(handler: ReturnType<typeof archiver>, id: string, truncated = false) {
  const event = makeSesEvent({ messageId: id, recipients: ['bob@corp.example'] });
  const mail = event.Records[0]?.ses.mail;
  if (truncated && mail) mail.headersTruncated = true;
  try {
    return { answer: await handler(event, lambdaContext({ timeoutMs: 60_000 })) };
  } catch (error) {
    return { error: error as Error };
  }
}

describe('archiver-ses: the journal PutObject is retried and the stored message changed before the re-read', () => {
  // 1.5 MB: past the 512 KiB the journal keeps in memory, so its retry must read the stored message again.
  const v1 = bigMessage(1_500_000, 'f43-ses-change');
  const cases: [string, Buffer][] = [
    ['same length, the tail changed', changedAt(v1, v1.length - 200, 1_000_000)],
    ['same length, the header block changed', changedAt(v1, v1.indexOf('report f43') + 7)],
    ['longer', Buffer.concat([v1.subarray(0, v1.length - 8), Buffer.from('QUFB\r\n--b1--\r\n')])],
    ['same length, one byte past the memory share changed', changedAt(v1, bodyOffset(v1, 600_000))],
  ];
  for (const [name, v2] of cases) {
    it(`${name}: journals one whole version or fails, never a splice`, async () => {
      expect(v2.equals(v1)).toBe(false);
      const id = await storeSes(v1);
      watch.key = id;
      watch.failFirstJournalPut = true;
      watch.overwriteBefore = { get: 2, bytes: v2 };
      const first = await run(archiver(), id);
      const facts = JSON.stringify({
        error: first.error?.message,
        gets: watch.gets,
        puts: watch.journalPuts,
      });
      expect(watch.gets, facts).toBeGreaterThanOrEqual(2);
      const version = await journaledVersion(id, v1, v2);
      // The bytes the first attempt sent were v1, the retry's v2: the attempt that differs from the first fails.
      expect(first.error, facts).toBeDefined();
      expect(version, facts).toBe('none');
      // WorkMail/Lambda retries: the stored message is now v2 throughout, and is journaled whole.
      const retry = await run(archiver(), id);
      expect(retry.error?.message).toBeUndefined();
      expect(await journaledVersion(id, v1, v2)).toBe('v2');
    }, 60_000);
  }
});

describe('SES flow: a header read releases a large message, then the journal reads it again', () => {
  // Headers truncated in the event: the header block comes from the stored message; 3 MB is past the 1 MiB above
  // which a header read stops the transfer, so the journal's read is a second GetObject.
  const v1 = bigMessage(3_000_000, 'f43-ses-release');
  const seen: string[] = [];
  const readsHeaders: Rule = {
    name: 'reads-headers',
    async run(ctx) {
      seen.push((await ctx.message.headers()).subject ?? '');
    },
  };
  const handler = () =>
    sesFlow({
      rules: [readsHeaders, journalToS3({ bucket: JOURNAL, keyTemplate: 'j/{messageId}' })],
      stored: { bucket: UPDATES, keyPrefix: PREFIX },
      organizationDomains: ['corp.example'],
      onError: 'rethrow',
    });
  const headerEnd = v1.indexOf('\r\n\r\n');
  const cases: [string, Buffer, 'fails' | 'v2'][] = [
    // The header block the rule judged is not the one stored now: the invocation fails.
    ['the header block changed (same length)', changedAt(v1, v1.indexOf('report f43') + 7), 'fails'],
    ['the length changed', v1.subarray(0, v1.length - 100), 'fails'],
    // Past the bytes held the new version is read whole: its prefix is the one judged, so it is journaled.
    ['only the body changed (same length)', changedAt(v1, bodyOffset(v1, 2_500_000)), 'v2'],
  ];
  for (const [name, v2, expected] of cases) {
    it(`${name}: ${expected === 'fails' ? 'fails the invocation, journals nothing' : 'journals v2 whole'}`, async () => {
      expect(headerEnd).toBeGreaterThan(0);
      const id = await storeSes(v1);
      watch.key = id;
      watch.overwriteBefore = { get: 2, bytes: v2 };
      const first = await run(handler(), id, true);
      const facts = JSON.stringify({ error: first.error?.message, gets: watch.gets });
      expect(watch.gets, facts).toBe(2);
      const version = await journaledVersion(id, v1, v2);
      if (expected === 'fails') {
        expect(first.error?.message, facts).toMatch(/fetched again|differs|changed/);
        expect(version, facts).toBe('none');
      } else {
        expect(first.error, facts).toBeUndefined();
        expect(version, facts).toBe('v2');
      }
    }, 60_000);
  }

  it('a rule that read the whole message: the journal copies what the rules judged, with no second read', async () => {
    const bodyRule: Rule = {
      name: 'reads-parts',
      async run(ctx) {
        await ctx.message.parts();
      },
    };
    const id = await storeSes(v1);
    const v2 = changedAt(v1, bodyOffset(v1, 2_500_000));
    watch.key = id;
    watch.overwriteBefore = { get: 2, bytes: v2 };
    // Overwritten as soon as the first read is done.
    const afterFirstRead: Rule = {
      name: 'overwrite-now',
      async run() {
        await t.stack.s3.send(new PutObjectCommand({ Bucket: UPDATES, Key: `${PREFIX}${id}`, Body: v2 }));
      },
    };
    const first = await run(
      sesFlow({
        rules: [bodyRule, afterFirstRead, journalToS3({ bucket: JOURNAL, keyTemplate: 'j/{messageId}' })],
        stored: { bucket: UPDATES, keyPrefix: PREFIX },
        organizationDomains: ['corp.example'],
        onError: 'rethrow',
      }),
      id,
    );
    expect(first.error?.message).toBeUndefined();
    expect(watch.gets).toBe(1);
    expect(await journaledVersion(id, v1, v2)).toBe('v1');
  }, 60_000);
});
