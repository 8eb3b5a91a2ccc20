// Setup for test files that share one module registry (`isolate: false`): what a file changes in the
// process (environment variables, AWS clients created once per container from that environment, timers,
// spies) is put back when it ends, so the next file starts as if in a fresh process.
import { resetDefaultClients } from '@wmflow/core';
import { afterAll, beforeAll, vi } from 'vitest';
import { resetDefaultSesClients } from '../packages/core/src/ses/clients.js';
import { resetSharedCounterClient } from '../packages/rules/src/rate/store.js';

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
  for (const key of Object.keys(process.env)) if (!(key in env)) delete process.env[key];
  Object.assign(process.env, env);
  resetClients();
  vi.useRealTimers();
  vi.restoreAllMocks();
});
