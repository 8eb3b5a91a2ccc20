import type { S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { TransientError } from '../transient.js';
import { confirmCompleted } from './confirm-complete.js';

// False-positive round 12 (fault round 91 HEADs the object after every CompleteMultipartUpload and compares the
// ETags): S3-compatible stores write the same ETag differently between the Complete answer and the HEAD (quoted or
// not, `W/`, upper-case hex, padded). The same ETag so written is the same upload; another one is still refused.
const SIZE = 6 * 1024 * 1024;
const ETAG = '"9b2cf535f27731c974343645a3985328-2"';
const store = (head: { ContentLength?: number; ETag?: string }) =>
  ({ send: async () => head }) as unknown as S3Client;
const confirm = (answered: string | undefined, head: { ContentLength?: number; ETag?: string }) =>
  confirmCompleted(
    store(head),
    { Bucket: 'journal', Key: 'k' },
    SIZE,
    answered,
    new AbortController().signal,
  );

describe('FP12-2: the same ETag written differently (confirmed)', () => {
  const same: Record<string, [string, string]> = {
    'quoted in the answer, bare in the HEAD': [ETAG, ETAG.slice(1, -1)],
    'bare in the answer, quoted in the HEAD': [ETAG.slice(1, -1), ETAG],
    'a weak W/ prefix on the HEAD': [ETAG, `W/${ETAG}`],
    'upper-case hex in the HEAD': [ETAG, ETAG.toUpperCase()],
    'upper-case hex in the answer': [ETAG.toUpperCase(), ETAG],
    'white space around the answer': [` ${ETAG}\n`, ETAG],
    'the answer quoted as &quot; left undecoded': [`&quot;${ETAG.slice(1, -1)}&quot;`, ETAG],
  };
  for (const [name, [answered, head]] of Object.entries(same)) {
    it(name, async () => {
      await expect(confirm(answered, { ContentLength: SIZE, ETag: head })).resolves.toBeUndefined();
    });
  }
  it('a HEAD with a length and no ETag', async () => {
    await expect(confirm(ETAG, { ContentLength: SIZE })).resolves.toBeUndefined();
  });
});

describe('FP12-2 controls (refused)', () => {
  it('another ETag', async () => {
    await expect(
      confirm(ETAG, { ContentLength: SIZE, ETag: '"0b2cf535f27731c974343645a3985328-2"' }),
    ).rejects.toBeInstanceOf(TransientError);
  });
  it('another part count', async () => {
    await expect(
      confirm(ETAG, { ContentLength: SIZE, ETag: '"9b2cf535f27731c974343645a3985328-3"' }),
    ).rejects.toBeInstanceOf(TransientError);
  });
  it('another length', async () => {
    await expect(confirm(ETAG, { ContentLength: SIZE - 1, ETag: ETAG })).rejects.toBeInstanceOf(
      TransientError,
    );
  });
});
