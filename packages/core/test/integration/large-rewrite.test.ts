import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LocalStack, startLocalStack } from '@wmflow/local';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FlowOutcome, flow, onFlowOutcome, rule } from '../../src/index.js';
import { checkUpdate } from '../../src/mime/index.js';
import { captureLogger, lambdaContext, makeFlowEvent } from '../../src/testing/index.js';
import { largeMessage } from './large-message.js';

const BUCKET = 'wmflow-updates';
let stack: LocalStack;
let spoolDir: string;

beforeAll(async () => {
  stack = await startLocalStack({ buckets: [BUCKET] });
  spoolDir = await mkdtemp(join(tmpdir(), 'wmflow-large-rewrite-'));
});
afterAll(async () => {
  await stack.stop();
  await rm(spoolDir, { recursive: true, force: true });
});

async function tagAndDisclaim(original: Buffer) {
  const messageId = stack.flow.load(original);
  const outcomes: FlowOutcome[] = [];
  const stop = onFlowOutcome((o) => outcomes.push(o));
  const handler = flow({
    clients: { messageFlow: stack.messageFlow, s3: stack.s3 },
    logger: captureLogger(),
    updates: { bucket: BUCKET },
    message: { tempDir: spoolDir },
    rules: [
      rule('tag', (ctx) => {
        ctx.edit.prefixSubject('[EXTERNAL]');
        ctx.edit.addDisclaimer({ text: 'This message came from outside the organization.', position: 'top' });
      }),
    ],
  });
  await handler(makeFlowEvent({ messageId, recipients: ['team@corp.example'] }), lambdaContext());
  stop();
  const history = stack.flow.history(messageId);
  return { outcome: outcomes[0] as FlowOutcome, history, updated: history.at(-1)?.content as Buffer };
}

describe('rewrite of a large message: untouched bodies pass through', () => {
  it('commits a 6 MB message with the attachment byte-identical, without spooling it to disk', async () => {
    const attachment = randomBytes(4_500_000);
    const original = largeMessage(attachment);
    const { outcome, history, updated } = await tagAndDisclaim(original);
    expect(outcome.edit).toMatchObject({ status: 'committed' });
    expect(history).toHaveLength(2);
    const body = original.subarray(
      original.indexOf('base64\r\n\r\n') + 10,
      original.indexOf('\r\n--outer--'),
    );
    expect(updated.includes(body)).toBe(true);
    expect(await checkUpdate(original, updated)).toEqual({ ok: true });
    const parsed = await simpleParser(updated);
    expect(parsed.subject).toBe('[EXTERNAL] Monthly export');
    expect(parsed.attachments[0]?.content.equals(attachment)).toBe(true);
    // The editor's read was the invocation's last: nothing went to a temporary file.
    expect(await readdir(spoolDir)).toEqual([]);
  }, 60_000);

  it('still repairs an over-long base64 line and a boundary-like line deep in the attachment', async () => {
    const attachment = randomBytes(3_000_000);
    // Line 30,000 of the attachment joined with the next 20 (1,520 octets), and a line "--outerX" after it.
    const original = largeMessage(attachment, (lines) => [
      ...lines.slice(0, 30_000),
      lines.slice(30_000, 30_020).join(''),
      '--outerX',
      ...lines.slice(30_020),
    ]);
    const { outcome, updated } = await tagAndDisclaim(original);
    expect(outcome.edit).toMatchObject({ status: 'committed' });
    const changes = outcome.edit.status === 'committed' ? outcome.edit.changes : [];
    expect(changes[0]).toBe(
      'repaired: re-wrapped base64 lines (over-long, or with characters decoders skip)',
    );
    expect(await checkUpdate(original, updated)).toEqual({ ok: true });
    // Decoders skip what is not base64 (the dashes) and line breaks: the update decodes as the original does.
    const [before, after] = await Promise.all([simpleParser(original), simpleParser(updated)]);
    expect(after.attachments[0]?.content.equals(before.attachments[0]?.content as Buffer)).toBe(true);
    expect(updated.includes('\r\n--outerX\r\n')).toBe(false);
  }, 60_000);
});
