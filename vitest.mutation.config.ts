import { defineConfig } from 'vitest/config';

/**
 * The tests Stryker runs (`npm run mutation`, stryker.config.mjs): the unit tests and the
 * Cloudflare provider tests (DNS record and WAF rule ownership against the sandbox). They import
 * src/ directly, so no dist/ build (test/global-setup.ts) is needed. The end-to-end suites
 * (integration, golden, fuzz) and the Heroku provider tests stay out of the mutation loop: every
 * Heroku client call goes through the retry and redaction code, so each of its mutants would run
 * hundreds of slow sandbox tests; their unit tests are meant to kill them.
 */
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/providers/cloudflare/**/*.test.ts'],
    exclude: ['test/unit/architecture.test.ts'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
