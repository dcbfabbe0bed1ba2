import { defineConfig } from 'vitest/config';

/**
 * The tests Stryker runs (`npm run mutation`, stryker.config.mjs): the unit tests, plus the
 * Cloudflare provider tests of reading, applying and WAF rules (rule ownership: which rules are
 * ours is decided inside the provider's read and apply), of the cache purge, and the Heroku
 * provider tests of reading the apps (what the read's requests and pages are is decided there). They import src/ directly, so no dist/ build
 * (test/global-setup.ts) is needed. The end-to-end suites (integration, golden, fuzz) and the other
 * provider tests stay out of the mutation loop: every client call goes through the retry and
 * redaction code, so each of those mutants would run every provider test; their unit tests are
 * the ones meant to kill them.
 */
export default defineConfig({
  test: {
    include: [
      'test/unit/**/*.test.ts',
      'test/providers/cloudflare/read.test.ts',
      'test/providers/cloudflare/apply.test.ts',
      'test/providers/cloudflare/waf.test.ts',
      'test/providers/cloudflare/purge.test.ts',
      'test/providers/heroku/read-apps.test.ts',
      'test/providers/heroku/read-apps-answers.test.ts',
    ],
    exclude: ['test/unit/architecture.test.ts'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
