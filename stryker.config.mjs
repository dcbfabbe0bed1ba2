// Mutation testing of the safety-critical modules (`npm run mutation`; results in docs/MUTATION.md).
// Not part of .ci/run: one run takes tens of minutes on a 2-core machine.
// Stryker is no devDependency (130 of the 338 packages `npm ci` installed were its): `npm run mutation` runs the pinned
// versions through npx, with the vitest the lockfile pins (the runner loads its own copy; keep
// them in step when vitest is upgraded).
// A range `file:from-to` mutates only those lines: the functions named first in the comment beside
// it (`// name, name: why`). test/unit/mutation-ranges.test.ts fails when one of them has moved out
// of its range; then update the range.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  coverageAnalysis: 'perTest',
  // Stryker rewrites the tsconfig it is pointed at with TypeScript's JS API, which TypeScript 7 no
  // longer has; ours refers to nothing outside the project, so it is pointed at no tsconfig at all.
  tsconfigFile: 'no-tsconfig-for-stryker.json',
  concurrency: 2,
  timeoutMS: 10_000,
  // A static mutant (a module-level constant: a regex, a policy, a message) cannot be traced to the
  // tests that use it, so each would run the whole test set; they are left out (docs/MUTATION.md).
  ignoreStatic: true,
  mutate: [
    // --allow-destroy, protect, the DNS change threshold.
    'src/engine/safety.ts',
    // Plan files and the stale check.
    'src/engine/planfile.ts',
    'src/engine/saved-plan.ts',
    'src/engine/digest.ts',
    // Redaction and secrets: redacted, errorShows, scrubSecrets; mayHaveHappened (what may be resent).
    'src/runtime/errors.ts:165-216', // redacted, errorShows, scrubSecrets
    'src/runtime/errors.ts:236-242', // mayHaveHappened
    'src/runtime/secret-text.ts', // a secret as written or JSON-escaped, found and replaced
    'src/model/sensitive.ts',
    'src/providers/heroku/desired.ts:93-161', // addConfigVars: which config vars are sensitive
    // Retries and idempotency.
    'src/runtime/retry.ts',
    // Ownership of DNS records and of WAF rules.
    'src/providers/cloudflare/records.ts',
    'src/providers/cloudflare/convert.ts:178-180', // isOurRule
    'src/providers/cloudflare/read.ts:147-158', // readPhase: ours vs foreign rules
    'src/providers/cloudflare/apply.ts:136-156', // applyRuleset: foreign rules kept on write
    // The apply lock, promote/rollback, the health check.
    'src/workflows/lock.ts',
    'src/workflows/lock-holder.ts',
    'src/workflows/promote.ts',
    'src/workflows/health.ts',
    // The apply locks tried alongside the plan's read: kept where it changes, released elsewhere.
    'src/workflows/early-locks.ts',
    // The account-wide read of the apps: an app that does not exist is nothing, every part kept.
    'src/providers/heroku/read-apps.ts',
    // The drill's teardown: only a marked or pristine drill app and its add-ons are ever deleted.
    'src/workflows/drill-teardown.ts',
    // The cache purge after a release: only once it is known healthy; batches, and a partial failure said.
    'src/providers/cloudflare/purge.ts',
    'src/workflows/purge.ts',
  ],
  // Re-runs only mutants whose code or covering tests changed since the last run.
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
