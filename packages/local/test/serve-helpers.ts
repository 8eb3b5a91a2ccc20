import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export const MAIN = new URL('../src/cli/main.ts', import.meta.url).pathname;

export interface Served {
  child: ChildProcess;
  env: Record<string, string>;
  loaded: Map<string, string>;
}

/** Starts `wmflow serve` from source and reads its stdout up to `ready`. */
export async function startServe(args: string[]): Promise<Served> {
  const child = spawn(
    process.execPath,
    ['--conditions=wmflow-source', '--import', 'tsx', MAIN, 'serve', ...args],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const env: Record<string, string> = {};
  const loaded = new Map<string, string>();
  for await (const line of createInterface({ input: child.stdout as NodeJS.ReadableStream })) {
    if (line === 'ready') return { child, env, loaded };
    const exported = /^export ([A-Z0-9_]+)=(.*)$/.exec(line);
    if (exported) env[exported[1] as string] = exported[2] as string;
    else {
      const [id, path] = line.split('\t');
      loaded.set(path as string, id as string);
    }
  }
  throw new Error('wmflow serve ended before printing ready');
}

export function exitCode(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}
