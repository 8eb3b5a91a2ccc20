import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_MESSAGE_LIMITS } from './limits.js';
import { parseMessage } from './parse.js';

// Fault round 64: the full parse listened for its source's errors with `stream.once('error', reject)`. Would a
// second error on the same stream (a read that failed, then the message closed under it at the deadline) be an
// uncaught 'error' event, a crashed runtime in Lambda? Not by destroy(): a Node stream emits 'error' once however
// often it is destroyed, and a parse that failed first on its own (a limit) keeps its listener on the source (held
// below). What was real is the time before the listener: the parse first loads mailparser (the first parse of a
// container loads it from disk), and only then listened. A stream that failed in that window was an uncaught
// 'error' event; a stream already failed or closed by then (the message closed at the deadline: fault round 63's
// abandoned readers) was piped into the parser as if readable, and the parse waited for ever, the rule's work with
// it. The stream is now heard from the start, and one failed or closed before the parse began fails the parse.
const uncaught: unknown[] = [];
const onUncaught = (error: unknown) => uncaught.push(error);
beforeEach(() => {
  uncaught.length = 0;
  process.on('uncaughtException', onUncaught);
});
afterEach(() => {
  process.off('uncaughtException', onUncaught);
});

const settle = (p: Promise<unknown>) =>
  Promise.race([
    p.then(
      () => 'resolved',
      (error: unknown) => error,
    ),
    new Promise((resolve) => setTimeout(() => resolve('still waiting'), 2_000)),
  ]);
const tick = () => new Promise((r) => setTimeout(r, 20));

describe('fault round 64: two failures of the stream a full parse reads', () => {
  it('closed at the deadline before the parse began: the parse fails with it, no wait', async () => {
    const stream = new PassThrough();
    stream.write('Subject: x\r\n\r\nhel');
    // As LazyMessage.close({ abandon: true }) does: a listener, then destroy with `closed`.
    const closed = new Error('message read after the invocation answered at its deadline');
    stream.on('error', () => {});
    stream.destroy(closed);
    await tick();
    const outcome = await settle(parseMessage(stream, DEFAULT_MESSAGE_LIMITS));
    expect({ outcome, uncaught }).toEqual({ outcome: closed, uncaught: [] });
  });

  it('closed without an error before the parse began: fails as closed, no wait', async () => {
    const stream = new PassThrough();
    stream.destroy();
    await tick();
    const outcome = await settle(parseMessage(stream, DEFAULT_MESSAGE_LIMITS));
    expect(outcome).toMatchObject({ name: 'MessageReadError', reason: 'closed' });
    expect(uncaught).toEqual([]);
  });

  it('fails in the same turn as the call (the parser loading): rejects, nothing uncaught', async () => {
    const stream = new PassThrough();
    const parse = parseMessage(stream, DEFAULT_MESSAGE_LIMITS);
    const eio = Object.assign(new Error('spooled message could not be read back: EIO'), { code: 'EIO' });
    stream.destroy(eio);
    const outcome = await settle(parse);
    await tick();
    expect({ outcome, uncaught }).toEqual({ outcome: eio, uncaught: [] });
  });

  it('failed (EIO), then closed at the deadline: rejects with the first, nothing uncaught', async () => {
    const stream = new PassThrough();
    const parse = parseMessage(stream, DEFAULT_MESSAGE_LIMITS);
    stream.write(
      'Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nhi',
    );
    const eio = Object.assign(new Error('spooled message could not be read back: EIO'), { code: 'EIO' });
    await tick();
    stream.destroy(eio);
    stream.destroy(new Error('message read after the invocation answered at its deadline'));
    const outcome = await settle(parse);
    await tick();
    expect({ outcome, uncaught }).toEqual({ outcome: eio, uncaught: [] });
  });

  it('the parse failed on a limit, then its source fails: nothing uncaught', async () => {
    const stream = new PassThrough();
    const parse = parseMessage(stream, { ...DEFAULT_MESSAGE_LIMITS, maxHeaderBytes: 1_000 });
    stream.end(`X-Big: ${'a'.repeat(5_000)}\r\nSubject: x\r\n\r\nbody\r\n`);
    const outcome = await settle(parse);
    expect(outcome).toBeInstanceOf(Error);
    expect(String(outcome)).toMatch(/header size/i);
    stream.destroy(new Error('message read after the invocation answered at its deadline'));
    await tick();
    expect(uncaught).toEqual([]);
  });

  it('parsed whole, then its source is destroyed with an error: nothing uncaught', async () => {
    const stream = new PassThrough();
    const parse = parseMessage(stream, DEFAULT_MESSAGE_LIMITS);
    stream.end('Subject: x\r\nContent-Type: text/plain\r\n\r\nhello\r\n');
    expect(await settle(parse)).toBe('resolved');
    stream.destroy(new Error('closed'));
    await tick();
    expect(uncaught).toEqual([]);
  });
});
