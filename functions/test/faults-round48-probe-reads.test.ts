import { randomBytes } from 'node:crypto';
import { makeFlowEvent } from '@wmflow/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { guard } from '../guard/guard.js';
import { describeErrors, invokeUntilAnswered, UPDATES } from './fault-harness.js';
import { wiredStack } from './faults-round47-stack.js';
import { type Answer, head, plainHeaders } from './faults-round47-wire.js';

// Fault round 48 (held): the banner's first pass reads the message, then the edit reads it again, both from the
// invocation's one spool. With the attachment policy off, the first pass is the first full read of a message over
// 1 MiB (the header read released it): it opens the second GetRawMessageContent, and the edit goes on with it. A
// second GET cut under the first pass or under the edit fails the invocation (WorkMail retries); one answering
// other bytes past those held is what the first pass and the edit both read: the update is that message whole,
// never the original's start spliced to the other's end.
const t = wiredStack([UPDATES]);
const CRLF = '\r\n';
const WORDS = 'came from outside the organization';

beforeEach(() => {
  t.s3w.shape = () => undefined;
  t.floww.shape = () => undefined;
});

const base64 = (size: number) => randomBytes(size).toString('base64').replace(/.{76}/g, `$&${CRLF}`);
const picture = () => ['Content-Type: image/png', 'Content-Transfer-Encoding: base64', '', base64(2_300_000)];
const text = ['Content-Type: text/plain; charset=us-ascii', '', 'Hello, the pictures.'];

function message(parts: string[][]): Buffer {
  return Buffer.from(
    [
      'From: Accounts <accounts@partner.example>',
      'To: bob@corp.example',
      'Subject: pictures',
      'Date: Sun, 29 Nov 2026 10:00:00 +0000',
      `Message-ID: <${randomBytes(6).toString('hex')}@partner.example>`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="m"',
      '',
      ...parts.flatMap((p) => ['--m', ...p]),
      '--m--',
      '',
    ].join(CRLF),
    'latin1',
  );
}

/** The second GET of the message answered by `shape`; the others forwarded. */
function secondGet(shape: (a: Answer) => Buffer): void {
  let gets = 0;
  t.floww.shape = (req, answer) => (req.method === 'GET' && ++gets === 2 ? shape(answer) : undefined);
}
const cutAt = (share: number) => (a: Answer) =>
  Buffer.concat([
    Buffer.from(head(200, [...plainHeaders(a), ['Content-Length', String(a.body.length)]])),
    a.body.subarray(0, Math.floor(a.body.length * share)),
  ]);

async function run(bytes: Buffer) {
  const id = t.stack.flow.load(bytes);
  const result = await invokeUntilAnswered(
    guard({ ORGANIZATION_DOMAINS: 'corp.example', UPDATES_BUCKET: UPDATES, ATTACHMENT_POLICY: 'false' }),
    makeFlowEvent({ messageId: id, mailFrom: 'accounts@partner.example', recipients: ['bob@corp.example'] }),
    3,
  );
  const versions = t.stack.flow.history(id);
  const delivered = versions.at(-1)?.content.toString('latin1') ?? '';
  return { result, versions, delivered, banners: delivered.replace(/=\r\n/g, '').split(WORDS).length - 1 };
}

/** The multipart's body from its first delimiter on, as the update must carry it (wrapped, unchanged). */
const structure = (bytes: Buffer) => {
  const s = bytes.toString('latin1');
  return s.slice(s.indexOf('--m'));
};

describe('F48 (held): the first pass and the edit read one message', () => {
  it('no text body, the second GET cut under the first pass: retried, then wrapped whole', async () => {
    const bytes = message([picture()]);
    secondGet(cutAt(0.6));
    const { result, versions, delivered, banners } = await run(bytes);
    expect(result.answered, describeErrors(result.errors)).toBe(true);
    expect(result.errors.map((e) => e.name)).toEqual(['MessageReadError']);
    expect(versions).toHaveLength(2);
    expect(banners).toBe(1);
    expect(delivered).toContain(structure(bytes));
  }, 60_000);

  it('a text body first, the second GET cut under the edit: retried, then bannered whole', async () => {
    const bytes = message([text, picture()]);
    secondGet(cutAt(0.6));
    const { result, versions, delivered, banners } = await run(bytes);
    expect(result.answered, describeErrors(result.errors)).toBe(true);
    expect(result.errors.length).toBe(1);
    expect(versions).toHaveLength(2);
    expect(banners).toBe(1);
    const picturePart = structure(bytes).slice(structure(bytes).indexOf('--m\r\nContent-Type: image/png'));
    expect(delivered).toContain(picturePart);
  }, 60_000);

  it('no text body, the second GET answers other bytes past those held: the update is that message, whole', async () => {
    const bytes = message([picture()]);
    const other = Buffer.from(bytes);
    other.fill(0x41, 1_000_000, 1_000_076); // a base64 line of the picture, other bytes of the same length
    secondGet((a) =>
      Buffer.concat([
        Buffer.from(head(200, [...plainHeaders(a), ['Content-Length', String(other.length)]])),
        other,
      ]),
    );
    const { result, versions, delivered, banners } = await run(bytes);
    expect(result.answered, describeErrors(result.errors)).toBe(true);
    expect(versions).toHaveLength(2);
    expect(banners).toBe(1);
    expect(delivered).toContain(structure(other));
  }, 60_000);
});
