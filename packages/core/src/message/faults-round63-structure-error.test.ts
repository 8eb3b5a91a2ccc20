import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_MESSAGE_LIMITS } from './limits.js';
import { checkStructure } from './structure.js';

// Fault round 63: the nesting walk of a full parse (a message naming many multiparts) piped its stream into the
// splitter with no listener for the stream's errors. A read that failed under it (the spill file read back with
// EIO, the message closed at the deadline) was an uncaught 'error' event — in Lambda a crashed runtime, the
// invocation it happens in failed with it — and the walk itself waited for ever.
const uncaught: unknown[] = [];
const onUncaught = (error: unknown) => uncaught.push(error);
afterEach(() => {
  process.off('uncaughtException', onUncaught);
});

describe('fault round 63: checkStructure over a stream that fails', () => {
  it('rejects with the stream error, nothing uncaught, no wait', async () => {
    process.on('uncaughtException', onUncaught);
    const stream = new PassThrough();
    const walk = checkStructure(stream, DEFAULT_MESSAGE_LIMITS);
    stream.write(
      'Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n',
    );
    const failure = Object.assign(new Error('spooled message could not be read back: EIO'), {
      reason: 'spill',
    });
    setTimeout(() => stream.destroy(failure), 10);
    const outcome = await Promise.race([
      walk.then(
        () => 'resolved',
        (error: unknown) => error,
      ),
      new Promise((resolve) => setTimeout(() => resolve('still waiting'), 2_000)),
    ]);
    expect(outcome).toBe(failure);
    expect(uncaught).toEqual([]);
  });
});
