import { describe, expect, it } from 'vitest';
import { JOURNAL, stored, UPDATES } from './fault-harness.js';
import { type Act, proxyBefore } from './scripted-proxy.js';
import { sesStoredKit } from './ses-stored-kit.js';

// Fault round 92: the message SES stored, asked for whole, answered with part of it: a `206` with a Content-Range, or
// a `200` carrying one (something in between serving a cached range), its Content-Length the part's. Under SSE-KMS
// the ETag states no MD5 (round 88 lets such answers through unchecked), so only the range tells. Asked: guard-ses
// never goes on with the last part (`run.exe`) unseen; archiver-ses fails, journaling nothing, and its retry journals
// the whole message.
const t = proxyBefore('S3', [JOURNAL, UPDATES], { AWS_MAX_ATTEMPTS: '1' });
const { store: storeAs, invoke, guard, archiver } = sesStoredKit(t, 'inbound/');
const store = () => storeAs('f92-range');
const KMS = { 'x-amz-server-side-encryption': 'aws:kms', etag: '"5d41402abc4b2a76b9719d911017c592"' };

/** The object's bytes up to its last part, answered with a Content-Range naming them as part of the whole. */
function partAnswer(bytes: Buffer, status: number, headers: Record<string, string> = KMS): Act {
  const at = bytes.toString('latin1').lastIndexOf('--b1\r\nContent-Type: application/octet-stream');
  return {
    do: 'answer',
    status,
    headers: {
      'content-type': 'message/rfc822',
      'last-modified': new Date().toUTCString(),
      'content-range': `bytes 0-${at - 1}/${bytes.length}`,
      ...headers,
    },
    body: bytes.subarray(0, at).toString('latin1'),
  };
}

describe('the stored message asked for whole, answered with a part of it under SSE-KMS', () => {
  it('held: the whole object under SSE-KMS, guard-ses blocks the executable', async () => {
    const { id, bytes } = await store();
    const whole: Act = {
      do: 'answer',
      status: 200,
      headers: { 'content-type': 'message/rfc822', 'last-modified': new Date().toUTCString(), ...KMS },
      body: bytes.toString('latin1'),
    };
    expect(await invoke(guard(), id, whole)).toBe('STOP_RULE_SET');
  }, 60_000);

  it.each([
    ['206 Partial Content', 206],
    ['200 with a Content-Range', 200],
  ])(
    '%s: guard-ses never goes on with the last part unseen',
    async (_name, status) => {
      const { id, bytes } = await store();
      expect(await invoke(guard(), id, partAnswer(bytes, status))).not.toBe('CONTINUE');
    },
    60_000,
  );

  it.each([
    ['206 Partial Content', 206],
    ['200 with a Content-Range', 200],
  ])(
    '%s: archiver-ses fails, journaling nothing; the retry journals the whole message',
    async (_name, status) => {
      const { id, bytes } = await store();
      expect(await invoke(archiver(), id, partAnswer(bytes, status))).toMatch(/^error /);
      expect(await stored(t.stack, JOURNAL, `j/${id}`)).toBeUndefined();
      expect(await invoke(archiver(), id, { do: 'forward' })).not.toMatch(/^error /);
      expect((await stored(t.stack, JOURNAL, `j/${id}`))?.equals(bytes)).toBe(true);
    },
    60_000,
  );
});
