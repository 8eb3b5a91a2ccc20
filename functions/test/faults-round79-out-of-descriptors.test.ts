import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { makeFlowEvent, makeSesEvent, sesMessageId } from '@wmflow/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { bigMessage, stored, UPDATES, withExe } from './fault-harness.js';
import { proxiedStack } from './scripted-proxy.js';

// Fault round 79 (F79-2): the function's process out of file descriptors (EMFILE: a Lambda whose code, or a
// dependency, leaked descriptors across warm invocations up to its limit) cannot open a socket, and Node fails the
// request with `connect EMFILE`, code `EMFILE`: the machine's state, which says nothing about the message. It was not
// transient, so it went where an answer about the message goes: the guard bounced a clean message as "could not be
// checked for viruses". Each invocation runs in a process of its own (`faults-round79-child.ts`) that holds every
// descriptor it can open, before the invocation (GetRawMessageContent refused) or once the message's download has
// begun (a module loaded on first use refused). The retry runs in a new process with descriptors to spare.
const t = proxiedStack([UPDATES]);
const ROOT = join(import.meta.dirname, '..', '..');
const CHILD = join(import.meta.dirname, 'faults-round79-child.ts');
afterEach(() => {
  t.flowp.decide = () => ({ do: 'forward' });
});

function run(
  name: string,
  settings: Record<string, string>,
  event: unknown,
  exhaust: boolean,
): { pid: number; out: () => string; result: Promise<string> } {
  const child = spawn(
    process.execPath,
    [
      '--conditions=wmflow-source',
      '--import',
      'tsx',
      CHILD,
      name,
      JSON.stringify(settings),
      JSON.stringify(event),
    ],
    {
      cwd: ROOT,
      env: { ...process.env, R79_EXHAUST_FDS: exhaust ? '1' : '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const result = new Promise<string>((resolve) =>
    child.on('exit', () => resolve(out.trim().split('\n').at(-1) ?? '')),
  );
  return { pid: child.pid as number, out: () => out, result };
}

const GUARD = { ORGANIZATION_DOMAINS: 'corp.example', UPDATES_BUCKET: UPDATES, ATTACHMENT_ACTION: 'strip' };
const inbound = (id: string) =>
  makeFlowEvent({ messageId: id, mailFrom: 'ann@partner.example', recipients: ['bob@corp.example'] });
const hasExe = (id: string) =>
  t.stack.flow.history(id).at(-1)?.content.toString('latin1').includes('filename="run.exe"');

describe('fault round 79: out of file descriptors (F79-2)', () => {
  it.each([
    ['a clean message', () => bigMessage(30_000, 'r79-emfile-clean')],
    ['a message with an executable (strip)', () => withExe(30_000, 'r79-emfile-exe')],
  ])(
    'guard, %s, GetRawMessageContent refused EMFILE: the invocation fails, never bounced; the retry answers DEFAULT',
    async (_, make) => {
      const id = t.stack.flow.load(make());
      const first = await run('guard', GUARD, inbound(id), true).result;
      expect(first, first).toMatch(/"error"/);
      expect(first, first).toMatch(/EMFILE/);
      expect(t.stack.flow.history(id)).toHaveLength(1);
      const retry = await run('guard', GUARD, inbound(id), false).result;
      expect(retry, retry).toMatch(/"type":"DEFAULT"/);
      expect(hasExe(id)).toBe(false);
    },
    60_000,
  );

  // Out of descriptors once the download has begun: the first thing refused is a module loaded on first use (a chunk of
  // the bundle; here a source file: `EMFILE: too many open files, open '…'`), which bounced the message the same way.
  it('guard, out of descriptors mid-invocation (a module loaded on first use refused EMFILE): the invocation fails, not bounced; the retry strips', async () => {
    const id = t.stack.flow.load(withExe(30_000, 'r79-emfile-stage'));
    let child!: ReturnType<typeof run>;
    // The message's download waits until the process has run out of descriptors; its connection is already open.
    t.flowp.decide = async (req) => {
      if (req.method !== 'GET') return { do: 'forward' };
      process.kill(child.pid, 'SIGUSR2');
      for (let i = 0; i < 200 && !child.out().includes('exhausted'); i++)
        await new Promise((r) => setTimeout(r, 10));
      return { do: 'forward' };
    };
    child = run('guard', GUARD, inbound(id), false);
    const first = await child.result;
    expect(child.out()).toContain('exhausted');
    expect(first, first).toMatch(/"error"/);
    expect(first, first).toMatch(/EMFILE/);
    expect(t.stack.flow.history(id)).toHaveLength(1);
    t.flowp.decide = () => ({ do: 'forward' });
    const retry = await run('guard', GUARD, inbound(id), false).result;
    expect(retry, retry).toMatch(/"type":"DEFAULT"/);
    expect(hasExe(id)).toBe(false);
  }, 60_000);

  it('outbound-policy, GetRawMessageContent refused EMFILE: the invocation fails, neither bounced nor sent without its disclaimer', async () => {
    const id = t.stack.flow.load(bigMessage(30_000, 'r79-emfile-outbound'));
    const settings = {
      ORGANIZATION_DOMAINS: 'corp.example',
      UPDATES_BUCKET: UPDATES,
      DISCLAIMER_TEXT: 'Confidential r79.',
    };
    const event = makeFlowEvent({
      messageId: id,
      direction: 'OUTBOUND',
      mailFrom: 'bob@corp.example',
      recipients: ['ann@partner.example'],
    });
    const first = await run('outbound-policy', settings, event, true).result;
    expect(first, first).toMatch(/"error"/);
    expect(first, first).toMatch(/EMFILE/);
    const retry = await run('outbound-policy', settings, event, false).result;
    expect(retry, retry).toMatch(/"type":"DEFAULT"/);
    expect(t.stack.flow.history(id).at(-1)?.content.toString('latin1')).toContain('Confidential r79.');
  }, 60_000);

  it('guard-ses, the stored message read refused EMFILE: held (STOP_RULE, retryable), no bounce; the retry bounces the executable once', async () => {
    const id = sesMessageId();
    await t.stack.s3.send(
      new PutObjectCommand({
        Bucket: UPDATES,
        Key: `inbound/${id}`,
        Body: withExe(30_000, 'r79-emfile-ses'),
      }),
    );
    t.stack.ses.receive(id);
    const settings = {
      ORGANIZATION_DOMAINS: 'corp.example',
      STORED_BUCKET: UPDATES,
      STORED_KEY_PREFIX: 'inbound/',
      BOUNCE_SENDER: 'postmaster@corp.example',
      ATTACHMENT_ACTION: 'bounce',
      JUNK_POLICY: 'quarantine',
      MIXED_POLICY: 'most-protective',
      AUDIT_MODE: 'false',
    };
    const event = makeSesEvent({ messageId: id, recipients: ['bob@corp.example'] });
    const first = await run('guard-ses', settings, event, true).result;
    const record = (await stored(t.stack, UPDATES, `held/${id}.json`))?.toString() ?? '';
    expect(first, `${first} ${record}`).toMatch(/"disposition":"STOP_RULE"/);
    expect(t.stack.ses.bounces(id), first).toEqual([]);
    const retry = await run('guard-ses', settings, event, false).result;
    expect(retry, retry).toMatch(/"disposition":"STOP_RULE_SET"/);
    expect(t.stack.ses.bounces(id)).toHaveLength(1);
  }, 60_000);
});
