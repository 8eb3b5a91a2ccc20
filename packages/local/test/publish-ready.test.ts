import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, WORKSPACES } from './packed-app.js';

interface Manifest {
  name: string;
  private?: boolean;
  license?: string;
  description?: string;
  homepage?: string;
  keywords?: string[];
  repository?: { url?: string; directory?: string };
  bin?: Record<string, string>;
  dependencies?: Record<string, string>;
  exports?: Record<string, unknown>;
}

async function manifest(workspace: string): Promise<Manifest> {
  return JSON.parse(await readFile(join(REPO, workspace, 'package.json'), 'utf8')) as Manifest;
}

/** Source files that ship (tests and test support do not). */
async function shippedSources(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
    .map((e) => join(e.parentPath, e.name))
    .filter((f) => !f.includes('/test-support/'));
}

/** Packages a file imports (`import … from 'x'`, `import('x')`), with whether the import is types only. */
function importsOf(source: string): { name: string; typeOnly: boolean }[] {
  const found: { name: string; typeOnly: boolean }[] = [];
  const pattern =
    /(?:^|\n)\s*(import|export)\s+(type\s+)?[^'";]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g;
  for (const m of source.matchAll(pattern)) {
    const spec = m[3] ?? m[4] ?? '';
    if (spec.startsWith('.') || spec.startsWith('node:')) continue;
    const parts = spec.split('/');
    const name = spec.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string);
    found.push({ name, typeOnly: m[2] !== undefined });
  }
  return found;
}

describe('publish-ready packages', () => {
  it.each(WORKSPACES)('%s: README, LICENSE and metadata for npm', async (workspace) => {
    const m = await manifest(workspace);
    expect(m.private, m.name).toBeUndefined();
    expect(m.license).toBe('MIT');
    expect(m.description?.length).toBeGreaterThan(20);
    expect(m.repository?.url).toMatch(/^git\+https:\/\//);
    expect(m.repository?.directory).toBe(workspace);
    expect(m.homepage).toMatch(/^https:\/\//);
    expect(m.keywords?.length).toBeGreaterThan(3);
    expect(existsSync(join(REPO, workspace, 'LICENSE'))).toBe(true);
    const readme = await readFile(join(REPO, workspace, 'README.md'), 'utf8');
    expect(readme).toContain(m.name);
    // npm drops bin entries it has to "correct" (a leading ./) when publishing.
    for (const path of Object.values(m.bin ?? {})) expect(path).not.toMatch(/^\.\//);
  });

  it.each(WORKSPACES.filter((w) => w.startsWith('packages/')))(
    '%s: ships no tests and no test support (which imports vitest)',
    async (workspace) => {
      const { execFileSync } = await import('node:child_process');
      const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
        cwd: join(REPO, workspace),
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      const files = (JSON.parse(out) as { files: { path: string }[] }[])[0]?.files.map((f) => f.path) ?? [];
      expect(files.length).toBeGreaterThan(0);
      expect(files.filter((f) => /(?:^|\/)test-support\/|\.test\.[cm]?[jt]s$/.test(f))).toEqual([]);
    },
  );

  it.each(WORKSPACES.filter((w) => w.startsWith('packages/') && w !== 'packages/create-wmflow'))(
    '%s: declares every package its shipped code imports',
    async (workspace) => {
      const m = await manifest(workspace);
      const declared = new Set(Object.keys(m.dependencies ?? {}));
      const missing = new Set<string>();
      for (const file of await shippedSources(join(REPO, workspace, 'src'))) {
        for (const i of importsOf(await readFile(file, 'utf8'))) {
          const ok = declared.has(i.name) || (i.typeOnly && declared.has(`@types/${i.name}`));
          if (!ok && i.name !== m.name) missing.add(`${i.name} (${file.slice(REPO.length)})`);
        }
      }
      expect([...missing]).toEqual([]);
    },
  );

  it.each(WORKSPACES)(
    '%s: takes its sibling packages by a caret range of their version (a patch release of one installs one copy of core)',
    async (workspace) => {
      const m = (await manifest(workspace)) as Manifest & { devDependencies?: Record<string, string> };
      const siblings = { ...m.dependencies, ...m.devDependencies };
      for (const [name, range] of Object.entries(siblings).filter(([n]) => n.startsWith('@wmflow/'))) {
        const sibling = WORKSPACES.find((w) => w.endsWith(`/${name.slice('@wmflow/'.length)}`));
        const { version } = JSON.parse(
          await readFile(join(REPO, sibling as string, 'package.json'), 'utf8'),
        ) as {
          version: string;
        };
        expect(range, `${m.name} → ${name}`).toBe(`^${version}`);
      }
    },
  );

  it('functions: self-contained bundles, so nothing to install at run time', async () => {
    const m = await manifest('functions');
    expect(m.dependencies).toBeUndefined();
    expect(m.exports?.['./*']).toBe('./dist/*/index.mjs');
  });
});
