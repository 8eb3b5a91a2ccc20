import { mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { lambdaContext, makeFlowEvent, makeSesEvent, sesMessageId } from '@wmflow/core/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { guard } from '../guard/guard.js';
import { guardSes } from '../guard-ses/guard-ses.js';
import { describeErrors, firstAction, invoke, stored, UPDATES, withExe } from './fault-harness.js';
import { proxiedStack } from './scripted-proxy.js';

// Fault round 79 (held probes): Lambda's /tmp full (ENOSPC), read-only (EROFS), not permitted (EACCES), or the
// process out of file descriptors (EMFILE) where the message spills past the spool's memory share — at the spill
// file's open, and on a write of a batch half-way through the message. Injected by a wrapper of `node:fs/promises`
// for the spool's files only (the tests run as root: permissions and a tiny tmpfs are not available here). The guard
// must fail the invocation (WorkMail retries; the retry strips the executable), never bounce it as if the message had
// been read and found wanting, never deliver it; guard-ses must hold it (STOP_RULE), never bounce nor pass it.
const t = proxiedStack([UPDATES]);
const base = tmpdir();
let dir = '';
const fsp = createRequire(import.meta.url)('node:fs/promises') as typeof import('node:fs/promises');
const realOpen = fsp.open;
let refuse: string | undefined;
let refuseWrites: string | undefined;
let injected = 0;

beforeAll(() => {
  dir = mkdtempSync(join(base, 'wmflow-r79-spill-'));
  process.env.TMPDIR = dir;
  (fsp as { open: typeof fsp.open }).open = (async (...args: Parameters<typeof fsp.open>) => {
    const path = String(args[0]);
    if (!path.includes('wmflow-spool-')) return realOpen(...args);
    if (refuse) {
      injected++;
      throw Object.assign(new Error(`${refuse}: injected, open '${path}'`), { code: refuse, path });
    }
    const handle = await realOpen(...args);
    if (refuseWrites) {
      const code = refuseWrites;
      let batches = 0;
      const writev = handle.writev.bind(handle);
      handle.writev = (async (...w: Parameters<typeof handle.writev>) => {
        if (++batches >= 3) {
          injected++;
          throw Object.assign(new Error(`${code}: injected, write`), { code });
        }
        return writev(...w);
      }) as typeof handle.writev;
    }
    return handle;
  }) as typeof fsp.open;
  syncBuiltinESMExports();
});
afterAll(() => {
  (fsp as { open: typeof fsp.open }).open = realOpen;
  syncBuiltinESMExports();
  process.env.TMPDIR = base;
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  refuse = undefined;
  refuseWrites = undefined;
  injected = 0;
});

/** Spill files listed in the folder or held open by this process. */
const spillFiles = () => [
  ...readdirSync(dir).filter((f) => f.startsWith('wmflow-spool-')),
  ...readdirSync('/proc/self/fd').flatMap((fd) => {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      return target.startsWith(join(dir, 'wmflow-spool-')) ? [target] : [];
    } catch {
      return [];
    }
  }),
];

const FAULTS = [
  ['open', 'ENOSPC'],
  ['open', 'EROFS'],
  ['open', 'EACCES'],
  ['open', 'EMFILE'],
  ['write', 'ENOSPC'],
  ['write', 'EIO'],
] as const;

describe('fault round 79: the spill folder unusable (held)', () => {
  it.each(FAULTS)(
    'guard, %s refused %s: the invocation fails, the retry strips',
    async (where, code) => {
      const handler = guard({
        ORGANIZATION_DOMAINS: 'corp.example',
        UPDATES_BUCKET: UPDATES,
        ATTACHMENT_ACTION: 'strip',
      });
      const id = t.stack.flow.load(withExe(6_000_000, `r79-spill-${where}-${code}`));
      const event = makeFlowEvent({
        messageId: id,
        mailFrom: 'ann@partner.example',
        recipients: ['bob@corp.example'],
      });
      if (where === 'open') refuse = code;
      else refuseWrites = code;
      const first = await invoke(handler, event, 20_000);
      const facts = first.error ? describeErrors([first.error]) : JSON.stringify(first.response);
      expect(first.error, facts).toBeDefined();
      expect(facts).toMatch(/MessageReadError/);
      expect(facts).toContain(code);
      expect(t.stack.flow.history(id)).toHaveLength(1); // nothing committed
      expect(spillFiles(), facts).toEqual([]);
      refuse = undefined;
      refuseWrites = undefined;
      const retry = await invoke(handler, event, 20_000);
      expect(retry.error, retry.error ? describeErrors([retry.error]) : '').toBeUndefined();
      expect(firstAction(retry.response)).toBe('DEFAULT');
      const held = t.stack.flow.history(id).at(-1)?.content.toString('latin1') ?? '';
      expect(held.includes('filename="run.exe"')).toBe(false);
      expect(spillFiles()).toEqual([]);
    },
    60_000,
  );
});

const INBOUND = UPDATES;
const sesEnv = {
  ORGANIZATION_DOMAINS: 'corp.example',
  STORED_BUCKET: INBOUND,
  STORED_KEY_PREFIX: 'inbound/',
  BOUNCE_SENDER: 'postmaster@corp.example',
  ATTACHMENT_ACTION: 'bounce',
  JUNK_POLICY: 'quarantine',
  MIXED_POLICY: 'most-protective',
  AUDIT_MODE: 'false',
};

describe('fault round 79: the spill folder unusable under guard-ses (held)', () => {
  it.each(FAULTS)(
    'guard-ses, %s refused %s: held (STOP_RULE), not bounced; the retry bounces the .exe',
    async (where, code) => {
      const handler = guardSes(sesEnv);
      const id = sesMessageId();
      await t.stack.s3.send(
        new PutObjectCommand({
          Bucket: INBOUND,
          Key: `inbound/${id}`,
          Body: withExe(6_000_000, `r79-ses-${where}-${code}`),
        }),
      );
      t.stack.ses.receive(id);
      const event = makeSesEvent({ messageId: id, recipients: ['bob@corp.example'] });
      if (where === 'open') refuse = code;
      else refuseWrites = code;
      const first = (await handler(event, lambdaContext({ timeoutMs: 28_000 }))) as { disposition: string };
      const record = (await stored(t.stack, INBOUND, `held/${id}.json`))?.toString() ?? '';
      const facts = `${JSON.stringify(first)} ${record}`;
      expect(injected, facts).toBeGreaterThan(0); // the message did spill, and the fault was met
      expect(first.disposition, facts).toBe('STOP_RULE');
      expect(record, facts).toContain('"cause":"retryable-error"');
      expect(record, facts).toContain(code);
      expect(t.stack.ses.bounces(id), facts).toEqual([]);
      expect(spillFiles(), facts).toEqual([]);
      refuse = undefined;
      refuseWrites = undefined;
      // Lambda's retry of the same event, the disk back: the executable is bounced once.
      const retry = (await handler(event, lambdaContext({ timeoutMs: 28_000 }))) as { disposition: string };
      expect(retry.disposition).toBe('STOP_RULE_SET');
      expect(t.stack.ses.bounces(id)).toHaveLength(1);
      expect(spillFiles()).toEqual([]);
    },
    60_000,
  );
});
