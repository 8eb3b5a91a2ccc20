import { mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeFlowEvent } from '@wmflow/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guard } from '../guard/guard.js';
import { describeErrors, firstAction, invoke, UPDATES, withExe } from './fault-harness.js';
import { pathOf, proxiedStack } from './scripted-proxy.js';

// Fault round 74 (held): one warm container, one guard handler (strip), three 6 MB messages in a row, each invocation
// cut by the deadline at another step of the strip's commit (PutRawMessageContent, the staged upload, the message's
// download never answered). Each message is read past the spool's memory share, so it spills to /tmp; nothing of
// it may be left there for the next invocation (a few such leftovers fill Lambda's /tmp), and no answer may deliver
// the executable.
const t = proxiedStack([UPDATES]);
const base = tmpdir();
let dir = '';
const escaped: unknown[] = [];
const onEscape = (reason: unknown) => escaped.push(reason);
beforeAll(() => {
  dir = mkdtempSync(join(base, 'wmflow-r74-tmp-'));
  process.env.TMPDIR = dir;
  process.on('unhandledRejection', onEscape);
  process.on('uncaughtException', onEscape);
});
afterAll(() => {
  process.env.TMPDIR = base;
  process.off('unhandledRejection', onEscape);
  process.off('uncaughtException', onEscape);
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Spill files in `dir`, listed or held open by this process: the spool unlinks its file once open (fault round 79),
 * so what it keeps of /tmp shows among the process's open files, named with ` (deleted)`.
 */
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

const isPutRaw = (req: IncomingMessage) => req.method === 'POST' && /^\/messages\//.test(req.url ?? '');
const isStaged = (req: IncomingMessage) => req.method === 'PUT' && pathOf(req).startsWith(`/${UPDATES}/`);

describe('fault round 74: /tmp across warm invocations cut by the deadline', () => {
  it.each([
    [
      'PutRawMessageContent never answered',
      isPutRaw,
      /^DeadlineError: deadline reached while PutRawMessageContent/,
    ],
    ['the staged upload never answered', isStaged, /^BOUNCE$/],
    ['nothing held (control)', () => false, /^DEFAULT$/],
  ] as const)(
    '%s: every spill file gone before the next invocation',
    async (_, held, expected) => {
      const handler = guard({
        ORGANIZATION_DOMAINS: 'corp.example',
        UPDATES_BUCKET: UPDATES,
        ATTACHMENT_ACTION: 'strip',
      });
      const outcomes: string[] = [];
      let spilled = 0;
      const watch = setInterval(() => {
        spilled = Math.max(spilled, spillFiles().length);
      }, 5);
      try {
        for (const i of [1, 2, 3]) {
          const id = t.stack.flow.load(withExe(6_000_000, `r74-tmp-${_}-${i}`));
          t.s3p.decide = (req) => (held(req) ? { do: 'hang' } : { do: 'forward' });
          t.flowp.decide = (req) => (held(req) ? { do: 'hang' } : { do: 'forward' });
          const event = makeFlowEvent({
            messageId: id,
            mailFrom: 'ann@partner.example',
            recipients: ['bob@corp.example'],
          });
          const r = await invoke(handler, event, 3_000);
          outcomes.push(r.error ? describeErrors([r.error]) : (firstAction(r.response) ?? 'none'));
          // What the next invocation finds: the answer has been given, the process goes on to the next event.
          await new Promise((resolve) => setTimeout(resolve, 100));
          expect(readdirSync(dir), outcomes.join('; ')).toEqual([]);
          expect(spillFiles(), outcomes.join('; ')).toEqual([]);
        }
      } finally {
        clearInterval(watch);
      }
      const facts = outcomes.join('; ');
      expect(spilled, facts).toBeGreaterThan(0);
      // The executable is never delivered unstripped: a bounce, a failed invocation, or the strip committed.
      for (const o of outcomes) expect(o, facts).toMatch(expected);
      expect(escaped, facts).toEqual([]);
    },
    60_000,
  );
});
