import { defineConfig } from 'vitest/config';

/**
 * The tests Stryker runs (`npm run mutation`, stryker.config.mjs): unit and provider tests only.
 * They import src/ directly, so no dist/ build (test/global-setup.ts) is needed; the slow
 * end-to-end suites (integration, golden, fuzz) stay out of the mutation loop.
 */
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/providers/**/*.test.ts'],
    exclude: ['test/unit/architecture.test.ts'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
