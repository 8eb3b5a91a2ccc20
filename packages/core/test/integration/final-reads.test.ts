import { createHash } from 'node:crypto';
import { readlinkSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LocalStack, startLocalStack } from '@wmflow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FlowClients, flow, type Rule, rule } from '../../src/index.js';
import { captureLogger, lambdaContext, makeFlowEvent } from '../../src/testing/index.js';

// The engine tells the message when the last rule runs and no edit can be committed: that rule's full read
// is the invocation's last, so the bytes past the memory share are handed on instead of spilled to /tmp.
let stack: LocalStack;
let clients: FlowClients;
let spillDir: string;
const savedTmp = process.env.TMPDIR;
const CRLF = '\r\n';
const message = Buffer.concat([
  Buffer.from(['From: a@partner.example', 'To: b@corp.example', 'Subject: big', '', ''].join(CRLF)),
  Buffer.alloc(6 * 1024 * 1024, 'B'),
]);
const sha = (x: Buffer) => createHash('sha256').update(x).digest('hex');

beforeAll(async () => {
  stack = await startLocalStack({});
  clients = { messageFlow: stack.messageFlow, s3: stack.s3 };
  spillDir = await mkdtemp(join(tmpdir(), 'wmflow-final-reads-'));
  process.env.TMPDIR = spillDir;
}, 60_000);
afterAll(async () => {
  process.env.TMPDIR = savedTmp;
  await rm(spillDir, { recursive: true, force: true });
  await stack?.stop();
});

const gets = (id: string) =>
  stack.flow.requests().filter((r) => r.operation === 'get' && r.messageId === id).length;

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

/** A rule that reads the whole message, records its digest and whether a spill file existed at the end. */
function reader(name: string, seen: { sha256: string; spilled: boolean }[]): Rule {
  return rule(name, async (ctx) => {
    const chunks: Buffer[] = [];
    for await (const chunk of ctx.message.stream()) chunks.push(chunk as Buffer);
    const spilled = (await spillFiles()).length > 0;
    seen.push({ sha256: sha(Buffer.concat(chunks)), spilled });
  });
}

async function run(rules: Rule[], options: { synchronous: boolean; updates?: boolean }) {
  const id = stack.flow.load(message);
  const handler = flow({
    clients,
    logger: captureLogger(),
    synchronous: options.synchronous,
    rules,
    ...(options.updates ? { updates: { bucket: 'updates' } } : {}),
  });
  await handler(makeFlowEvent({ messageId: id }), lambdaContext());
  return id;
}

describe('final reads', () => {
  it('hands the last rule its read without a temporary file when no edit can be committed', async () => {
    const seen: { sha256: string; spilled: boolean }[] = [];
    const id = await run([reader('only', seen)], { synchronous: false });
    expect(seen).toEqual([{ sha256: sha(message), spilled: false }]);
    expect(gets(id)).toBe(1);
  });

  it('spools for a later rule, and a read after the hand-off fetches the message again, whole', async () => {
    const readsTwice = (seen: string[]) =>
      rule('reads-twice', async (ctx) => {
        for (let i = 0; i < 2; i++) {
          const chunks: Buffer[] = [];
          for await (const chunk of ctx.message.stream()) chunks.push(chunk as Buffer);
          seen.push(sha(Buffer.concat(chunks)));
        }
      });
    const first: { sha256: string; spilled: boolean }[] = [];
    const last: string[] = [];
    const id = await run([reader('first', first), readsTwice(last)], { synchronous: false });
    // The first rule's read spooled (a later rule might need the bytes); the last rule read from the spool.
    expect(first).toEqual([{ sha256: sha(message), spilled: true }]);
    expect(last).toEqual([sha(message), sha(message)]);
    expect(gets(id)).toBe(1);
    // Alone, the rule is handed the message, then fetches it again: every byte, checked against the bytes held.
    const alone: string[] = [];
    const twice = await run([readsTwice(alone)], { synchronous: false });
    expect(alone).toEqual([sha(message), sha(message)]);
    expect(gets(twice)).toBe(2);
  });

  it('serves two reads running at once in the last rule whole (neither ends at the hand-off)', async () => {
    const seen: string[] = [];
    const concurrent = rule('reads-at-once', async (ctx) => {
      const read = async () => {
        const chunks: Buffer[] = [];
        for await (const chunk of ctx.message.stream()) chunks.push(chunk as Buffer);
        return sha(Buffer.concat(chunks));
      };
      seen.push(...(await Promise.all([read(), read()])));
    });
    await run([concurrent], { synchronous: false });
    expect(seen).toEqual([sha(message), sha(message)]);
  });

  it.each([
    ['changed past the memory share (same length)', { kind: 'changed-content' }, 'changed'],
    ['short, with a matching Content-Length', { kind: 'short-body', bytes: 3_000_000 }, 'changed'],
    ['reset mid-body', { kind: 'broken-stream', afterBytes: 3_000_000 }, 'source'],
  ] as const)('fails a read after the hand-off whose fetch is %s', async (_, fault, reason) => {
    const outcomes: { first?: string; second?: unknown }[] = [];
    const readsTwice = rule('reads-twice', async (ctx) => {
      const read = async () => {
        const chunks: Buffer[] = [];
        for await (const chunk of ctx.message.stream()) chunks.push(chunk as Buffer);
        return sha(Buffer.concat(chunks));
      };
      const first = await read();
      const second = await read().catch((error: unknown) => error);
      outcomes.push({ first, second });
    });
    const id = stack.flow.load(message);
    stack.flow.injectFault(fault, { messageId: id, operation: 'get', skip: 1, times: 1 });
    const handler = flow({ clients, logger: captureLogger(), synchronous: false, rules: [readsTwice] });
    await handler(makeFlowEvent({ messageId: id }), lambdaContext());
    expect(gets(id)).toBe(2);
    expect(outcomes[0]?.first).toBe(sha(message));
    expect(outcomes[0]?.second).toMatchObject({ name: 'MessageReadError', reason });
  });

  it('stops a read after the hand-off whose fetch stalls when the deadline fires: an error, never a short message', async () => {
    const seen: unknown[] = [];
    const readsTwice = rule('reads-twice', async (ctx) => {
      for (let i = 0; i < 2; i++) {
        const chunks: Buffer[] = [];
        try {
          for await (const chunk of ctx.message.stream()) chunks.push(chunk as Buffer);
          seen.push(sha(Buffer.concat(chunks)));
        } catch (error) {
          seen.push(error);
        }
      }
    });
    const id = stack.flow.load(message);
    // The second GetRawMessageContent waits far past the invocation's 4 s.
    stack.flow.injectFault(
      { kind: 'latency', ms: 120_000 },
      { messageId: id, operation: 'get', skip: 1, times: 1 },
    );
    const handler = flow({ clients, logger: captureLogger(), synchronous: false, rules: [readsTwice] });
    await handler(makeFlowEvent({ messageId: id }), lambdaContext({ timeoutMs: 4_000 })).catch(
      () => undefined,
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(seen[0]).toBe(sha(message));
    // The invocation closed the message at its deadline: the stalled read ends with an error, not early and clean.
    expect(seen).toHaveLength(2);
    expect(seen[1]).toMatchObject({ name: 'MessageReadError' });
  }, 60_000);

  it('keeps spooling in the last rule of a synchronous flow that can commit edits (the editor reads after it)', async () => {
    const seen: { sha256: string; spilled: boolean }[] = [];
    await run([reader('only', seen)], { synchronous: true, updates: true });
    expect(seen).toEqual([{ sha256: sha(message), spilled: true }]);
  });
});
