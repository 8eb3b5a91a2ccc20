import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FROM_SOURCE, ROOT, type Run, wmflow } from './replay-helpers.js';

// Fault round 66: the build path under faults.
// F66-1: `wmflow bundle` emptied its folder and let esbuild write into it: two bundles into one folder at once left
// one build's index.mjs beside both builds' chunks (a zip deploy ships the stale ones), and a disk that filled left
// an index.mjs and some of its chunks, looking like a bundle. Each bundle is now made in a sibling folder
// (`.<name>.partial-<pid>`) and renamed into place whole; a failed one leaves no folder under the name.
// F66-4: `wmflow bundle` removed its --out folder whatever it held: `--out .`, `--out src` or a folder with files of
// the user's took them with it. A folder that holds anything but a bundle is now refused.
// F66-2: `wmflow init` checked for clashes, then wrote: a name that was a dangling symlink passed the check and was
// written through (a file made outside the project), and the user's package.json was rewritten in place, so a write
// cut short (a full disk, a file-size limit) left it cut. Files are now created exclusively (never through a link,
// never over a file), package.json and merged ignore files are written aside and renamed, and a rerun after a cut
// run takes the files it made before (byte for byte the template's) as its own.
const WIRE = 'samples/lambdas/wire-transfer-blocker.ts';
const JUNK = 'samples/lambdas/junk-external-newsletters.ts';

/** Two versions of one handler (as a user edits and bundles again): one lazy chunk each of their own. */
async function twoVersions(): Promise<[string, string]> {
  const versions: string[] = [];
  for (const v of ['one', 'two']) {
    await writeFile(join(dir, `later-${v}.ts`), `export const version = '${v}'.repeat(3);\n`);
    const entry = join(dir, `handler-${v}.ts`);
    await writeFile(
      entry,
      `export { handler } from '${join(ROOT, WIRE)}';\nexport const later = () => import('./later-${v}.ts');\n`,
    );
    versions.push(entry);
  }
  return versions as [string, string];
}
let dir: string;
let mnt: string;
let mounted = false;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'f66-build-'));
  mnt = join(dir, 'small');
  await mkdir(mnt);
  try {
    // A 1 MiB file system: a bundle (about 4 MB with its maps) does not fit. Root only; skipped without it.
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mnt], { stdio: 'ignore' });
    mounted = true;
  } catch {
    mounted = false;
  }
});
afterAll(async () => {
  if (mounted) execFileSync('umount', [mnt], { stdio: 'ignore' });
  await rm(dir, { recursive: true, force: true });
});

/** `wmflow <args>` from source under `ulimit -f kib` (KiB). */
function limited(args: string[], kib: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'bash',
      ['-c', `ulimit -f ${kib}; exec "$@"`, 'bash', process.execPath, ...FROM_SOURCE, ...args],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const CHUNK = /[\w$.-]+-(?:[A-Za-z0-9]{8}\.mjs|[a-f0-9]{8}\.cjs)\b/g;

/** Every file under `out`, relative, sorted. */
async function filesOf(out: string): Promise<string[]> {
  const entries = await readdir(out, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(out.length + 1))
    .sort();
}

/**
 * The bundle folder holds one build whole: exactly the files `reference` (each build alone into the same folder)
 * names for one of them, every chunk index.mjs reaches by name there, and nothing left beside the folder.
 */
async function expectOneWholeBuild(out: string, reference: string[][]): Promise<void> {
  const files = await filesOf(out);
  expect(
    reference.some((r) => r.join('\n') === files.join('\n')),
    `the files of one build alone: ${JSON.stringify(files)}, builds alone: ${JSON.stringify(reference)}`,
  ).toBe(true);
  const seen = new Set<string>();
  const visit = async (path: string) => {
    for (const name of (await readFile(path, 'utf8')).match(CHUNK) ?? []) {
      if (seen.has(name)) continue;
      seen.add(name);
      expect(files, `${name}, which ${path} loads`).toContain(`chunks/${name}`);
      await visit(join(out, 'chunks', name));
    }
  };
  await visit(join(out, 'index.mjs'));
  const leftovers = (await readdir(join(out, '..'))).filter((f) => f !== 'handler');
  expect(leftovers).toEqual([]);
}

/** The files of each handler's bundle made alone into `out`. */
async function references(out: string, entries: string[]): Promise<string[][]> {
  const lists: string[][] = [];
  for (const entry of entries) {
    const r = await wmflow(['bundle', entry, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    lists.push(await filesOf(out));
  }
  await rm(out, { recursive: true });
  return lists;
}

describe('F66-1: wmflow bundle leaves one whole build in its folder, or none', () => {
  it('two bundles of two versions of a handler into one folder at once: one build whole, not both mixed', async () => {
    const out = join(dir, 'race', 'handler');
    const [one, two] = await twoVersions();
    const reference = await references(out, [one, two]);
    expect(reference[0]).not.toEqual(reference[1]);
    for (let round = 0; round < 2; round++) {
      const [a, b] = await Promise.all([
        wmflow(['bundle', one, '--out', out]),
        wmflow(['bundle', two, '--out', out]),
      ]);
      expect([a.code, b.code], a.stderr + b.stderr).toEqual([0, 0]);
      await expectOneWholeBuild(out, reference);
    }
  }, 120_000);

  it('a disk that fills: exit 1, one line, and no folder under the name (no index.mjs to deploy)', async (ctx) => {
    if (!mounted) ctx.skip();
    const out = join(mnt, 'handler');
    const r = await wmflow(['bundle', WIRE, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^wmflow bundle: cannot bundle .*wire-transfer-blocker\.ts: .*\n$/);
    expect(existsSync(join(out, 'index.mjs'))).toBe(false);
    expect(await readdir(mnt)).toEqual([]);
  }, 60_000);

  it('killed as its files appear: no index.mjs under the name; the rerun clears what it left and makes one whole build', async () => {
    const out = join(dir, 'killed', 'handler');
    const reference = await references(out, [WIRE]);
    const child = spawn(process.execPath, [...FROM_SOURCE, 'bundle', WIRE, '--out', out], {
      cwd: ROOT,
      stdio: 'ignore',
    });
    const closed = new Promise((resolve) => child.on('close', resolve));
    const parent = join(out, '..');
    for (let i = 0; i < 6_000; i++) {
      if ((await readdir(parent).catch(() => [])).length > 0) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    child.kill('SIGKILL');
    await closed;
    // esbuild's own process may finish its writes after the CLI is gone.
    await new Promise((r) => setTimeout(r, 2_000));
    expect(existsSync(join(out, 'index.mjs'))).toBe(false);
    const again = await wmflow(['bundle', WIRE, '--out', out]);
    expect(again.code, again.stderr).toBe(0);
    await expectOneWholeBuild(out, reference);
  }, 120_000);

  it('held: a rerun after a failed bundle makes the folder whole again', async () => {
    const out = join(dir, 'rerun', 'handler');
    const reference = await references(out, [JUNK]);
    const broken = join(dir, 'broken.ts');
    await writeFile(broken, "import { nothing } from './missing.js';\nexport const handler = nothing;\n");
    expect((await wmflow(['bundle', WIRE, '--out', out])).code).toBe(0);
    const failed = await wmflow(['bundle', broken, '--out', out]);
    expect(failed.code).toBe(1);
    // A failed bundle leaves nothing to deploy by mistake: not the build before, not part of this one.
    expect(existsSync(out)).toBe(false);
    const again = await wmflow(['bundle', JUNK, '--out', out]);
    expect(again.code, again.stderr).toBe(0);
    await expectOneWholeBuild(out, reference);
  }, 120_000);
});

describe('F66-4: wmflow bundle --out never removes what is not a bundle', () => {
  it("--out the folder holding the handler: refused, exit 1, the handler and the user's files kept", async () => {
    const project = join(dir, 'own-folder');
    await mkdir(project);
    const entry = join(project, 'handler.ts');
    await writeFile(entry, `export { handler } from '${join(ROOT, WIRE)}';\n`);
    await writeFile(join(project, 'notes.md'), 'mine\n');
    const r = await wmflow(['bundle', entry, '--out', project]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/not a bundle.*handler\.ts|handler\.ts.*not a bundle/);
    expect(await readFile(join(project, 'notes.md'), 'utf8')).toBe('mine\n');
    expect(existsSync(entry)).toBe(true);
  }, 60_000);

  it('--out a folder with files of its own (dist/ with a README): refused, the files kept', async () => {
    const out = join(dir, 'dist-own');
    await mkdir(join(out, 'chunks'), { recursive: true });
    await writeFile(join(out, 'README.md'), 'how to deploy\n');
    await writeFile(join(out, 'chunks', 'keep.txt'), 'mine\n');
    const r = await wmflow(['bundle', WIRE, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/not a bundle/);
    expect(await readFile(join(out, 'README.md'), 'utf8')).toBe('how to deploy\n');
    expect(await readFile(join(out, 'chunks', 'keep.txt'), 'utf8')).toBe('mine\n');
  }, 60_000);

  it('held: --out an empty folder, or a bundle folder of an earlier build: bundled, exit 0', async () => {
    const out = join(dir, 'empty-out');
    await mkdir(out);
    expect((await wmflow(['bundle', WIRE, '--out', out])).code).toBe(0);
    const again = await wmflow(['bundle', WIRE, '--out', out]);
    expect(again.code, again.stderr).toBe(0);
  }, 60_000);
});

describe('F66-2: wmflow init never writes over or through a user file', () => {
  it('a dangling symlink under a template name: refused, nothing written through it', async () => {
    const project = join(dir, 'linked');
    await mkdir(project);
    const outside = join(dir, 'outside-template.yaml');
    await symlink(outside, join(project, 'template.yaml'));
    const r = await wmflow(['init', project]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/already has .*template\.yaml/);
    expect(existsSync(outside)).toBe(false);
    expect(existsSync(join(project, 'src/handler.ts'))).toBe(false);
  }, 60_000);

  it("a package.json write cut short (file-size limit): the user's package.json kept whole, exit 1, nothing left half made", async () => {
    const project = join(dir, 'cut');
    await mkdir(project);
    // Just under 8 KiB: the completed one is over it, the template's own files under it.
    const user = `${JSON.stringify({ name: 'cut', version: '1.0.0', description: 'x'.repeat(7_800) }, null, 2)}\n`;
    expect(user.length).toBeLessThan(8_192);
    await writeFile(join(project, 'package.json'), user);
    const r = await limited(['init', project], 8);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/package\.json/);
    expect(await readFile(join(project, 'package.json'), 'utf8')).toBe(user);
    // The files it made are gone again: a rerun is not refused for them.
    expect(await readdir(project)).toEqual(['package.json']);
    const again = await wmflow(['init', project]);
    expect(again.code, again.stderr).toBe(0);
    const pkg = JSON.parse(await readFile(join(project, 'package.json'), 'utf8'));
    expect(pkg).toMatchObject({ name: 'cut', version: '1.0.0', type: 'module' });
    expect(pkg.description).toHaveLength(7_800);
    expect(existsSync(join(project, 'src/handler.ts'))).toBe(true);
  }, 60_000);

  it('held: two inits into one folder at once: one makes the project, whole; the other says why it did not', async () => {
    const project = join(dir, 'twice');
    const runs = await Promise.all([wmflow(['init', project]), wmflow(['init', project])]);
    const made = runs.filter((r) => r.code === 0);
    for (const r of runs.filter((r) => r.code !== 0))
      expect(r.stderr).toMatch(
        /already has .*; choose a new folder|appeared while the project was being made/,
      );
    expect(made.length).toBeGreaterThanOrEqual(1);
    for (const file of ['package.json', 'src/handler.ts', 'template.yaml', '.gitignore', 'README.md'])
      expect(existsSync(join(project, file)), file).toBe(true);
    expect((await readdir(project)).filter((f) => f.includes('.partial-'))).toEqual([]);
  }, 60_000);
});
