/**
 * Fault round 86: the skimming splitter's fix (b02a98e: a lone CR held at a chunk's end, its LF opening the next,
 * in a part's blank line) in the real rewrite pipeline: the guard's banner and its attachment strip over the local
 * Message Flow emulator and S3, GetRawMessageContent answered in two pieces cut at every offset around each header
 * block's blank line and each empty body line. Asked: each commits exactly the bytes the uncut read commits.
 */
import { makeFlowEvent } from '@wmflow/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { guard } from '../guard/guard.js';
import { fingerprint, invoke, UPDATES } from './fault-harness.js';
import { cuttingProxy } from './faults-round86-proxy.js';
import { stackBehind } from './scripted-proxy.js';

const t = stackBehind(cuttingProxy, [UPDATES]);
beforeEach(() => {
  t.flow.split = undefined;
});

const INBOX = ['bob@corp.example'];
const BANNER = {
  ORGANIZATION_DOMAINS: 'corp.example',
  UPDATES_BUCKET: UPDATES,
  EXTERNAL_MARKER_KEY: 'fault-round-86-marker-key-0123456789',
  ATTACHMENT_POLICY: 'false',
};
const STRIP = { UPDATES_BUCKET: UPDATES, ATTACHMENT_ACTION: 'strip' };
const BOTH = { ...BANNER, ATTACHMENT_POLICY: 'true', ATTACHMENT_ACTION: 'strip' };

const unsealed = (b: Buffer | undefined) =>
  fingerprint(
    Buffer.from(
      (b ?? Buffer.alloc(0)).toString('latin1').replace(/^X-Wmflow-External-Seal: [0-9a-f]+\r\n/m, ''),
      'latin1',
    ),
  );

const exe = Buffer.concat([Buffer.from('MZ\x90\x00', 'latin1'), Buffer.alloc(60, 1)]).toString('base64');
const HEAD = [
  'From: Mallory <m@evil.example>',
  'To: bob@corp.example',
  'Subject: Parts',
  'Date: Mon, 7 Dec 2026 10:00:00 +0000',
  'Message-ID: <r86-split@evil.example>',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="m"',
  '',
  '',
];
const MESSAGE = Buffer.from(
  [
    ...HEAD,
    '--m',
    'Content-Type: multipart/alternative; boundary="a"',
    '',
    '--a',
    'Content-Type: text/plain; charset=utf-8',
    '',
    '',
    '--a',
    'Content-Type: text/html; charset=utf-8',
    '',
    '<html><head></head><body><p>Pay now.</p></body></html>',
    '',
    '--a--',
    '',
    '--m',
    'Content-Type: text/plain',
    '',
    '',
    '',
    '--m',
    'Content-Type: application/octet-stream; name="run.exe"',
    'Content-Disposition: attachment; filename="run.exe"',
    'Content-Transfer-Encoding: base64',
    '',
    exe,
    '--m',
    'Content-Type: text/plain',
    '',
    '--m--',
    '',
  ].join('\r\n'),
  'latin1',
);

/** Offsets two before to two after each CRLF CRLF and each CRLF starting an empty line. */
function offsets(bytes: Buffer): number[] {
  const at = new Set<number>();
  for (let i = bytes.indexOf('\r\n\r\n'); i >= 0; i = bytes.indexOf('\r\n\r\n', i + 1))
    for (let d = -2; d <= 5; d++) if (i + d > 0 && i + d < bytes.length) at.add(i + d);
  return [...at].sort((a, b) => a - b);
}

// The same parts with a lone CR in each part's blank line (`\r\r\n`), and with bare LF lines.
const LONE_CR = Buffer.from(
  MESSAGE.toString('latin1').replace(/(--[am]\r\nContent-Type: text\/plain[^\r]*)\r\n\r\n/g, '$1\r\n\r\r\n'),
  'latin1',
);
const BARE_LF = Buffer.from(MESSAGE.toString('latin1').replace(/\r\n(?=\r\n--)/g, '\n'), 'latin1');

async function run(
  env: Record<string, string>,
  split?: number[],
  message = MESSAGE,
): Promise<Buffer | undefined> {
  const id = t.stack.flow.load(message);
  t.flow.split = split;
  const { error } = await invoke(
    guard(env),
    makeFlowEvent({ messageId: id, recipients: INBOX, mailFrom: 'm@evil.example' }),
  );
  t.flow.split = undefined;
  if (error) throw error;
  return t.stack.flow.history(id)[1]?.content;
}

for (const [name, env] of [
  ['banner', BANNER],
  ['strip', STRIP],
  ['banner and strip', BOTH],
] as const) {
  describe(`the guard's ${name}, GetRawMessageContent in pieces`, () => {
    it('cut once at each offset around each blank line: the uncut commit', async () => {
      const expected = await run(env);
      expect(expected).toBeDefined();
      const text = expected?.toString('latin1') ?? '';
      if (name !== 'strip') expect(text).toMatch(/Careful|outside|trust/i);
      if (name !== 'banner') expect(text).not.toContain(exe);
      const failures: string[] = [];
      for (const at of offsets(MESSAGE)) {
        const got = await run(env, [at]);
        if (JSON.stringify(unsealed(got)) !== JSON.stringify(unsealed(expected)))
          failures.push(`cut at ${at}`);
      }
      expect(failures).toEqual([]);
    }, 300_000);

    it('cut at every CR of a CRLF (the LF opening the next piece)', async () => {
      const expected = await run(env);
      expect(expected).toBeDefined();
      const crs: number[] = [];
      for (let i = MESSAGE.indexOf('\r\n'); i >= 0; i = MESSAGE.indexOf('\r\n', i + 1)) crs.push(i + 1);
      const failures: string[] = [];
      // Every other CR at once, then the others: many lone CRs in one read.
      for (const parity of [0, 1]) {
        const got = await run(
          env,
          crs.filter((_, i) => i % 2 === parity),
        );
        if (JSON.stringify(unsealed(got)) !== JSON.stringify(unsealed(expected)))
          failures.push(`parity ${parity}`);
      }
      expect(failures).toEqual([]);
    }, 300_000);

    it('a lone CR in the blank lines, and bare LF lines: each cut gives the uncut commit', async () => {
      const failures: string[] = [];
      for (const [kind, message] of [
        ['lone CR', LONE_CR],
        ['bare LF', BARE_LF],
      ] as const) {
        expect(message.equals(MESSAGE)).toBe(false);
        let expected: Buffer | undefined;
        try {
          expected = await run(env, undefined, message);
        } catch (error) {
          expected = Buffer.from(`error ${(error as Error).message}`);
        }
        const marks = new Set<number>();
        for (let i = 0; i < message.length; i++)
          if (message[i] === 13 || message[i] === 10) for (const d of [0, 1]) marks.add(i + d);
        for (const at of marks) {
          if (at <= 0 || at >= message.length) continue;
          let got: Buffer | undefined;
          try {
            got = await run(env, [at], message);
          } catch (error) {
            got = Buffer.from(`error ${(error as Error).message}`);
          }
          if (JSON.stringify(unsealed(got)) !== JSON.stringify(unsealed(expected)))
            failures.push(`${kind}: cut at ${at}: ${got?.subarray(0, 80).toString('latin1')}`);
        }
      }
      expect(failures.slice(0, 10)).toEqual([]);
    }, 600_000);
  });
}
