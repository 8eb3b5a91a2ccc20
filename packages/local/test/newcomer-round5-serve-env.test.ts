import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SAMPLES } from './helpers.js';
import { collect, FROM_SOURCE, ROOT } from './replay-helpers.js';
import { exitCode, startServe } from './serve-helpers.js';

// Newcomer round 5: docs/own-lambda.md step 5 told a handler that edits to add `"UPDATES_BUCKET": "updates"` to
// "the function's entry" of env.local.json, a file `wmflow serve --env-json` writes afresh on every run (its ports
// change) and which has no such entry: the line added by hand was gone at the next run, and `sam local invoke` then
// staged the update in the template's `!Ref UpdatesBucket`. `serve --env KEY=VALUE` now puts the variable in the
// file (and the export lines), and makes the bucket a variable ending in `_BUCKET` names, as `replay --env` does.
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-newcomer-r5-serve-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('serve --env: the variables go into the --env-json file, and the buckets they name exist', async () => {
  const envJson = join(dir, 'env.local.json');
  const served = await startServe([
    '--load',
    `${SAMPLES}plain.eml`,
    '--env-json',
    envJson,
    '--env',
    'UPDATES_BUCKET=updates',
    '--env',
    'JOURNAL_BUCKET=journal',
    '--env',
    'EXTERNAL_MARKER_KEY=0123456789abcdef0123',
  ]);
  const exited = exitCode(served.child);
  try {
    const { Parameters } = JSON.parse(await readFile(envJson, 'utf8')) as {
      Parameters: Record<string, string>;
    };
    expect(Parameters).toMatchObject({
      UPDATES_BUCKET: 'updates',
      JOURNAL_BUCKET: 'journal',
      EXTERNAL_MARKER_KEY: '0123456789abcdef0123',
      AWS_ENDPOINT_URL_S3: served.env.AWS_ENDPOINT_URL_S3,
    });
    expect(served.env).toMatchObject({ UPDATES_BUCKET: 'updates', JOURNAL_BUCKET: 'journal' });
    const s3 = new S3Client({
      region: served.env.AWS_REGION as string,
      endpoint: served.env.AWS_ENDPOINT_URL_S3 as string,
      credentials: {
        accessKeyId: served.env.AWS_ACCESS_KEY_ID as string,
        secretAccessKey: served.env.AWS_SECRET_ACCESS_KEY as string,
      },
    });
    for (const Bucket of ['updates', 'journal'])
      expect((await s3.send(new HeadBucketCommand({ Bucket }))).$metadata.httpStatusCode).toBe(200);
    s3.destroy();
  } finally {
    served.child.kill('SIGTERM');
  }
  expect(await exited).toBe(0);
});

it('serve --env refuses a pair without a name, as replay does, before starting anything', async () => {
  const run = await collect(process.execPath, [...FROM_SOURCE, 'serve', '--env', '=x'], {
    cwd: ROOT,
    env: { ...process.env },
  });
  expect(run.code).toBe(1);
  expect(run.stderr).toContain('--env =x: expected KEY=VALUE');
  expect(run.stdout).toBe('');
});
