import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // At least two files at a time (vitest's default is one fewer than the cores: one on a 2-core
    // machine): most integration time is spent waiting on child processes — the CLI, the sandbox,
    // PostgreSQL — so a second worker fills the idle core. Measured on 2 cores: 667 → 365 s.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    coverage: { include: ['src/**/*.ts'], reporter: ['text-summary'] },
  },
});
