import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The rules' MIME readers load on first use. A container out of file descriptors at that moment (a leak in the
// handler's own code) must fail the invocation as transient, so WorkMail retries it, never answer as if the message
// were bad. The load runs in a child process that holds every descriptor it can open, then frees them and loads again.
const ROOT = join(import.meta.dirname, '..', '..', '..', '..');
const CHILD = join(import.meta.dirname, '..', '..', 'test', 'support', 'load-out-of-descriptors.ts');

describe('loadMime out of file descriptors', () => {
  it('fails transient; once descriptors are free the next message loads (Node 22, the Lambda runtime)', () => {
    const out = execFileSync(process.execPath, ['--conditions=wmflow-source', '--import', 'tsx', CHILD], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    const { first, second } = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as {
      first: string;
      second: string;
    };
    expect(first).toMatch(/transient=true$/);
    // Node 20's loader keeps a failed read of a module file for the process's life (Node 22's reads it again): the
    // load then fails transient on every later message of that process, never as a verdict.
    if (Number(process.versions.node.split('.')[0]) >= 22) expect(second).toBe('function');
    else expect(second).toMatch(/^(function$|Error: EMFILE.* transient=true$)/);
  }, 90_000);
});
