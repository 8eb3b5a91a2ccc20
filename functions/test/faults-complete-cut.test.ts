// Fault round 32: a CompleteMultipartUpload whose 200 answer is cut (chunked, ended early but well-formed) is a
// transient failure of uploadInParts, whatever S3 did: the invocation fails and its retry checks or uploads again.
import { S3Client } from '@aws-sdk/client-s3';
import { isTransient, uploadInParts } from '@wmflow/core';
import { type LocalStack, startLocalStack } from '@wmflow/local';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { UPDATES } from './fault-harness.js';
import { isComplete, type ScriptedProxy, scriptedProxy } from './scripted-proxy.js';

let stack: LocalStack;
let s3p: ScriptedProxy;
beforeAll(async () => {
  stack = await startLocalStack({ buckets: [UPDATES] });
  s3p = await scriptedProxy(stack.env.AWS_ENDPOINT_URL_S3 as string);
}, 60_000);
afterAll(async () => {
  await s3p?.close();
  await stack?.stop();
});

for (const keep of [0, 60, 200]) {
  it(`Complete answered 200, chunked, cut after ${keep} bytes: the failure is transient (a retry may succeed)`, async () => {
    s3p.decide = (req) => (isComplete(req) ? { do: 'forward-chunked-cut', keep } : { do: 'forward' });
    const s3 = new S3Client({
      endpoint: s3p.endpoint,
      forcePathStyle: true,
      region: 'us-east-1',
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    const body = (async function* () {
      for (let i = 0; i < 6; i++) yield Buffer.alloc(1 << 20, i);
    })();
    const result = await uploadInParts(s3, { Bucket: UPDATES, Key: `probe-${keep}` }, body, {
      partSize: 5 << 20,
      parallel: 2,
      signal: new AbortController().signal,
    }).then(
      (r) => ({ ok: r.outcome }),
      (e: Error) => ({ error: `${e.name}: ${e.message.slice(0, 120)}`, transient: isTransient(e) }),
    );
    // Before fault round 32 these were not transient (an XML parse error, "NotFound: UnknownError").
    expect(result).toMatchObject({ transient: true });
  });
}
