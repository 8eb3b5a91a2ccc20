import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FROM_SOURCE, jsonLines, ROOT, type Run } from './replay-helpers.js';

// Fault round 72: two `wmflow replay --out DIR` runs at once into one folder (a second writer). Round 65 refuses a
// folder that holds anything, but it looked only once, before the run: a second run started while the first was
// still replaying its first message found the folder empty (or missing) and took it too, so the two runs' journal
// copies landed side by side under fresh message ids (a backtest of DIR/s3/… then judges each message twice) and
// both ended 0, each with a folder that was not its own. A run now claims the folder before it starts; a second run
// is refused, exit 1, writing nothing. The first run's handler waits at a gate file until the second has ended, so
// the order is fixed by the test, not by time.
const ENV = ['--env-file', 'samples/expect/env.json'];
const MAIL = 'samples/eml/01-plain-text.eml';
let dir: string;
let gated: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmflow-r72-out-'));
  gated = join(dir, 'gated.mjs');
  // The archiver, held at its first message until `go` exists; `started` says it is there.
  await writeFile(
    gated,
    `import { existsSync, writeFileSync } from 'node:fs';
const { handler: archiver } = await import(${JSON.stringify(join(ROOT, 'functions/archiver/index.ts'))});
export const handler = async (event, context) => {
  writeFileSync(${JSON.stringify(join(dir, 'started'))}, '');
  while (!existsSync(${JSON.stringify(join(dir, 'go'))})) await new Promise((r) => setTimeout(r, 20));
  return archiver(event, context);
};
`,
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** `wmflow <args>` from source; killed (SIGKILL) after `limitMs`, which a test reads as a hang. */
function run(args: string[], limitMs = 90_000): Promise<Run & { hung: boolean }> {
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

async function until(path: string, run: Promise<unknown>): Promise<void> {
  let ended = false;
  void run.finally(() => {
    ended = true;
  });
  while (!existsSync(path)) {
    if (ended) throw new Error(`the first run ended before ${path} appeared`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function filesUnder(root: string): Promise<string[]> {
  if (!existsSync(root)) return [];
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

const first = (out: string) =>
  run([
    'replay',
    MAIL,
    '--handler',
    `${gated}#handler`,
    '--env',
    'JOURNAL_BUCKET=wmflow-journal',
    '--env',
    'ORGANIZATION_DOMAINS=corp.example',
    '--timeout',
    '120000',
    '--out',
    out,
    '--json',
  ]);
const second = (out: string) =>
  run(['replay', MAIL, '--function', 'archiver', ...ENV, '--out', out, '--json']);

describe('F72-1: a second replay into the --out folder a run is using', () => {
  it.each([
    ['missing', false],
    ['empty', true],
  ])(
    'folder %s at the start: the second run is refused and writes nothing; the first keeps its folder',
    async (label, made) => {
      const out = join(dir, `out-${label}`);
      await rm(join(dir, 'started'), { force: true });
      await rm(join(dir, 'go'), { force: true });
      if (made) await mkdir(out);
      const a = first(out);
      await until(join(dir, 'started'), a);
      const b = await second(out);
      await writeFile(join(dir, 'go'), '');
      const done = await a;
      expect(done.code, done.stderr).toBe(0);
      expect(jsonLines(done.stdout)).toHaveLength(1);
      expect(b.code).toBe(1);
      expect(b.stdout).toBe('');
      expect(b.stderr).toContain(`--out ${out}`);
      // The folder holds the first run's journal copy and its metadata only (one message: two files), nothing else.
      const files = await filesUnder(out);
      expect(
        files.filter((f) => !f.endsWith('.json')),
        files.join('\n'),
      ).toHaveLength(1);
      expect(files).toHaveLength(2);
    },
    180_000,
  );

  it('control: runs one after the other into one missing folder: the first takes it, the rerun is refused (round 65)', async () => {
    const out = join(dir, 'out-sequential');
    const a = await second(out);
    expect(a.code, a.stderr).toBe(0);
    expect(await filesUnder(out)).toHaveLength(2);
    const b = await second(out);
    expect(b.code).toBe(1);
    expect(b.stderr).toContain(`--out ${out} is not empty`);
    expect(await filesUnder(out)).toHaveLength(2);
  }, 180_000);
});
