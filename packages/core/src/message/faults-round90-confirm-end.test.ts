import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LazyMessage } from './message.js';

// Fault round 90: fault round 89's header-block end check and `confirmEnd` at the unit level. The empty line ending
// the header block split across chunks at each byte of it (CR in one chunk, LF in the next; LF, then CRLF), and
// header blocks cut one byte short of it; two callers of confirmEnd at once; a confirming fetch that fails, answers
// longer, or answers the same length.

/** A source answering `chunks` as they are, announcing no length unless `length` is given. */
function source(chunks: readonly (string | Buffer)[], length?: number) {
  async function* gen() {
    for (const c of chunks) {
      await new Promise((r) => setImmediate(r));
      yield typeof c === 'string' ? Buffer.from(c, 'latin1') : c;
    }
  }
  return Object.assign(Readable.from(gen(), { objectMode: false }), { contentLength: length });
}

const settle = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: Error) => `rejected: ${e.name}`,
  );

const read = async (chunks: readonly string[]) => {
  const m = new LazyMessage(async () => source(chunks), { mailOnly: true });
  const r = await Promise.all([settle(m.headers()), settle(m.bytes())]);
  await m.close();
  return r;
};

describe('the empty line ending the header block, split across chunks', () => {
  const whole = 'From: a@b.example\r\nSubject: s\r\n\r\nbody\r\n';
  const blank = whole.indexOf('\r\n\r\n');
  it.each([0, 1, 2, 3, 4].map((k) => [k]))('CRLF CRLF split after its byte %i: whole', async (k) => {
    const at = blank + k;
    expect(await read([whole.slice(0, at), whole.slice(at)])).toEqual(['resolved', 'resolved']);
  });
  it('LF, then CRLF; LF, then LF; CR, then LF CR LF: whole', async () => {
    expect(await read(['From: a@b.example\n', '\r\nbody'])).toEqual(['resolved', 'resolved']);
    expect(await read(['From: a@b.example\n', '\nbody'])).toEqual(['resolved', 'resolved']);
    expect(await read(['From: a@b.example\r', '\n\r\nbody'])).toEqual(['resolved', 'resolved']);
  });
  it('one byte a chunk: whole', async () => {
    expect(await read([...whole])).toEqual(['resolved', 'resolved']);
  });
  it.each([
    ['after the last header line', 'From: a@b.example\r\nSubject: s\r\n'],
    ['on the CR of the empty line', 'From: a@b.example\r\nSubject: s\r\n\r'],
    ['after a CR alone (split)', 'From: a@b.example\r\nSubject: s\r'],
  ])('cut %s, one byte a chunk, no length: a cut read', async (_, cut) => {
    expect(await read([...cut])).toEqual(['rejected: MessageReadError', 'rejected: MessageReadError']);
  });
});

describe('confirmEnd', () => {
  const whole = Buffer.from(
    `From: a@b.example\r\nSubject: s\r\n\r\n${'line of the body\r\n'.repeat(2000)}`,
    'latin1',
  );
  const pieces = (b: Buffer) =>
    Array.from({ length: Math.ceil(b.length / 4096) }, (_, i) => b.subarray(i * 4096, i * 4096 + 4096));

  const lazy = (second: () => Readable) => {
    let opens = 0;
    const m = new LazyMessage(async () => (opens++ === 0 ? source(pieces(whole)) : second()), {
      mailOnly: true,
    });
    return { m, opens: () => opens };
  };

  it('two callers at once: one fetch, the same outcome for both', async () => {
    const { m, opens } = lazy(() => source(pieces(whole)));
    await m.bytes();
    expect(await Promise.all([settle(m.confirmEnd()), settle(m.confirmEnd())])).toEqual([
      'resolved',
      'resolved',
    ]);
    expect(opens()).toBe(2);
    await m.close();
  });

  // Since fault round 99 reads of the bytes held fail after it too (faults-round99-failed-stays-failed.test.ts): a rule
  // after a journal failing open never decides on a cut message.
  it('two callers at once, the fetch answered longer: both fail, and so does a later confirm', async () => {
    const { m, opens } = lazy(() => source(pieces(Buffer.concat([whole, Buffer.from('more\r\n')]))));
    await m.bytes();
    expect(await Promise.all([settle(m.confirmEnd()), settle(m.confirmEnd())])).toEqual([
      'rejected: MessageReadError',
      'rejected: MessageReadError',
    ]);
    expect(opens()).toBe(2);
    expect(await settle(m.confirmEnd())).toBe('rejected: MessageReadError');
    await m.close();
  });

  it('the fetch fails part-way: a failure, not a confirmation', async () => {
    async function* failing() {
      yield whole.subarray(0, 1000);
      throw new Error('connection reset');
    }
    const { m } = lazy(() => Readable.from(failing(), { objectMode: false }));
    await m.bytes();
    expect(await settle(m.confirmEnd())).toBe('rejected: MessageReadError');
    await m.close();
  });

  it('the fetch could not be opened: a failure', async () => {
    const { m } = lazy(() => {
      throw Object.assign(new Error('Message not found'), { name: 'ResourceNotFoundException' });
    });
    await m.bytes();
    expect(await settle(m.confirmEnd())).toBe('rejected: MessageReadError');
    await m.close();
  });

  it('a length was announced: no fetch', async () => {
    let opens = 0;
    const m = new LazyMessage(async () => {
      opens++;
      return source(pieces(whole), whole.length);
    });
    await m.bytes();
    await m.confirmEnd();
    expect(opens).toBe(1);
    await m.close();
  });
});
