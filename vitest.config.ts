import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// On two cores Vitest's default (one worker fewer than the cores) runs one file at a time, while most files wait
// on loopback servers and child processes: two at a time. The suite makes no timing claim (bench/ measures them).
const cores = availableParallelism();
const workers = cores >= 2 ? Math.max(2, cores - 1) : 1;

export default defineConfig({
  resolve: {
    // Tests and the type-checker read workspace packages from source; builds read dist.
    conditions: ['wmflow-source'],
  },
  // Vitest runs tests in Vite's SSR environment, which takes its own conditions: without this, a test
  // importing another workspace package by name (`@wmflow/core`) resolves to its unbuilt dist.
  ssr: { resolve: { conditions: ['wmflow-source'] } },
  test: {
    testTimeout: 30_000,
    maxWorkers: workers,
    projects: [
      {
        // In-process tests share a worker's modules from file to file: importing the SDK and the rules afresh
        // for each of ~400 files cost more than the tests themselves. What a file changes in the process
        // (environment, the per-container AWS clients, timers, spies) is reset after it by shared-state.ts.
        extends: true,
        test: {
          name: 'shared',
          include: ['packages/core/**/*.test.ts', 'packages/rules/**/*.test.ts', 'functions/**/*.test.ts'],
          isolate: false,
          setupFiles: ['./test-support/shared-state.ts'],
        },
      },
      {
        // The local tooling's tests start servers, child processes and CLIs: each file in a fresh process.
        extends: true,
        test: {
          name: 'isolated',
          include: ['packages/local/**/*.test.ts', 'samples/**/*.test.ts'],
        },
      },
    ],
    coverage: {
      provider: 'v8',
      // The SDK and the rules are gated; a drop below these fails `npm test`.
      include: ['packages/core/src/**/*.ts', 'packages/rules/src/**/*.ts'],
      exclude: ['**/*.test.ts', '**/index.ts', '**/types.ts', '**/test-support/**', '**/testing/**'],
      thresholds: { statements: 90, branches: 82, functions: 92, lines: 92 },
    },
  },
});
