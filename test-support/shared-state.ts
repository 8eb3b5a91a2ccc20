// Setup for test files that share one module registry (`isolate: false`): what a file changes in the
// process (environment variables, AWS clients created once per container from that environment, timers,
// spies) is put back when it ends, so the next file starts as if in a fresh process.
import { resetDefaultClients } from '@wmflow/core';
import { afterAll, beforeAll, vi } from 'vitest';
import { resetDefaultSesClients } from '../packages/core/src/ses/clients.js';
import { resetSharedCounterClient } from '../packages/rules/src/rate/store.js';
import { restoreEnv } from './restore-env.js';

// The process's own environment object, kept across files: a file that replaced `process.env` with a plain copy
// left one that `os.tmpdir()` no longer reads (it reads the real environment).
const kept = globalThis as { wmflowLiveEnv?: NodeJS.ProcessEnv };
kept.wmflowLiveEnv ??= process.env;
const live = kept.wmflowLiveEnv;
let env: NodeJS.ProcessEnv = {};

function resetClients(): void {
  resetDefaultClients();
  resetDefaultSesClients();
  resetSharedCounterClient();
}

beforeAll(() => {
  env = { ...process.env };
  resetClients();
});

afterAll(() => {
  process.env = live;
  restoreEnv(env);
  resetClients();
  vi.useRealTimers();
  vi.restoreAllMocks();
});
