import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// On two cores Vitest's default (one worker fewer than the cores) runs one file at a time, while most files wait
// on loopback servers and child processes: two at a time. The suite's timing claims are ratios measured within
// one process (linear-work.test.ts, retried when a busy neighbour spoils a measurement), never absolute times.
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
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
      'samples/**/*.test.ts',
      'functions/**/*.test.ts',
    ],
    testTimeout: 30_000,
    maxWorkers: workers,
    coverage: {
      provider: 'v8',
      // The SDK and the rules are gated; a drop below these fails `npm test`.
      include: ['packages/core/src/**/*.ts', 'packages/rules/src/**/*.ts'],
      exclude: ['**/*.test.ts', '**/index.ts', '**/types.ts', '**/test-support/**', '**/testing/**'],
      thresholds: { statements: 90, branches: 82, functions: 92, lines: 92 },
    },
  },
});
