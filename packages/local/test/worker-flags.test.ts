import { describe, expect, it } from 'vitest';
import { workerExecArgv } from '../src/workers/worker-flags.js';

const node20 = { execArgv: ['--conditions=wmflow-source'], v8: '11.3.244.8-node.33', cores: 2 };
const node22 = { ...node20, v8: '12.4.254.21-node.33' };

describe('workerExecArgv', () => {
  it('keeps the parent options and adds lazier tiering when the workers fill every core', () => {
    expect(workerExecArgv(2, node20)).toEqual(['--conditions=wmflow-source', '--interrupt-budget=1000000']);
    expect(workerExecArgv(3, { ...node20, v8: '10.2.154.26-node.36' })).toEqual([
      '--conditions=wmflow-source',
      '--interrupt-budget=1000000',
    ]);
  });

  it('adds nothing with a core to spare, for one worker, or on a V8 whose flag was not measured', () => {
    expect(workerExecArgv(2, { ...node20, cores: 4 })).toEqual(['--conditions=wmflow-source']);
    expect(workerExecArgv(1, { ...node20, cores: 1 })).toEqual(['--conditions=wmflow-source']);
    expect(workerExecArgv(2, node22)).toEqual(['--conditions=wmflow-source']);
    expect(workerExecArgv(2, { ...node20, v8: '13.6.233.10-node.18' })).toEqual([
      '--conditions=wmflow-source',
    ]);
    expect(workerExecArgv(2, { ...node20, v8: 'unknown' })).toEqual(['--conditions=wmflow-source']);
  });

  it("keeps the user's own tiering flags and adds none beside them", () => {
    for (const own of [
      '--interrupt-budget=5000',
      '--invocation-count-for-maglev=9',
      '--no-opt',
      '--jitless',
    ]) {
      expect(workerExecArgv(2, { ...node20, execArgv: [own] })).toEqual([own]);
    }
  });

  it('gives a flag this Node accepts', async () => {
    // The flags chosen for the running Node start a process without "bad option".
    const { execFileSync } = await import('node:child_process');
    const argv = workerExecArgv(2, { execArgv: [], v8: process.versions.v8, cores: 1 });
    expect(execFileSync(process.execPath, [...argv, '-e', 'process.stdout.write("up")']).toString()).toBe(
      'up',
    );
  });
});
