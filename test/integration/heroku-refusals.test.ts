import { describe, expect, it } from 'vitest';
import { useSandbox } from '../helpers/sandbox.js';
import { herokuRequests, herokuWrites, QUICK_HEROKU, REFERENCE_YAML, Scenario } from '../helpers/scenario.js';

// What apply refuses, each with a non-zero exit, a message that says what and why, and no write.
const STRIPE = 'sk_test_refusals_77aa';

describe('Heroku refusals against the sandbox', () => {
  const sandbox = useSandbox({ seed: 8, zones: ['daffeinated.com:enterprise'], heroku: QUICK_HEROKU });

  async function appliedStaging(): Promise<Scenario> {
    const scenario = new Scenario(sandbox, REFERENCE_YAML, { STRIPE_KEY: STRIPE });
    const applied = await scenario.run(['apply', 'staging', '--yes']);
    expect(applied.code, applied.stderr).toBe(0);
    sandbox().resetLog();
    return scenario;
  }

  it('refuses to delete a protected data add-on, saying what would be lost, until --allow-destroy names it', async () => {
    const scenario = await appliedStaging();
    const database = sandbox()
      .state()
      .heroku.apps.find((a) => a.name === 'daffeinated-staging')
      ?.addons.find((a) => a.service.name === 'heroku-postgresql');
    scenario.write(
      REFERENCE_YAML.replace(
        '    database: { plan: "heroku-postgresql:essential-0", as: DATABASE }   # protected by default\n',
        '',
      )
        .replace('    stage: staging\n', '    stage: staging\n    prune: { addons: true }\n')
        .replace(
          '      database: { plan: "heroku-postgresql:standard-0", backups: { schedule: "02:00 Europe/Berlin" } }   # keeps `as: DATABASE` from defaults\n',
          '',
        ),
    );
    const address = `heroku.addon[staging/${database?.name}]`;
    const refused = await scenario.run(['apply', 'staging', '--yes']);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain(
      `Refusing to apply: deleting ${address} destroys the add-on (heroku-postgresql:essential-0) and all its data`,
    );
    expect(refused.stderr).toContain(`--allow-destroy '${address}'`);
    expect(herokuWrites(sandbox())).toEqual([]);

    const allowed = await scenario.run(['apply', 'staging', '--yes', '--allow-destroy', address]);
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(herokuWrites(sandbox())).toEqual([`DELETE /apps/daffeinated-staging/addons/${database?.id}`]);
  });

  it('refuses to replace a protected add-on whose service changes', async () => {
    const scenario = await appliedStaging();
    scenario.write(
      REFERENCE_YAML.replace(
        'database: { plan: "heroku-postgresql:essential-0", as: DATABASE }',
        'database: { plan: "heroku-redis:mini", as: DATABASE }',
      ),
    );
    const refused = await scenario.run(['apply', 'staging', '--yes']);
    expect(refused.code, refused.stderr).toBe(3);
    expect(refused.stderr).toContain(
      'replacing heroku.addon[staging/database] (service cannot change in place) destroys the add-on (heroku-postgresql:essential-0) and all its data',
    );
    expect(herokuWrites(sandbox())).toEqual([]);
  });

  // The real API answers 422 invalid_params "Couldn't find either the add-on service or the add-on
  // plan" (heroku/cli addons:create test fixtures); the plan reads the catalogue and says so first.
  it('refuses an add-on plan or service Heroku does not have at its app.yaml line, before any write', async () => {
    const scenario = await appliedStaging();
    scenario.write(
      REFERENCE_YAML.replace(
        'database: { plan: "heroku-postgresql:essential-0", as: DATABASE }',
        'database: { plan: "heroku-postgresql:essential-9", as: DATABASE }',
      ).replace(
        '    domains: [staging.daffeinated.com]\n',
        '    domains: [staging.daffeinated.com]\n    addons:\n      queue: { plan: "no-such-queue:tiny" }\n',
      ),
    );
    const line = (text: string) => REFERENCE_YAML.split('\n').findIndex((l) => l.includes(text)) + 1;
    const refused = await scenario.run(['apply', 'staging', '--yes']);
    expect(refused.code, refused.stderr).toBe(1);
    expect(refused.stderr).toContain(`app.yaml:${line('heroku-postgresql:essential-0')}:`);
    expect(refused.stderr).toContain(
      'heroku.addon[staging/database]: Heroku has no add-on plan heroku-postgresql:essential-9',
    );
    expect(refused.stderr).toContain(
      'heroku-postgresql offers heroku-postgresql:essential-0, heroku-postgresql:essential-1',
    );
    expect(refused.stderr).toContain('Heroku has no add-on plan no-such-queue:tiny (no add-on service no-such-queue)');
    expect(herokuWrites(sandbox())).toEqual([]);
  });

  // Dev Center "Changing the Plan or Infrastructure of a Heroku Postgres Database": Essential
  // changes in place only to Essential plans; another tier needs pg:copy into a new database.
  it('refuses a Postgres plan change out of the Essential tier with the copy procedure, before any write', async () => {
    const scenario = await appliedStaging();
    scenario.write(
      REFERENCE_YAML.replace(
        'database: { plan: "heroku-postgresql:essential-0", as: DATABASE }',
        'database: { plan: "heroku-postgresql:standard-0", as: DATABASE }',
      ),
    );
    const line = REFERENCE_YAML.split('\n').findIndex((l) => l.includes('heroku-postgresql:essential-0')) + 1;
    const refused = await scenario.run(['apply', 'staging', '--yes']);
    expect(refused.code, refused.stderr).toBe(1);
    expect(refused.stderr).toContain(`app.yaml:${line}:`);
    expect(refused.stderr).toContain(
      'heroku.addon[staging/database]: Heroku cannot change heroku-postgresql:essential-0 to heroku-postgresql:standard-0 in place',
    );
    expect(refused.stderr).toContain('heroku pg:copy DATABASE_URL <NEW_ATTACHMENT>_URL');
    expect(herokuWrites(sandbox())).toEqual([]);
  });

  it('stops before any request when a from_env variable is missing', async () => {
    const scenario = new Scenario(
      sandbox,
      REFERENCE_YAML.replace(
        'STRIPE_KEY: { from_env: STRIPE_KEY, optional: true }',
        'STRIPE_KEY: { from_env: STRIPE_KEY }',
      ),
    );
    const result = await scenario.run(['apply', 'staging', '--yes']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('STRIPE_KEY needs the environment variable STRIPE_KEY, which is not set');
    expect(herokuRequests(sandbox())).toEqual([]);
  });

  it('refuses a config that would overwrite a var an add-on owns, and writes nothing', async () => {
    const scenario = await appliedStaging();
    const monitoring = sandbox()
      .state()
      .heroku.apps.find((a) => a.name === 'daffeinated-staging')
      ?.addons.find((a) => a.service.name === 'newrelic');
    scenario.write(
      REFERENCE_YAML.replace(
        '    NODE_ENV: production\n',
        '    NODE_ENV: production\n    NEW_RELIC_LICENSE_KEY: mine\n',
      ),
    );
    const result = await scenario.run(['apply', 'staging', '--yes']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `NEW_RELIC_LICENSE_KEY is set by the add-on ${monitoring?.name} and is not managed from app.yaml: writing it would overwrite the add-on's value`,
    );
    expect(result.stderr).toContain('hint: remove NEW_RELIC_LICENSE_KEY from app.yaml');
    expect(herokuWrites(sandbox())).toEqual([]);
  });
});
