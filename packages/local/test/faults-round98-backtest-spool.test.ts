import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type JournalSource, openSource } from '../src/backtest/source.js';
import { type LocalStack, startLocalStack } from '../src/index.js';
import { ENV, parseBacktest, run } from './backtest-helpers.js';

// Fault round 98 (F98-1): `wmflow backtest s3://…` copies each message into a spool folder under the temporary folder
// before it is judged. A fetch that failed (the body cut on its way, a copy that is not what its metadata says, a disk
// that filled) left its copy, whole or partial, in the spool until the run ended: a disk filled by one message larger
// than the room left stayed full, and every later message of the run failed `ENOSPC` though it would have fit. A
// folder source removes the copy of a failed check; the S3 source now does the same on every failure.

const BUCKET = 'journal98';
const small = (n: number) =>
  Buffer.from(
    `From: a${n}@partner.example\r\nTo: b@corp.example\r\nSubject: hello ${n}\r\nMessage-ID: <m${n}@partner.example>\r\n` +
      `Date: Mon, 7 Dec 2026 10:00:00 +0000\r\n\r\nhello there ${n}\r\n`,
  );
const big = (bytes: number) =>
  Buffer.concat([
    Buffer.from(
      'From: big@partner.example\r\nTo: b@corp.example\r\nSubject: big\r\nMessage-ID: <big@partner.example>\r\n' +
        'Date: Mon, 7 Dec 2026 10:00:00 +0000\r\n\r\n',
    ),
    Buffer.from(`${'0123456789abcdef'.repeat(4)}\r\n`.repeat(Math.ceil(bytes / 66))),
  ]);
const meta = (key: string, bytes: Buffer) =>
  JSON.stringify({
    key,
    direction: 'INBOUND',
    envelope: { mailFrom: 'a@partner.example', recipients: ['b@corp.example'] },
    sha256: createHash('sha256').update(bytes).digest('hex'),
    size: bytes.length,
  });

/** Every file below `dir` (the spool folders the source made there), by path. */
async function filesBelow(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true }))
    if (entry.isFile()) out.push(join(entry.parentPath, entry.name));
  return out;
}

/** A loopback proxy in front of the local S3: GETs of a key in `cut` send their head and half the body, then reset. */
async function cuttingProxy(upstream: string): Promise<{
  endpoint: string;
  cut: Set<string>;
  answers: Map<string, { headers: Record<string, string>; body: Buffer }>;
  close(): Promise<void>;
}> {
  const target = new URL(upstream);
  const cut = new Set<string>();
  // GETs of a key here are answered 200 with these headers and body, in S3's place.
  const answers = new Map<string, { headers: Record<string, string>; body: Buffer }>();
  const server: Server = createServer((req: IncomingMessage, res) => {
    const asked = decodeURIComponent((req.url ?? '').split('?')[0] ?? '');
    const answer = [...answers].find(([k]) => asked === `/${BUCKET}/${k}`)?.[1];
    if (req.method === 'GET' && answer) {
      req.resume();
      res.writeHead(200, { ...answer.headers, 'content-length': String(answer.body.length) });
      res.end(answer.body);
      return;
    }
    const out = request({
      host: target.hostname,
      port: target.port,
      method: req.method,
      path: req.url,
      headers: req.headers,
      agent: false,
    });
    out.on('error', () => res.destroy());
    out.on('response', (answer) => {
      const path = decodeURIComponent((req.url ?? '').split('?')[0] ?? '');
      const cutting = req.method === 'GET' && [...cut].some((k) => path === `/${BUCKET}/${k}`);
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      if (!cutting) {
        answer.pipe(res);
        return;
      }
      let budget = Math.floor(Number(answer.headers['content-length']) / 2);
      answer.on('data', (chunk: Buffer) => {
        if (budget <= 0) return;
        const part = chunk.subarray(0, budget);
        budget -= part.length;
        res.write(part);
        if (budget <= 0) {
          answer.destroy();
          // The bytes written reach the client, then the connection is reset.
          setTimeout(() => res.socket?.resetAndDestroy(), 50);
        }
      });
    });
    req.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    cut,
    answers,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

let stack: LocalStack;
let proxy: Awaited<ReturnType<typeof cuttingProxy>>;
let s3: S3Client;
const put = (Key: string, Body: Buffer | string) =>
  stack.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body }));

beforeAll(async () => {
  stack = await startLocalStack({ buckets: [BUCKET] });
  proxy = await cuttingProxy(stack.env.AWS_ENDPOINT_URL_S3 as string);
  s3 = new S3Client({
    endpoint: proxy.endpoint,
    region: stack.env.AWS_REGION,
    forcePathStyle: true,
    maxAttempts: 1,
    credentials: {
      accessKeyId: stack.env.AWS_ACCESS_KEY_ID,
      secretAccessKey: stack.env.AWS_SECRET_ACCESS_KEY,
    },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}, 60_000);
afterAll(async () => {
  s3?.destroy();
  await proxy?.close();
  await stack?.stop();
});

describe('F98-1: a fetch of the S3 source that fails leaves nothing in the spool', () => {
  let spoolRoot: string;
  let source: JournalSource | undefined;
  const savedTmp = process.env.TMPDIR;
  const open = async () => {
    spoolRoot = await mkdtemp(join(tmpdir(), 'wmflow-r98-'));
    // The source's spool goes under the temporary folder of the moment it is made.
    process.env.TMPDIR = spoolRoot;
    source = await openSource(`s3://${BUCKET}/spool/`, { s3 });
    return source;
  };
  afterEach(async () => {
    await source?.close();
    source = undefined;
    if (savedTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmp;
    proxy.cut.clear();
    proxy.answers.clear();
    await rm(spoolRoot, { recursive: true, force: true });
  });

  it('a copy that is not what its metadata says: refused, its copy removed', async () => {
    const bytes = small(1);
    const changed = Buffer.from(bytes);
    changed[changed.length - 3] = 0x21;
    await put('spool/changed', changed);
    await put('spool/changed.json', meta('spool/changed', bytes));
    const src = await open();
    await expect(src.fetch('spool/changed')).rejects.toThrow(/SHA-256 .* but the journal wrote/);
    expect(await filesBelow(spoolRoot)).toEqual([]);
  });

  it('a body cut on its way (reset half-way): refused, its partial copy removed', async () => {
    const bytes = big(300_000);
    await put('spool/cut', bytes);
    await put('spool/cut.json', meta('spool/cut', bytes));
    proxy.cut.add('spool/cut');
    const src = await open();
    await expect(src.fetch('spool/cut')).rejects.toThrow();
    expect(await filesBelow(spoolRoot)).toEqual([]);
  });

  it('metadata that cannot be read whole (cut on its way): refused, the message copy removed', async () => {
    const bytes = small(2);
    const text = meta('spool/meta-cut', bytes).padEnd(20_000, ' ');
    await put('spool/meta-cut', bytes);
    await put('spool/meta-cut.json', text);
    proxy.cut.add('spool/meta-cut.json');
    const src = await open();
    await expect(src.fetch('spool/meta-cut')).rejects.toThrow();
    expect(await filesBelow(spoolRoot)).toEqual([]);
  });

  it('a copy without metadata answered cut with its length (SSE-KMS: no MD5 ETag), its checksum stated: refused', async () => {
    // Journaled without metadata, nothing but S3's checksum of the object tells a cut answer from the copy; the
    // source asks for it (ChecksumMode), so the SDK checks it whatever AWS_RESPONSE_CHECKSUM_VALIDATION says (here
    // WHEN_REQUIRED, the client's setting).
    const bytes = big(40_000);
    await put('spool/no-meta', bytes);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(bytes));
    proxy.answers.set('spool/no-meta', {
      headers: {
        'content-type': 'message/rfc822',
        etag: `"${createHash('sha1').update(bytes).digest('hex').slice(0, 32)}"`,
        'last-modified': new Date().toUTCString(),
        'x-amz-server-side-encryption': 'aws:kms',
        'x-amz-checksum-crc32': crc.toString('base64'),
        'x-amz-checksum-type': 'FULL_OBJECT',
      },
      body: bytes.subarray(0, 30_000),
    });
    const src = await open();
    await expect(src.fetch('spool/no-meta')).rejects.toThrow(/checksum/i);
    expect(await filesBelow(spoolRoot)).toEqual([]);
  });

  it('control: the same copy answered whole with its checksum is read byte for byte', async () => {
    const bytes = big(40_000);
    await put('spool/no-meta-whole', bytes);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(bytes));
    proxy.answers.set('spool/no-meta-whole', {
      headers: {
        'content-type': 'message/rfc822',
        etag: `"${createHash('sha1').update(bytes).digest('hex').slice(0, 32)}"`,
        'last-modified': new Date().toUTCString(),
        'x-amz-server-side-encryption': 'aws:kms',
        'x-amz-checksum-crc32': crc.toString('base64'),
        'x-amz-checksum-type': 'FULL_OBJECT',
      },
      body: bytes,
    });
    const src = await open();
    const item = await src.fetch('spool/no-meta-whole');
    expect((await readFile(item.path)).equals(bytes)).toBe(true);
    await src.release(item);
  });

  it('control: an intact copy is read, byte for byte, and release removes it', async () => {
    const bytes = small(3);
    await put('spool/intact', bytes);
    await put('spool/intact.json', meta('spool/intact', bytes));
    const src = await open();
    const item = await src.fetch('spool/intact');
    expect((await stat(item.path)).size).toBe(bytes.length);
    expect(await filesBelow(spoolRoot)).toEqual([item.path]);
    await src.release(item);
    expect(await filesBelow(spoolRoot)).toEqual([]);
  });
});

describe('F98-1: wmflow backtest s3://… on a temporary folder that one message fills', () => {
  let dir: string;
  let mnt: string;
  let mounted = false;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wmflow-r98-disk-'));
    mnt = join(dir, 'small');
    await mkdir(mnt);
    try {
      // Root only; skipped without it.
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mnt], { stdio: 'ignore' });
      mounted = true;
    } catch {
      mounted = false;
    }
    // One message larger than the whole temporary folder, first; then messages that fit.
    const huge = big(3 * 1024 * 1024);
    await put('disk/a-huge', huge);
    await put('disk/a-huge.json', meta('disk/a-huge', huge));
    for (const n of [1, 2, 3, 4, 5, 6]) {
      const bytes = small(n);
      await put(`disk/b-small-${n}`, bytes);
      await put(`disk/b-small-${n}.json`, meta(`disk/b-small-${n}`, bytes));
    }
  }, 60_000);
  afterAll(async () => {
    if (mounted) execFileSync('umount', [mnt], { stdio: 'ignore' });
    await rm(dir, { recursive: true, force: true });
  });

  it('the huge message fails (ENOSPC); the messages after it are judged', async (ctx) => {
    if (!mounted) ctx.skip();
    const out = await run(['backtest', `s3://${BUCKET}/disk/`, '--function', 'guard', ...ENV, '-j', '1'], {
      ...stack.env,
      TMPDIR: mnt,
      // The CLI runs from source here: tsx's compile cache would otherwise fill the small disk first.
      TSX_DISABLE_CACHE: '1',
    });
    const { lines, summary } = parseBacktest(out.stdout);
    const errors = Object.fromEntries(lines.map((l) => [l.key, l.candidate.error?.message ?? null]));
    expect(Object.keys(errors)).toEqual([
      'disk/a-huge',
      'disk/b-small-1',
      'disk/b-small-2',
      'disk/b-small-3',
      'disk/b-small-4',
      'disk/b-small-5',
      'disk/b-small-6',
    ]);
    expect(errors['disk/a-huge']).toMatch(/ENOSPC|no space/i);
    // The pool fetches two at once: the first small one may meet the disk full while the huge one fills it.
    for (const n of [2, 3, 4, 5, 6]) expect(errors[`disk/b-small-${n}`], `b-small-${n}`).toBeNull();
    expect(summary).toBeTruthy();
    expect(out.code, out.stderr).toBe(0);
    // Nothing of the run is left on the disk.
    expect(await filesBelow(mnt)).toEqual([]);
  }, 120_000);
});

describe('F98-4: an interrupted wmflow backtest s3://… writes its summary and leaves no spooled copy behind', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wmflow-r98-signal-'));
    // The handler signals the backtest process while it judges the third of six messages (as round 69's).
    await writeFile(
      join(dir, 'signals.mjs'),
      `export const handler = async (event) => {
  if (/hello 3$/.test(event.subject ?? '')) process.kill(process.ppid, process.env.R98_SIGNAL);
  await new Promise((r) => setTimeout(r, 200));
  return { actions: [{ allRecipients: true, action: { type: 'DEFAULT' } }] };
};\n`,
    );
    for (const n of [1, 2, 3, 4, 5, 6]) {
      const bytes = small(n);
      await put(`signal/m${n}`, bytes);
      await put(`signal/m${n}.json`, meta(`signal/m${n}`, bytes));
    }
  }, 60_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    ['SIGINT', '1', 130],
    ['SIGINT', '2', 130],
    ['SIGTERM', '1', 143],
    ['SIGTERM', '2', 143],
    ['SIGHUP', '2', 129],
  ])(
    '%s at -j %s: exit %s, the summary marked interrupted, the spool folder removed',
    async (signal, jobs, code) => {
      const tmp = await mkdtemp(join(dir, `tmp-${signal}-${jobs}-`));
      const out = await run(
        [
          'backtest',
          `s3://${BUCKET}/signal/`,
          '--handler',
          join(dir, 'signals.mjs'),
          '--org-domain',
          'corp.example',
          '-j',
          jobs,
        ],
        { ...stack.env, TMPDIR: tmp, R98_SIGNAL: signal },
      );
      expect(out.code, out.stderr).toBe(code);
      const { lines, summary } = parseBacktest(out.stdout);
      expect(summary).toMatchObject({ partial: 'interrupted', messages: lines.length });
      expect(lines.map((l) => l.key)).toContain('signal/m3');
      const left = (await readdir(tmp)).filter((n) => n.startsWith('wmflow-backtest-'));
      expect(left).toEqual([]);
    },
    120_000,
  );
});
