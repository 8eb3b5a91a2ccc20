import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { JOURNAL, stored, UPDATES } from './fault-harness.js';
import { type Act, proxyBefore } from './scripted-proxy.js';
import { sesStoredKit } from './ses-stored-kit.js';

// Fault round 87: the message SES stored, answered by GetObject as a 200 whose Content-Length and body agree but are
// shorter than the object (something in between cutting the answer and its length, as a chunked answer ended early
// but well formed is cut: round 52 refuses that one). The cut here drops the last part, the one with `run.exe`.
// Asked: guard-ses fails or blocks, never goes on with the part unseen; archiver-ses fails, journaling nothing.
const t = proxyBefore('S3', [JOURNAL, UPDATES], { AWS_MAX_ATTEMPTS: '1' });
const { store: storeAs, invoke, guard, archiver } = sesStoredKit(t, 'inbound/');
const store = (size?: number) => storeAs('f87-short', size);

/** The object's first bytes up to its last part, answered as the whole with its ETag (the MD5 of the whole). */
function cutAnswer(bytes: Buffer, headers: Record<string, string> = {}): Act {
  const text = bytes.toString('latin1');
  const at = text.lastIndexOf('--b1\r\nContent-Type: application/octet-stream');
  return {
    do: 'answer',
    status: 200,
    headers: {
      'content-type': 'message/rfc822',
      etag: `"${createHash('md5').update(bytes).digest('hex')}"`,
      'last-modified': new Date().toUTCString(),
      ...headers,
    },
    body: text.slice(0, at),
  };
}

describe('F87-2: the stored message answered shorter, its length cut to match', () => {
  it('held: a chunk answer cut at the same place (round 52): archiver-ses fails, nothing journaled', async () => {
    const { id, bytes } = await store();
    const at = bytes.toString('latin1').lastIndexOf('--b1\r\nContent-Type: application/octet-stream');
    expect(await invoke(archiver(), id, { do: 'forward-chunked-cut', keep: at })).toMatch(/^error /);
    expect(await stored(t.stack, JOURNAL, `j/${id}`)).toBeUndefined();
  }, 60_000);

  it('held: uncut, guard-ses blocks the executable', async () => {
    const { id } = await store();
    expect(await invoke(guard(), id, { do: 'forward' })).not.toBe('CONTINUE');
  }, 60_000);

  it('guard-ses: fails or blocks, never goes on with the last part unseen', async () => {
    const { id, bytes } = await store();
    expect(await invoke(guard(), id, cutAnswer(bytes))).not.toBe('CONTINUE');
  }, 60_000);

  it.each([
    ['20 kB', 20_000],
    ['12 MB, journaled in parts', 12_000_000],
  ])(
    'archiver-ses, %s: fails, journaling nothing; the retry journals the whole message',
    async (_size, size) => {
      const { id, bytes } = await store(size);
      expect(await invoke(archiver(), id, cutAnswer(bytes))).toMatch(/^error /);
      expect(await stored(t.stack, JOURNAL, `j/${id}`)).toBeUndefined();
      expect(await stored(t.stack, JOURNAL, `j/${id}.json`)).toBeUndefined();
      expect(await invoke(archiver(), id, { do: 'forward' })).not.toMatch(/^error /);
      expect((await stored(t.stack, JOURNAL, `j/${id}`))?.equals(bytes)).toBe(true);
      // Nothing else under the key: no cut copy that landed after the failed invocation's answer (a repaired copy).
      const keys = (await t.stack.listObjects(JOURNAL)).map((o) => o.key).filter((k) => k.includes(id));
      expect(keys.sort()).toEqual([`j/${id}`, `j/${id}.json`]);
    },
    60_000,
  );
});
