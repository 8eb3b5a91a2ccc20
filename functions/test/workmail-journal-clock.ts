import { makeFlowEvent } from '@wmflow/core/testing';
import { afterEach, beforeAll, expect, vi } from 'vitest';
import { archiver } from '../archiver/archiver.js';
import { invoke, JOURNAL, sha256, stored } from './fault-harness.js';
import { type Decide, pathOf, proxyBefore } from './scripted-proxy.js';

// The WorkMail archiver invoked at a chosen time of the function's clock (fault rounds 84–86, false-positive round 7:
// journal keys around UTC midnight). Only `Date` is faked, per invocation (timers run); the proxy before the local S3
// dates each request by that clock (the SDK corrects its own by the answers' real Date headers).

const forward: Decide = () => ({ do: 'forward' });

/** What {@link workmailJournalClock}'s `invokeAt` runs besides the message and the time. */
export interface InvokeAtOptions {
  env?: Record<string, string>;
  invocationId?: string;
  timeoutMs?: number;
  /** Collects what the invocation writes to standard output (its log lines, at level INFO). */
  log?: string[];
}

/**
 * The local stack behind a scripted S3 proxy for the file's tests: `decide` scripts S3's answers, `requests` (method and
 * URL, query included) and `paths` (method and path) list what reached it; both reset after each test.
 *
 * @example
 * ```ts
 * const clock = workmailJournalClock();
 * expect(await clock.invokeAt(id, day(0, '00:01:30.000'))).toBe('answered');
 * ```
 */
export function workmailJournalClock() {
  const t = proxyBefore('S3', [JOURNAL]);
  const kit = {
    t,
    decide: forward,
    requests: [] as string[],
    paths: [] as string[],
    /** `yyyy/mm/dd` (with `hour`: `yyyy/mm/dd/hh`) of `d` in UTC, as the default key template writes it. */
    dated: (d: Date, hour = false) =>
      d
        .toISOString()
        .slice(0, hour ? 13 : 10)
        .replaceAll('-', '/')
        .replace('T', '/'),
    /** One invocation of a fresh archiver at `at`: `answered`, or the error it failed with. */
    async invokeAt(id: string, at: Date, options: InvokeAtOptions = {}): Promise<string> {
      const write = process.stdout.write;
      const level = process.env.POWERTOOLS_LOG_LEVEL;
      const log = options.log;
      if (log) {
        process.stdout.write = ((chunk: string | Uint8Array) => log.push(String(chunk)) > 0) as typeof write;
        process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
      }
      vi.useFakeTimers({ toFake: ['Date'], now: at });
      try {
        const handler = archiver({
          JOURNAL_BUCKET: JOURNAL,
          ORGANIZATION_DOMAINS: 'corp.example',
          SYNCHRONOUS: 'true',
          ...options.env,
        });
        const event = makeFlowEvent({
          messageId: id,
          recipients: ['bob@corp.example'],
          ...(options.invocationId ? { invocationId: options.invocationId } : {}),
        });
        const { error } = await invoke(handler, event, options.timeoutMs ?? 60_000);
        return error ? `error ${error.name}: ${error.message}` : 'answered';
      } finally {
        vi.useRealTimers();
        if (log) {
          process.stdout.write = write;
          process.env.POWERTOOLS_LOG_LEVEL = level;
        }
      }
    },
    /** The journal's keys holding `id`, sorted. */
    async journaled(id: string): Promise<string[]> {
      return (await t.stack.listObjects(JOURNAL))
        .map((o) => o.key)
        .filter((k) => k.includes(id))
        .sort();
    },
    /** The copy at `key` holds `bytes`, and its metadata describes them. */
    async described(key: string, bytes: Buffer): Promise<void> {
      expect((await stored(t.stack, JOURNAL, key))?.equals(bytes)).toBe(true);
      const meta = JSON.parse(((await stored(t.stack, JOURNAL, `${key}.json`)) as Buffer).toString('utf8'));
      expect([meta.key, meta.sha256, meta.size]).toEqual([key, sha256(bytes), bytes.length]);
    },
  };
  beforeAll(() => {
    t.proxy.decide = (req, body) => {
      const now = new Date().toISOString();
      req.headers['x-amz-date'] = `${now.slice(0, 19).replace(/[-:]/g, '')}Z`;
      kit.requests.push(`${req.method} ${req.url}`);
      kit.paths.push(`${req.method} ${pathOf(req)}`);
      return kit.decide(req, body);
    };
  });
  afterEach(() => {
    kit.decide = forward;
    kit.requests.length = 0;
    kit.paths.length = 0;
    vi.useRealTimers();
  });
  return kit;
}
