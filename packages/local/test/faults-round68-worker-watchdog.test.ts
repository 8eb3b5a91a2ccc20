import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLines, wmflowWithin } from './replay-helpers.js';

// Fault round 68 (F68-1): a handler stuck in a synchronous loop never gives control back, so the deadline of the
// invocation (the function's timeout, which `invokeOnce` enforces with a timer) never fires in the worker running it.
// `wmflow replay -j N` and `wmflow backtest` (every worker count) then waited for that worker for ever. Lambda
// ends an invocation at the function's timeout whatever it is doing: the pool now does the same to the worker
// (killed, replaced), the message gets a failed line saying so, and the run goes on, in order, to its end.
// The tests give a short `--timeout`; they assert what is written, not how long it took. The safety net below only
// keeps a run that hangs (the old code) from holding the test process: it is no assertion.

let dir: string;
const STUCK_ON = 'invoice';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-r68-watchdog-'));
  // Loops for ever, with no await, on the invoice: no timer in its process can fire again.
  await writeFile(
    join(dir, 'sync-loop.mjs'),
    `export const handler = async (event) => {
  const subject = event.subject ?? event.Records?.[0]?.ses?.mail?.commonHeaders?.subject ?? '';
  if (/${STUCK_ON}/i.test(subject)) for (;;) {}
  if (event.Records) return { disposition: 'CONTINUE' };
  return { actions: [{ allRecipients: true, action: { type: 'DEFAULT' } }] };
};\n`,
  );
  // A journal folder for backtest: three messages, the second one the invoice.
  await writeFile(
    join(dir, 'journal-m1'),
    'From: a@partner.example\r\nTo: b@corp.example\r\nSubject: hello\r\nMessage-ID: <m1@partner.example>\r\n\r\nhi\r\n',
  );
  await writeFile(
    join(dir, 'journal-m2'),
    'From: a@partner.example\r\nTo: b@corp.example\r\nSubject: your invoice\r\nMessage-ID: <m2@partner.example>\r\n\r\nhi\r\n',
  );
  await writeFile(
    join(dir, 'journal-m3'),
    'From: a@partner.example\r\nTo: b@corp.example\r\nSubject: goodbye\r\nMessage-ID: <m3@partner.example>\r\n\r\nhi\r\n',
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const FILES = [
  '01-plain-text',
  '02-html-newsletter',
  '03-invoice-attachments',
  '04-ses-spam-virus',
  '05-ceo-impersonation',
].map((f) => `samples/eml/${f}.eml`);

describe('F68-1: a worker stuck in a synchronous loop', () => {
  it.each(['workmail', 'ses'])(
    'replay -j 2 (%s): the stuck message fails with the timeout, the worker is replaced, every line in order',
    async (engine) => {
      const run = await wmflowWithin(
        [
          'replay',
          ...FILES,
          '--handler',
          join(dir, 'sync-loop.mjs'),
          '--engine',
          engine,
          '--timeout',
          '200',
          '--json',
          '-j',
          '2',
        ],
        {},
        45_000,
      );
      expect(run.hung).toBe(false);
      const lines = jsonLines(run.stdout);
      expect(lines.map((l) => l.file)).toEqual(FILES);
      const errors = lines.map((l) => (l.error as { name: string } | undefined)?.name ?? null);
      expect(errors).toEqual([null, null, 'HandlerTimeout', null, null]);
      expect((lines[2]?.error as { message?: string } | undefined)?.message).toMatch(
        /did not answer within 200 ms.*worker.*killed/,
      );
      // A failed message makes the run fail, as a timeout does at -j 1.
      expect(run.code).toBe(1);
    },
    120_000,
  );

  it.each(['1', '2'])(
    'backtest -j %s: the stuck message gets a failed line, the rest are judged, and the summary is written',
    async (jobs) => {
      const journal = join(dir, `journal-${jobs}`);
      await rm(journal, { recursive: true, force: true });
      const { mkdir, copyFile } = await import('node:fs/promises');
      await mkdir(journal);
      for (const m of ['m1', 'm2', 'm3']) await copyFile(join(dir, `journal-${m}`), join(journal, m));
      const run = await wmflowWithin(
        [
          'backtest',
          journal,
          '--handler',
          join(dir, 'sync-loop.mjs'),
          '--org-domain',
          'corp.example',
          '--timeout',
          '200',
          '-j',
          jobs,
        ],
        {},
        45_000,
      );
      expect(run.hung).toBe(false);
      const all = jsonLines(run.stdout) as {
        type: string;
        key?: string;
        candidate?: { label: string; error?: { name: string; message: string } };
        messages?: number;
      }[];
      const messages = all.filter((l) => l.type === 'message');
      expect(messages.map((l) => l.key)).toEqual(['m1', 'm2', 'm3']);
      expect(messages.map((l) => l.candidate?.error?.name ?? null)).toEqual([null, 'HandlerTimeout', null]);
      expect(messages[1]?.candidate?.error?.message).toMatch(/worker.*killed/);
      expect(all.at(-1)).toMatchObject({ type: 'summary', messages: 3 });
    },
    120_000,
  );
});
