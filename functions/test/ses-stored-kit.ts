import { PutObjectCommand } from '@aws-sdk/client-s3';
import { lambdaContext, makeSesEvent, sesMessageId } from '@wmflow/core/testing';
import { archiverSes } from '../archiver-ses/archiver-ses.js';
import { guardSes } from '../guard-ses/guard-ses.js';
import { JOURNAL, UPDATES, withExe } from './fault-harness.js';
import { type Act, pathOf, type proxyBefore } from './scripted-proxy.js';

/**
 * What the fault rounds on SES's stored message (87, 92) share: a message with `run.exe` in its last part stored as
 * SES's S3 action stores it, guard-ses and archiver-ses reading it through `t`'s proxy, and an invocation whose
 * GetObject of that message is answered by `fault` (every other request forwarded).
 *
 * @example
 * ```ts
 * const { store, invoke, guard } = sesStoredKit(proxyBefore('S3', [JOURNAL, UPDATES]), 'inbound/');
 * const { id } = await store('f87');
 * await invoke(guard(), id, { do: 'forward' }); // 'STOP_RULE_SET'
 * ```
 */
export function sesStoredKit(t: ReturnType<typeof proxyBefore>, prefix: string) {
  /** Stores a message of about `size` bytes whose last part holds `run.exe`, and tells SES it received it. */
  async function store(label: string, size = 20_000): Promise<{ id: string; bytes: Buffer }> {
    const id = sesMessageId();
    const bytes = withExe(size, `${label}-${id}`);
    await t.stack.s3.send(new PutObjectCommand({ Bucket: UPDATES, Key: `${prefix}${id}`, Body: bytes }));
    t.stack.ses.receive(id);
    return { id, bytes };
  }

  /** The handler's disposition for message `id`, its GetObject answered by `fault`, or `error <name>`. */
  async function invoke(handler: ReturnType<typeof guardSes>, id: string, fault: Act): Promise<string> {
    const path = `/${UPDATES}/${prefix}${id}`;
    t.proxy.decide = (req) => (req.method === 'GET' && pathOf(req) === path ? fault : { do: 'forward' });
    try {
      return await handler(
        makeSesEvent({ messageId: id, recipients: ['bob@corp.example'] }),
        lambdaContext({ timeoutMs: 30_000 }),
      ).then(
        (answer) => (answer as { disposition: string }).disposition,
        (error: Error) => `error ${error.name}`,
      );
    } finally {
      t.proxy.decide = () => ({ do: 'forward' });
    }
  }

  const guard = () =>
    guardSes({
      STORED_BUCKET: UPDATES,
      STORED_KEY_PREFIX: prefix,
      BOUNCE_SENDER: 'postmaster@corp.example',
      ORGANIZATION_DOMAINS: 'corp.example',
    });
  const archiver = () =>
    archiverSes({
      STORED_BUCKET: UPDATES,
      STORED_KEY_PREFIX: prefix,
      ORGANIZATION_DOMAINS: 'corp.example',
      JOURNAL_BUCKET: JOURNAL,
      KEY_TEMPLATE: 'j/{messageId}',
    });
  return { store, invoke, guard, archiver };
}
