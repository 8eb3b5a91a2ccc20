import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FROM_SOURCE, jsonLines, ROOT, type Run } from './replay-helpers.js';

// Fault round 65: what `wmflow replay --out DIR` leaves on disk, and what a rerun believes.
// F65-1: each file of DIR was written under its own name as it came (`writeFile`, a stream): a full disk left a cut
// (empty) journal copy under its name and ended the run with an uncaught stack trace; a run killed while copying left
// a cut copy that looked like any other. Each is now written to `.<name>.partial-<pid>` and renamed once whole; a
// write that fails ends the run, exit 1, with one line naming the file.
// F65-2: a rerun into the folder of an earlier run mixed the two runs' files (journal copies under fresh message ids
// pile up: a backtest of DIR/s3/… then judged every message once per run). A folder that is not empty is refused.
// F65-3: a FIFO or a device given as a message hung the run (readFileSync waits for a writer, or reads /dev/zero for
// ever); in a folder, such entries (and symlinks) were skipped unsaid. Each is now a FixtureError for that message.
// F65-4: `wmflow backtest --report FILE` wrote the report in place: a full disk left a cut report and a stack trace.
const ENV = ['--env-file', 'samples/expect/env.json'];
let dir: string;
let mnt: string;
let tiny: string;
let mounted = false;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'f65-out-'));
  mnt = join(dir, 'small');
  tiny = join(dir, 'tiny');
  await mkdir(mnt);
  await mkdir(tiny);
  try {
    // A 64 KiB file system: the journal copies of samples/eml fill it; a 4 KiB one takes no backtest report.
    // Root only (this machine's image); without it those tests are skipped.
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mnt], { stdio: 'ignore' });
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4k', 'tmpfs', tiny], { stdio: 'ignore' });
    mounted = true;
  } catch {
    mounted = false;
  }
});
afterAll(async () => {
  if (mounted) for (const m of [mnt, tiny]) execFileSync('umount', [m], { stdio: 'ignore' });
  await rm(dir, { recursive: true, force: true });
});

/** `wmflow <args>` from source; killed (SIGKILL) after `limitMs`, which a test reads as a hang. */
function run(args: string[], limitMs = 60_000): Promise<Run & { hung: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...FROM_SOURCE, ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let hung = false;
    const timer = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, limitMs);
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, hung });
    });
  });
}

async function filesUnder(root: string): Promise<string[]> {
  if (!existsSync(root)) return [];
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/**
 * Every journal copy under `out` that has its real name is a sample of samples/eml, byte for byte (the one whose
 * `.json` could not be written has no line: the run ended there); metadata is JSON.
 */
async function expectWholeCopies(out: string): Promise<number> {
  const samples = await Promise.all(
    (await readdir(join(ROOT, 'samples/eml'))).map((f) => readFile(join(ROOT, 'samples/eml', f))),
  );
  let whole = 0;
  for (const path of await filesUnder(join(out, 's3'))) {
    const name = relative(join(out, 's3'), path);
    expect(name, 'a partial file is named as one').not.toMatch(/(^|\/)\.[^/]*\.partial-\d+$/);
    const bytes = await readFile(path);
    if (name.endsWith('.json')) expect(() => JSON.parse(bytes.toString('utf8')), name).not.toThrow();
    else
      expect(
        samples.some((s) => s.equals(bytes)),
        `${name} is cut`,
      ).toBe(true);
    whole++;
  }
  return whole;
}

describe('F65-1: --out files are whole or absent', () => {
  it('a disk that fills: exit 1, one line naming the file, no cut file under its name, no partial file left', async (ctx) => {
    if (!mounted) ctx.skip();
    const out = join(mnt, 'out');
    const r = await run(['replay', 'samples/eml', '--function', 'archiver', ...ENV, '--out', out, '--json']);
    expect(r.hung).toBe(false);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/wmflow replay: --out: \S+ could not be written \(ENOSPC\)/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const lines = jsonLines(r.stdout);
    expect(lines.length).toBeGreaterThan(0);
    expect(await expectWholeCopies(out)).toBeGreaterThan(0);
    expect((await filesUnder(out)).filter((f) => f.includes('.partial-'))).toEqual([]);
  }, 120_000);

  it('backtest --report on a disk that fills: exit 1, one line naming the report, no cut report left', async (ctx) => {
    if (!mounted) ctx.skip();
    const report = join(tiny, 'report.html');
    const filler = join(tiny, 'filler');
    await writeFile(filler, 'x'.repeat(4000)); // the one 4 KiB page: the report (about 3 KB) finds no room
    const r = await run(['backtest', 'samples/eml', '--function', 'archiver', ...ENV, '--report', report]);
    expect(r.hung).toBe(false);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain(`wmflow backtest: --report: ${report} could not be written (ENOSPC)`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(await filesUnder(tiny)).toEqual([filler]);
  }, 120_000);

  it('a run killed while it copies a 20 MB journal object leaves no cut copy under its name', async () => {
    const mail = join(dir, 'big');
    await mkdir(mail);
    const body = `${'0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'.repeat(14)}\r\n`;
    const big = `From: ann@partner.example\r\nTo: bob@corp.example\r\nSubject: big\r\nDate: Mon, 1 Dec 2026 10:00:00 +0000\r\nMessage-ID: <big@partner.example>\r\n\r\n${body.repeat(20 * 1024)}`;
    await writeFile(join(mail, 'big.eml'), big);
    const out = join(dir, 'killed');
    const child = spawn(
      process.execPath,
      [...FROM_SOURCE, 'replay', mail, '--function', 'archiver', ...ENV, '--out', out, '--json'],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] },
    );
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
    // Killed as soon as anything of the copy is on disk (under any name).
    let killedEarly = false;
    for (let i = 0; i < 60_000 && child.exitCode === null; i++) {
      if ((await filesUnder(join(out, 's3'))).length > 0) {
        child.kill('SIGKILL');
        killedEarly = true;
        break;
      }
      await new Promise((r) => setTimeout(r, 1));
    }
    await closed;
    expect(killedEarly).toBe(true);
    for (const path of await filesUnder(join(out, 's3'))) {
      if (/\/\.[^/]*\.partial-\d+$/.test(path)) continue; // named as what it is
      const bytes = await readFile(path);
      if (path.endsWith('.json')) expect(() => JSON.parse(bytes.toString('utf8'))).not.toThrow();
      else expect(bytes.length, `${path} is cut`).toBe(Buffer.byteLength(big, 'latin1'));
    }
    expect(stdout).toBe(''); // nothing was reported as done
  }, 120_000);
});

describe('F65-2: a rerun into the same --out folder', () => {
  it('is refused while the folder holds anything; an empty existing folder is taken (held)', async () => {
    const out = join(dir, 'rerun');
    await mkdir(out);
    const first = await run([
      'replay',
      'samples/eml/01-plain-text.eml',
      '--function',
      'archiver',
      ...ENV,
      '--out',
      out,
      '--json',
    ]);
    expect(first.code, first.stderr).toBe(0);
    const before = (await filesUnder(out)).sort();
    expect(before).toHaveLength(2);
    const again = await run([
      'replay',
      'samples/eml/01-plain-text.eml',
      '--function',
      'archiver',
      ...ENV,
      '--out',
      out,
      '--json',
    ]);
    expect(again.code).toBe(1);
    expect(again.stdout).toBe('');
    expect(again.stderr).toContain(`wmflow replay: --out ${out} is not empty`);
    expect((await filesUnder(out)).sort()).toEqual(before);
  }, 120_000);
});

describe('F65-3: message files that are not regular files', () => {
  it('a FIFO given as the message: a FixtureError for it, the next message replayed, no hang', async () => {
    const fifo = join(dir, 'pipe.eml');
    execFileSync('mkfifo', [fifo]);
    const r = await run(
      ['replay', fifo, 'samples/eml/01-plain-text.eml', '--function', 'guard', ...ENV, '--json'],
      40_000,
    );
    expect(r.hung, 'the run hung on the FIFO').toBe(false);
    expect(r.code).toBe(1);
    const [piped, plain] = jsonLines(r.stdout);
    expect(piped?.error).toMatchObject({ name: 'FixtureError', message: expect.stringContaining('a FIFO') });
    expect(plain?.error).toBeNull();
  }, 60_000);

  it('a device given as the message (/dev/zero): a FixtureError, no endless read', async () => {
    const r = await run(['replay', '/dev/zero', '--function', 'guard', ...ENV, '--json'], 40_000);
    expect(r.hung, 'the run read /dev/zero for ever').toBe(false);
    expect(r.code).toBe(1);
    expect(jsonLines(r.stdout)[0]?.error).toMatchObject({ name: 'FixtureError' });
  }, 60_000);

  it('in a folder: a FIFO, a symlink loop and a dangling link named .eml are each an error line; a linked message is replayed', async () => {
    const mail = join(dir, 'odd');
    await mkdir(join(mail, 'sub'), { recursive: true });
    await writeFile(join(mail, 'a-plain.eml'), await readFile(join(ROOT, 'samples/eml/01-plain-text.eml')));
    execFileSync('mkfifo', [join(mail, 'b-fifo.eml')]);
    await symlink('c-loop.eml', join(mail, 'c-loop.eml'));
    await symlink('gone.eml', join(mail, 'd-dangling.eml'));
    await symlink(join(ROOT, 'samples/eml/07-latin1-8bit.eml'), join(mail, 'e-linked.eml'));
    await symlink('..', join(mail, 'sub', 'up')); // a folder loop: not followed
    const r = await run(['replay', mail, '--function', 'guard', ...ENV, '--json'], 40_000);
    expect(r.hung).toBe(false);
    expect(r.code).toBe(1);
    const lines = jsonLines(r.stdout);
    const byName = Object.fromEntries(lines.map((l) => [String(l.file).split('/').at(-1), l]));
    expect(Object.keys(byName).sort()).toEqual([
      'a-plain.eml',
      'b-fifo.eml',
      'c-loop.eml',
      'd-dangling.eml',
      'e-linked.eml',
    ]);
    expect(byName['a-plain.eml']?.error).toBeNull();
    expect(byName['e-linked.eml']?.error).toBeNull();
    expect(byName['b-fifo.eml']?.error).toMatchObject({ name: 'FixtureError' });
    expect(byName['c-loop.eml']?.error).toMatchObject({ message: expect.stringContaining('ELOOP') });
    expect(byName['d-dangling.eml']?.error).toMatchObject({ message: expect.stringContaining('ENOENT') });
  }, 60_000);
});
