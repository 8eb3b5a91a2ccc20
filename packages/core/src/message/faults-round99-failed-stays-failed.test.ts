import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LazyMessage } from './message.js';
import { MessageReadError } from './read-error.js';

// Fault round 99: the message cache shared by the rules of one invocation, once a read of it has found it cut. A
// message read without a length (a chunked answer ended early but well-formed) looks whole; the journal's confirmEnd
// then fetches it again and finds it longer (`short`, sticky). Before this round the failure was sticky only past the
// bytes held: `bytes()`, `stream()`, `size()`, `parts()`, `textBodies()` and `parsed()` of a later rule (a journal
// failing open under `transientErrors: 'rule-policy'`, then a protection) were served the cut bytes as the whole
// message, and a result memoized before the failure kept being served. Every reader of the body now fails with it.

/** A source answering `bytes` in 4 KiB chunks, announcing no length. */
function source(bytes: Buffer) {
  async function* gen() {
    for (let i = 0; i < bytes.length; i += 4096) {
      await new Promise((r) => setImmediate(r));
      yield bytes.subarray(i, i + 4096);
    }
  }
  return Readable.from(gen(), { objectMode: false });
}

const head = 'From: a@b.example\r\nTo: c@d.example\r\nSubject: s\r\nMIME-Version: 1.0\r\n';
const whole = Buffer.from(
  `${head}Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n` +
    `${'a line of the body\r\n'.repeat(500)}--b\r\nContent-Type: application/octet-stream; name="run.exe"\r\n` +
    'Content-Disposition: attachment; filename="run.exe"\r\nContent-Transfer-Encoding: base64\r\n\r\nTVqQAAMAAAAEAAAA\r\n--b--\r\n',
  'latin1',
);
/** Cut (ended early, well-formed) just before the executable's part: a message that looks whole. */
const cut = whole.subarray(0, whole.indexOf('--b\r\nContent-Type: application/octet-stream'));

const settle = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: Error) => (e instanceof MessageReadError ? `rejected: ${e.reason}` : `rejected: ${e.name}`),
  );
const drained = async (stream: Readable) => {
  for await (const _ of stream);
};

/** A message whose first `cutReads` fetches answer `first` and every later one `later`. */
function lazy(first: Buffer, later: Buffer, cutReads = 1) {
  let opens = 0;
  return new LazyMessage(async () => source(opens++ < cutReads ? first : later), { mailOnly: true });
}

const readers = (m: LazyMessage) => ({
  bytes: () => m.bytes(),
  stream: () => drained(m.stream()),
  lastStream: () => drained(m.lastStream()),
  size: () => m.size(),
  parts: () => m.parts(),
  textBodies: () => m.textBodies(),
  parsed: () => m.parsed(),
});

describe('fault round 99: a message found cut stays failed for every reader of its body', () => {
  for (const name of Object.keys(readers(lazy(whole, whole))) as (keyof ReturnType<typeof readers>)[]) {
    it(`${name}() after confirmEnd found the read cut: fails, never the cut bytes as the message`, async () => {
      const m = lazy(cut, whole);
      await m.bytes();
      expect(await settle(m.confirmEnd())).toBe('rejected: short');
      expect(await settle(readers(m)[name]())).toBe('rejected: short');
      await m.close();
    });

    it(`${name}() read before confirmEnd found the read cut, asked again after: fails`, async () => {
      const m = lazy(cut, whole);
      expect(await settle(readers(m)[name]())).toBe('resolved');
      expect(await settle(m.confirmEnd())).toBe('rejected: short');
      expect(await settle(readers(m)[name]())).toBe('rejected: short');
      await m.close();
    });

    it(`control: ${name}() after confirmEnd confirmed the end: the whole message`, async () => {
      const m = lazy(whole, whole);
      await m.bytes();
      await m.confirmEnd();
      expect(await settle(readers(m)[name]())).toBe('resolved');
      expect(await m.bytes()).toEqual(whole);
      await m.close();
    });
  }

  it('control: the header block read before the failure is still answered (it was read whole)', async () => {
    // The header read releases the source (no length announced); the body read fetches it again, cut the same way.
    const m = lazy(cut, whole, 2);
    const headers = await m.headers();
    await m.bytes();
    expect(await settle(m.confirmEnd())).toBe('rejected: short');
    expect((await m.headers()).subject).toBe(headers.subject);
    await m.close();
  });

  it('a body read failing part-way (a reset): a later reader of the bytes held fails too', async () => {
    let opens = 0;
    async function* failing() {
      yield whole.subarray(0, 2000);
      throw new Error('connection reset');
    }
    const m = new LazyMessage(
      async () => (opens++ === 0 ? Readable.from(failing(), { objectMode: false }) : source(whole)),
      { mailOnly: true },
    );
    expect(await settle(m.bytes())).toBe('rejected: source');
    // The 2,000 bytes held are no message: a stream of them fails rather than ending there.
    expect(await settle(drained(m.stream()))).toBe('rejected: source');
    expect(await settle(m.parts())).toBe('rejected: source');
    await m.close();
  });
});
