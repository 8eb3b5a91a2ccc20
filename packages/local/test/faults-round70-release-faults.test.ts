import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultProxy } from '../src/faults/fault-proxy.js';
import { type LocalStack, startLocalStack } from '../src/index.js';
import { jsonLines, wmflow } from './replay-helpers.js';

// Fault round 70 (held probes): a message guard-ses held, with its record of why (`held/<id>.json`), listed and
// released through the CLI while S3 resets connections mid-answer, answers 500, loses the answers of writes it applied
// (the copy among them) and answers reads with a part of the object. Whatever the faults, `release` never delivers
// other or cut bytes, never loses the held copy, and says `released`/`already released` only of a copy that is the
// held message; `list` never shows a reason that is not the record's, and a reason it could not read fails the run.
const BUCKET = 'acme-inbound';
let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack({ buckets: [BUCKET] });
});
afterAll(async () => {
  await stack.stop();
});

const held = (tag: string) =>
  Buffer.concat([
    Buffer.from(`From: ann@partner.example\r\nTo: bob@corp.example\r\nSubject: ${tag}\r\n\r\n`),
    Buffer.alloc(300_000, `${tag} held line\r\n`),
  ]);
const put = (Key: string, Body: Buffer | string) =>
  stack.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body }));
const read = async (Key: string): Promise<Buffer | undefined> => {
  try {
    const got = await stack.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key }));
    return Buffer.from(
      await (got.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
    );
  } catch {
    return undefined;
  }
};
const record = (messageId: string, reason: string) =>
  JSON.stringify({
    version: 1,
    messageId,
    disposition: 'STOP_RULE',
    cause: 'retryable-error',
    reason,
    heldAt: '2026-12-07T09:00:00.000Z',
  });

const SPEC = (seed: number) => `seed=${seed},reset=0.2,error=0.15,lost=0.25,partial=0.15`;

describe('a held message released under S3 faults (fault round 70)', () => {
  it('each seed: released exactly, or not released and nothing else there; a clean rerun releases it exactly', async () => {
    let faults = 0;
    const codes: (number | null)[] = [];
    for (let seed = 1; seed <= 6; seed++) {
      const id = `rel${seed}`;
      const bytes = held(id);
      const { ETag } = await put(`quarantine/${id}`, bytes);
      await put(`held/${id}.json`, record(id, 'a check could not finish'));
      const proxy = await startFaultProxy(stack.env.AWS_ENDPOINT_URL_S3 as string, 's3', SPEC(seed));
      try {
        const args = [
          'quarantine',
          'release',
          `s3://${BUCKET}/quarantine/${id}`,
          '--etag',
          ETAG(ETag),
          '--to',
          `s3://${BUCKET}/delivered/`,
        ];
        const run = await wmflow(args, { ...stack.env, AWS_ENDPOINT_URL_S3: proxy.endpoint });
        const stats = proxy.stats();
        faults += stats.resets + stats.errors + stats.lost + stats.partials;
        codes.push(run.code);
        const delivered = await read(`delivered/${id}`);
        // Whatever was said, what is there is the held message or nothing.
        if (delivered) expect(delivered.equals(bytes), `seed ${seed}`).toBe(true);
        if (run.code === 0) {
          expect(run.stdout, `seed ${seed}: ${run.stderr}`).toMatch(/^(released|already released): /);
          expect(delivered?.equals(bytes), `seed ${seed}: said released`).toBe(true);
        } else expect(run.stderr, `seed ${seed}`).toMatch(/not released/);
        // The held copy is never lost.
        expect((await read(`quarantine/${id}`))?.equals(bytes), `seed ${seed}`).toBe(true);
        const again = await wmflow(args, stack.env);
        expect([again.code, again.stdout], again.stderr).toEqual([
          0,
          expect.stringMatching(/^(released|already released): /),
        ]);
        expect((await read(`delivered/${id}`))?.equals(bytes)).toBe(true);
      } finally {
        await proxy.close();
      }
    }
    // The probe bites: faults were injected, and some release under them failed and was made whole by the rerun.
    expect(faults).toBeGreaterThan(0);
    expect(codes).toContain(1);
  }, 240_000);

  it('each seed: list shows every held reason as recorded, or fails (exit 1); never another reason, never a cut listing passed', async () => {
    const ids = ['lst1', 'lst2', 'lst3'];
    for (const id of ids) {
      await put(`quarantine/${id}`, held(id));
      await put(`held/${id}.json`, record(id, `reason of ${id}, ${'x'.repeat(400)}`));
    }
    let unread = 0;
    for (let seed = 11; seed <= 16; seed++) {
      const proxy = await startFaultProxy(stack.env.AWS_ENDPOINT_URL_S3 as string, 's3', SPEC(seed));
      try {
        const run = await wmflow(['quarantine', 'list', `s3://${BUCKET}/quarantine/`, '--json'], {
          ...stack.env,
          AWS_ENDPOINT_URL_S3: proxy.endpoint,
        });
        const lines = run.code === 0 || run.stdout !== '' ? jsonLines(run.stdout) : [];
        for (const line of lines) {
          const id = String(line.key).slice('quarantine/'.length);
          if (!ids.includes(id)) continue;
          const why = line.held as { reason?: string } | null;
          if (why) expect(why.reason, `seed ${seed}`).toBe(`reason of ${id}, ${'x'.repeat(400)}`);
          else {
            unread++;
            expect([run.code, line.heldError], `seed ${seed}`).toEqual([1, expect.any(String)]);
          }
        }
        if (run.code === 0)
          expect(
            lines
              .filter((l) => ids.includes(String(l.key).slice(11)))
              .map((l) => (l.held as { cause: string }).cause),
          ).toEqual(ids.map(() => 'retryable-error'));
      } finally {
        await proxy.close();
      }
    }
    // Some record read did fail under the faults, and the run said so.
    expect(unread).toBeGreaterThan(0);
  }, 240_000);

  it('replaced between list and release: `--etag` releases nothing (IfMatch), the new bytes are not delivered', async () => {
    const bytes = held('swap');
    const { ETag } = await put('quarantine/swap', bytes);
    await put('quarantine/swap', held('another'));
    const run = await wmflow(
      [
        'quarantine',
        'release',
        `s3://${BUCKET}/quarantine/swap`,
        '--etag',
        ETAG(ETag),
        '--to',
        `s3://${BUCKET}/delivered/`,
      ],
      stack.env,
    );
    expect([run.code, run.stderr]).toEqual([1, expect.stringMatching(/changed since it was reviewed/)]);
    await expect(
      stack.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'delivered/swap' })),
    ).rejects.toThrow();
  }, 60_000);
});

function ETAG(etag: string | undefined): string {
  if (!etag) throw new Error('no ETag');
  return etag;
}
