import { readlinkSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LocalStack, startLocalStack } from '@wmflow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FlowClients, flow, rule } from '../../src/index.js';
import { captureLogger, lambdaContext, makeFlowEvent } from '../../src/testing/index.js';

// Fault round 63: one warm Lambda container, several invocations in one process. A rule still reading the
// message when the deadline answers (its own await stalled: an outside call, a slow consumer) holds a reader
// of the spool; the process is frozen and thawed by the next message. The spill file in /tmp must not
// outlive the invocation that wrote it, nor may the reader go on reading message 1 in invocation 2.
let stack: LocalStack;
let clients: FlowClients;
let spillDir: string;
const savedTmp = process.env.TMPDIR;
const CRLF = '\r\n';
const message = Buffer.concat([
  Buffer.from(['From: a@partner.example', 'To: b@corp.example', 'Subject: big', '', ''].join(CRLF)),
  Buffer.alloc(3 * 1024 * 1024, 'B'),
  Buffer.from(CRLF),
]);
const rejections: unknown[] = [];
const onRejection = (reason: unknown) => rejections.push(reason);

beforeAll(async () => {
  stack = await startLocalStack({});
  clients = { messageFlow: stack.messageFlow, s3: stack.s3 };
  spillDir = await mkdtemp(join(tmpdir(), 'wmflow-r63-'));
  process.env.TMPDIR = spillDir;
  process.on('unhandledRejection', onRejection);
}, 60_000);
afterAll(async () => {
  process.off('unhandledRejection', onRejection);
  process.env.TMPDIR = savedTmp;
  await rm(spillDir, { recursive: true, force: true });
  await stack?.stop();
});

/**
 * Spill files in the spill folder, listed or held open by this process: the spool unlinks its file once open (fault
 * round 79), so what it keeps of /tmp shows among the process's open files, named with ` (deleted)`.
 */
const spillFiles = async () => [
  ...(await readdir(spillDir)).filter((f) => f.startsWith('wmflow-spool-')),
  ...(await readdir('/proc/self/fd')).flatMap((fd) => {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      return target.startsWith(join(spillDir, 'wmflow-spool-')) ? [target] : [];
    } catch {
      return [];
    }
  }),
];
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('fault round 63: a reader left running at the deadline', () => {
  it.each([
    ['handed on (no edit can be committed)', false],
    ['spilled to /tmp (an updates bucket)', true],
  ])(
    '%s: leaves no spill file behind, and reads no more of message 1 once thawed',
    async (_, spills) => {
      const thaw: Array<() => void> = [];
      const readAfterThaw: number[] = [];
      const errors: string[] = [];
      const logger = captureLogger();
      const handler = flow({
        clients,
        logger,
        deadline: { safetyMarginMs: 200 },
        ...(spills ? { updates: { bucket: 'updates' } } : {}),
        rules: [
          rule('slow-reader', async (ctx) => {
            let read = 0;
            let stalled = false;
            try {
              for await (const chunk of ctx.message.stream()) {
                read += (chunk as Buffer).length;
                if (stalled) readAfterThaw.push(read);
                // Past the memory share (2 MiB): the bytes are in the spill file. Then the rule's own await stalls.
                if (!stalled && read > 2.5 * 1024 * 1024) {
                  stalled = true;
                  await new Promise<void>((resolve) => thaw.push(resolve));
                }
              }
            } catch (error) {
              errors.push((error as Error).message);
            }
          }),
        ],
      });
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const id = stack.flow.load(message);
        ids.push(id);
        const answer = await handler(makeFlowEvent({ messageId: id }), lambdaContext({ timeoutMs: 1500 }));
        expect(answer).toEqual({ actions: [{ action: { type: 'DEFAULT' }, allRecipients: true }] });
        expect(logger.lines.at(-1)?.attributes).toMatchObject({ messageId: id, deadlineHit: true });
        // The process is frozen here; the next invocation thaws it, and the stalled rule of the last one resumes.
        await pause(50);
        expect(await spillFiles()).toEqual([]);
        for (const resume of thaw.splice(0)) resume();
        await pause(50);
      }
      expect(readAfterThaw).toEqual([]);
      // Each thawed reader is told why it stops: never a clean end, which would read as a shorter message.
      expect(errors).toEqual(Array(3).fill('message read after the invocation answered at its deadline'));
      expect(await spillFiles()).toEqual([]);
      expect(rejections).toEqual([]);
    },
    30_000,
  );
});
