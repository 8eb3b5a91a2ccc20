import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { collect, type Run } from './replay-helpers.js';

export const REPO = new URL('../../../', import.meta.url).pathname;

/** Workspaces packed for npm, in dependency order. */
export const WORKSPACES = [
  'packages/core',
  'packages/rules',
  'packages/local',
  'functions',
  'packages/create-wmflow',
] as const;

/** npm's cache for these tests: kept between runs so a second run installs from disk. */
export const NPM_CACHE = join(tmpdir(), 'wmflow-npm-cache');

export type { Run };

/**
 * Runs a command as a user would in a terminal: a clean environment (no npm_* variables of the
 * `npm test` that started vitest, no AWS settings), npm with the test cache.
 */
export function sh(command: string, args: readonly string[], cwd: string): Promise<Run> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? tmpdir(),
    npm_config_cache: NPM_CACHE,
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    npm_config_prefer_offline: 'true',
  };
  return collect(command, args, { cwd, env });
}

/** Fails with the command's output unless it exited 0. */
export async function ok(run: Promise<Run>): Promise<Run> {
  const r = await run;
  if (r.code !== 0) throw new Error(`exit ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
  return r;
}

/** `npm pack`s every workspace (their prepack scripts build them) into `dest`; returns the tarball paths. */
export async function packAll(dest: string): Promise<string[]> {
  await mkdir(dest, { recursive: true });
  const args = ['pack', ...WORKSPACES.flatMap((w) => ['-w', w]), '--pack-destination', dest, '--json'];
  const { stdout } = await ok(sh('npm', args, REPO));
  const packed = JSON.parse(stdout) as { filename: string }[];
  return packed.map((p) => join(dest, p.filename.replace(/^@/, '').replace('/', '-')));
}

/**
 * A fresh app set up as docs/own-lambda.md says, with the tarballs in place of the registry's packages:
 * `npm init -y`, the runtime packages as dependencies, the CLI, the prebuilt functions and TypeScript as
 * development dependencies.
 */
export async function installApp(dir: string, tarballs: readonly string[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  const tarball = (file: string) => {
    const found = tarballs.find(
      (t) => basename(t).startsWith(`${file}-`) && /^\d/.test(basename(t).slice(file.length + 1)),
    );
    if (!found) throw new Error(`no tarball ${file} in ${tarballs.join(', ')}`);
    return found;
  };
  await ok(sh('npm', ['init', '-y'], dir));
  await ok(sh('npm', ['install', tarball('wmflow-core'), tarball('wmflow-rules')], dir));
  await ok(
    sh(
      'npm',
      [
        'install',
        '-D',
        tarball('wmflow-local'),
        tarball('wmflow-functions'),
        tarball('create-wmflow'),
        'typescript@~5.9.3',
        '@types/node@^22',
      ],
      dir,
    ),
  );
}
