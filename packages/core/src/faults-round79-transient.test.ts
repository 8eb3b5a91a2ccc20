import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { isTransient } from './transient.js';

// Fault round 79 (F79-2, library level): a connection the function's own machine could not make — the process out of
// file descriptors, the system's file table, socket buffers or local ports exhausted — is transient, as a reset is:
// the machine's state, never an answer about the message. A file that is missing or not permitted is not.
describe('F79-2: local resource exhaustion is transient', () => {
  it.each(['EMFILE', 'ENFILE', 'ENOBUFS', 'ENOMEM', 'EADDRNOTAVAIL'])('%s, alone or as a cause', (code) => {
    const error = Object.assign(new Error(`connect ${code} 127.0.0.1:443 - Local (undefined:undefined)`), {
      code,
      syscall: 'connect',
    });
    expect(isTransient(error)).toBe(true);
    expect(isTransient(new Error('rule failed', { cause: error }))).toBe(true);
  });

  it("Node's own connect error past the descriptor limit", async () => {
    // A socket to a port nobody listens on fails ECONNREFUSED (transient either way); the shape checked is EMFILE's.
    const error = await new Promise<Error>((resolve) => {
      const socket = connect(1, '127.0.0.1');
      socket.on('error', resolve);
    });
    expect(isTransient(error)).toBe(true);
    expect(
      isTransient(
        Object.assign(new Error(error.message.replace(/ECONNREFUSED/g, 'EMFILE')), { code: 'EMFILE' }),
      ),
    ).toBe(true);
  });

  it.each(['ENOENT', 'EACCES', 'EISDIR'])('control: %s is not', (code) => {
    expect(isTransient(Object.assign(new Error(`${code}: open 'x'`), { code }))).toBe(false);
  });
});
