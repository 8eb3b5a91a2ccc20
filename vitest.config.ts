import { defineConfig } from 'vitest/config';

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
    coverage: {
      provider: 'v8',
      // The SDK and the rules are gated; a drop below these fails `npm test`.
      include: ['packages/core/src/**/*.ts', 'packages/rules/src/**/*.ts'],
      exclude: ['**/*.test.ts', '**/index.ts', '**/types.ts', '**/test-support/**', '**/testing/**'],
      thresholds: { statements: 90, branches: 82, functions: 92, lines: 92 },
    },
  },
});
