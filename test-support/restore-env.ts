/**
 * Puts `snapshot` back into the live `process.env`, key by key. Never assign `process.env = copy`: the copy is a
 * plain object that no longer writes through to the process's environment, which `os.tmpdir()` reads, so a later
 * `process.env.TMPDIR = dir` is ignored by it (final-reads.test.ts spilled to /tmp after such a file).
 */
export function restoreEnv(snapshot: NodeJS.ProcessEnv): void {
  for (const key of Object.keys(process.env)) if (!(key in snapshot)) delete process.env[key];
  Object.assign(process.env, snapshot);
}
