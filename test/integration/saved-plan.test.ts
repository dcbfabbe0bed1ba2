import { describe, expect, it } from 'vitest';
import { heroku, useSandbox } from '../helpers/sandbox.js';
import { isLockBookkeeping, QUICK_HEROKU, REFERENCE_YAML, Scenario } from '../helpers/scenario.js';

// `apply PLAN.json` end to end: a plan saved with `plan --out` is applied only while it still
// describes the world; once live state or app.yaml moved, the apply is refused (exit 3) before any
// write, the apply lock included.
const STRIPE = 'sk_test_saved_plan_0b7e';
const WITH_FLAG = REFERENCE_YAML.replace('    NODE_ENV: production\n', '    NODE_ENV: production\n    FEATURE_FLAGS: checkout\n');

describe('apply PLAN.json against the sandbox', () => {
  const sandbox = useSandbox({ seed: 11, zones: ['daffeinated.com:pro'], heroku: QUICK_HEROKU });

  /** Staging applied from the reference config, then a plan saved that adds FEATURE_FLAGS. */
  async function savedPlan(): Promise<Scenario> {
    expect(REFERENCE_YAML).not.toBe(WITH_FLAG);
    const scenario = new Scenario(sandbox, REFERENCE_YAML, { STRIPE_KEY: STRIPE });
    const applied = await scenario.run(['apply', 'staging', '--yes']);
    expect(applied.code, applied.stderr).toBe(0);
    scenario.write(WITH_FLAG);
    const saved = await scenario.run(['plan', 'staging', '--out', 'plan.json']);
    expect(saved.code, saved.stderr).toBe(0);
    expect(saved.stdout).toContain('FEATURE_FLAGS');
    return scenario;
  }

  /** Requests other than reads since the log was last reset, but for the lock --yes takes alongside the plan's read. */
  const writes = () =>
    sandbox()
      .requestLog()
      .filter((entry) => entry.method !== 'GET' && !isLockBookkeeping(entry))
      .map((e) => `${e.method} ${e.path}`);

  it('refuses a plan whose live state changed since it was saved, writing nothing', async () => {
    const scenario = await savedPlan();
    const patch = await heroku(sandbox(), 'PATCH', '/apps/daffeinated-staging/config-vars', { body: { NODE_ENV: 'staging' } });
    expect(patch.status).toBe(200);
    sandbox().resetLog();
    const applied = await scenario.run(['apply', 'plan.json', '--yes']);
    expect(applied.code, applied.stderr).toBe(3);
    expect(applied.stderr).toContain('The saved plan is stale: live state has changed since (someone or something else changed it).');
    expect(applied.stderr).toContain('daffeinated plan --out FILE');
    expect(writes()).toEqual([]);
    const vars = await heroku<Record<string, string>>(sandbox(), 'GET', '/apps/daffeinated-staging/config-vars');
    expect(vars.body).toMatchObject({ NODE_ENV: 'staging' });
    expect(vars.body).not.toHaveProperty('FEATURE_FLAGS');
  });

  it('refuses a plan whose app.yaml changed since it was saved, writing nothing', async () => {
    const scenario = await savedPlan();
    scenario.write(WITH_FLAG.replace('FEATURE_FLAGS: checkout', 'FEATURE_FLAGS: checkout,search'));
    sandbox().resetLog();
    const applied = await scenario.run(['apply', 'plan.json', '--yes']);
    expect(applied.code, applied.stderr).toBe(3);
    expect(applied.stderr).toContain('The saved plan is stale: app.yaml (or a value it reads) has changed since.');
    expect(writes()).toEqual([]);
  });

  it('applies the saved plan while nothing moved', async () => {
    const scenario = await savedPlan();
    sandbox().resetLog();
    const applied = await scenario.run(['apply', 'plan.json', '--yes']);
    expect(applied.code, applied.stderr).toBe(0);
    expect(writes()).toContain('PATCH /apps/daffeinated-staging/config-vars');
    const vars = await heroku<Record<string, string>>(sandbox(), 'GET', '/apps/daffeinated-staging/config-vars');
    expect(vars.body).toMatchObject({ FEATURE_FLAGS: 'checkout' });
  });
});
