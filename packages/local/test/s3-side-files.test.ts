import { mkdtemp, readdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { objectExists, readSideFilesInline } from '../src/s3/small-files.js';

type Store = Parameters<typeof readSideFilesInline>[0] & {
  putBucket(bucket: string): Promise<unknown>;
  existsObject(bucket: string, key: string): Promise<boolean>;
  putObject(object: unknown): Promise<{ size: number; md5: string }>;
};
const load = createRequire(import.meta.url);
const FilesystemStore = load('s3rver/lib/stores/filesystem') as new (root: string) => Store;
const S3Object = load('s3rver/lib/models/object') as new (
  bucket: string,
  key: string,
  content: unknown,
  metadata: Record<string, string>,
) => unknown;

// s3rver's own store and the patched one over the same folder: every read must give the same answer.
let root: string;
let original: Store;
let inline: Store;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'wmflow-side-files-'));
  original = new FilesystemStore(root);
  inline = new FilesystemStore(root);
  readSideFilesInline(inline);
  await original.putBucket('b');
  const metadata = {
    'content-type': 'message/rfc822',
    'x-amz-meta-origin': 'test',
    'cache-control': 'no-cache',
  };
  await original.putObject(
    new S3Object('b', 'dir/with-meta', Readable.from([Buffer.from('hello')]), metadata),
  );
  await original.putObject(new S3Object('b', 'no-md5', Readable.from([Buffer.from('bytes')]), {}));
  await writeFile(join(root, 'not-a-bucket'), 'x');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function settle<T>(promise: Promise<T>): Promise<{ value?: T; code?: string }> {
  try {
    return { value: await promise };
  } catch (error) {
    return { code: (error as NodeJS.ErrnoException).code ?? String(error) };
  }
}

describe('readSideFilesInline (s3rver side files read without the thread pool)', () => {
  it('gives the metadata s3rver gives: stored headers, ETag, size, date', async () => {
    const mine = await inline.getMetadata('b', 'dir/with-meta');
    expect(mine).toEqual(await original.getMetadata('b', 'dir/with-meta'));
    expect(mine).toMatchObject({
      'content-type': 'message/rfc822',
      'x-amz-meta-origin': 'test',
      etag: JSON.stringify('5d41402abc4b2a76b9719d911017c592'),
      'content-length': 5,
    });
  });

  it('an object without an MD5 file: computes and stores it, as s3rver does', async () => {
    await unlink(join(root, 'b', 'no-md5._S3rver_object.md5'));
    const mine = await inline.getMetadata('b', 'no-md5');
    expect(mine.etag).toBe(JSON.stringify('4b3a6218bb3e3a7303e8a171a60fcf92'));
    expect(await readFile(join(root, 'b', 'no-md5._S3rver_object.md5'), 'utf8')).toBe(
      '4b3a6218bb3e3a7303e8a171a60fcf92',
    );
    expect(mine).toEqual(await original.getMetadata('b', 'no-md5'));
  });

  it('an object without a metadata file: the intrinsic fields only, as s3rver does', async () => {
    await unlink(join(root, 'b', 'no-md5._S3rver_metadata.json'));
    expect(await inline.getMetadata('b', 'no-md5')).toEqual(await original.getMetadata('b', 'no-md5'));
  });

  it('a missing object fails with ENOENT, as s3rver expects', async () => {
    expect(await settle(inline.getMetadata('b', 'nothing'))).toEqual({ code: 'ENOENT' });
    expect(await settle(original.getMetadata('b', 'nothing'))).toEqual({ code: 'ENOENT' });
  });

  it('writes the same object, MD5 and metadata files as s3rver, from a stream or a buffer', async () => {
    const metadata = {
      'x-amz-meta-b': '2',
      'content-type': 'text/plain',
      host: 'not stored',
      'x-amz-meta-a': '1',
      'content-disposition': 'inline',
    };
    const body = Buffer.alloc(200_000, 'mail ');
    const files = async (key: string) =>
      Promise.all(
        ['object', 'object.md5', 'metadata.json'].map((r) =>
          readFile(join(root, 'b', 'w', `${key}._S3rver_${r}`), 'utf8'),
        ),
      );
    for (const [name, content] of [
      ['stream', () => Readable.from([body.subarray(0, 70_000), body.subarray(70_000)])],
      ['buffer', () => body],
    ] as const) {
      const theirs = await original.putObject(new S3Object('b', `w/${name}-s3rver`, content(), metadata));
      const mine = await inline.putObject(new S3Object('b', `w/${name}-inline`, content(), metadata));
      expect(mine).toEqual(theirs);
      expect(mine.size).toBe(body.length);
      // Written when the PUT ends: the whole object is there to read.
      expect(await files(`${name}-inline`)).toEqual(await files(`${name}-s3rver`));
    }
  });

  it('writes small objects (one synchronous write) and the next size up (streamed) as s3rver does', async () => {
    const files = async (key: string) =>
      Promise.all(
        ['object', 'object.md5', 'metadata.json'].map((r) =>
          readFile(join(root, 'b', 's', `${key}._S3rver_${r}`), 'utf8'),
        ),
      );
    for (const size of [0, 1, 65_536, 65_537]) {
      const body = Buffer.alloc(size, 'meta ');
      // As s3rver's PUT controller makes it: the request's Content-Length among the object's metadata.
      const metadata = { 'content-type': 'application/json', 'content-length': String(size) };
      const halves = () => Readable.from([body.subarray(0, size >> 1), body.subarray(size >> 1)]);
      const theirs = await original.putObject(new S3Object('b', `s/${size}-s3rver`, halves(), metadata));
      const mine = await inline.putObject(new S3Object('b', `s/${size}-inline`, halves(), metadata));
      expect(mine).toEqual(theirs);
      expect(mine.size).toBe(size);
      expect(await files(`${size}-inline`)).toEqual(await files(`${size}-s3rver`));
    }
  });

  it('stores nothing for a body shorter than announced, keeping the object it would replace', async () => {
    const old = Buffer.from('the object as it was');
    await inline.putObject(new S3Object('b', 'k/short', Readable.from([old]), { 'content-length': '20' }));
    for (const content of [() => Readable.from([Buffer.from('abc')]), () => Readable.from([])]) {
      const attempt = inline.putObject(new S3Object('b', 'k/short', content(), { 'content-length': '10' }));
      await expect(attempt).rejects.toThrow(/announced/);
      expect(await readFile(join(root, 'b', 'k', 'short._S3rver_object'))).toEqual(old);
    }
    expect((await readdir(join(root, 'b', 'k'))).filter((name) => name.includes('writing'))).toEqual([]);
  });

  it('tells whether an object exists as s3rver does, with the same error under a file', async () => {
    await writeFile(join(root, 'b', 'plain-file'), 'x');
    for (const key of ['dir/with-meta', 'nothing', 'dir/nothing', 'plain-file/below']) {
      const theirs = await settle(original.existsObject('b', key));
      const mine = await settle(Promise.resolve().then(() => objectExists(inline, 'b', key)));
      expect(mine).toEqual(theirs);
    }
    expect(objectExists(inline, 'b', 'dir/with-meta')).toBe(true);
    expect(objectExists(inline, 'b', 'nothing')).toBe(false);
  });

  it('finds buckets as s3rver does: a folder is one, a file or nothing is none', async () => {
    for (const bucket of ['b', 'not-a-bucket', 'absent']) {
      expect(await inline.getBucket(bucket)).toEqual(await original.getBucket(bucket));
    }
    expect(await inline.getBucket('b')).toMatchObject({ name: 'b' });
    expect(await inline.getBucket('absent')).toBeNull();
    expect(await inline.getBucket('not-a-bucket')).toBeNull();
  });
});
