// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${VAR}` is app.yaml syntax, written literally here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useSandbox } from '../helpers/sandbox.js';
import { QUICK_HEROKU, REFERENCE_YAML, Scenario } from '../helpers/scenario.js';

// `${VAR}` in a buildpack URL (a token to a private buildpack) and in an add-on option makes that
// value sensitive, as it does a config var: the token is in no output of plan, apply (with
// --debug), drift, in any format, nor in a saved plan. What is sent to Heroku is the real value.
const BUILDPACK_TOKEN = 'ghp_canaryBuildpackToken4b7e1d';
const OPTION_SECRET = 'canary-addon-option-9c2f';
const ENV = { STRIPE_KEY: 'sk_test_interpolated', BUILDPACK_TOKEN, OPTION_SECRET, DAFFEINATED_RETRY_BASE_MS: '1' };
const BUILDPACK = 'https://x-access-token:${BUILDPACK_TOKEN}@buildpacks.example.net/private.tgz';
const YAML = REFERENCE_YAML.replace('buildpacks: [heroku/nodejs]', `buildpacks: [heroku/nodejs, "${BUILDPACK}"]`).replace(
  'monitoring: { plan: "newrelic:wayne" }',
  'monitoring: { plan: "newrelic:wayne", options: { license: "${OPTION_SECRET}", region: eu } }',
);

describe('${VAR} in buildpack URLs and add-on options', () => {
  const sandbox = useSandbox({ seed: 83, zones: [{ name: 'daffeinated.com', plan: 'pro' }], heroku: QUICK_HEROKU });

  it('is never shown, in any command or format, and is applied as written', async () => {
    expect(YAML).toContain('${BUILDPACK_TOKEN}');
    expect(YAML).toContain('${OPTION_SECRET}');
    const scenario = new Scenario(sandbox, YAML, ENV);
    const outputs: string[] = [];
    const run = async (args: string[], code: number) => {
      const result = await scenario.run(args);
      expect(result.code, result.stderr).toBe(code);
      outputs.push(result.stdout, result.stderr);
      return result;
    };
    const human = await run(['plan', 'staging'], 0);
    expect(human.stdout).toMatch(/buildpacks[^\n]*\(sensitive\)/);
    expect(human.stdout).toMatch(/options[^\n]*\(sensitive\)/);
    const json = await run(['plan', 'staging', '--format', 'json'], 0);
    const changes = (JSON.parse(json.stdout) as { changes: { address: string; attributes: { name: string; after?: unknown; sensitive: boolean }[] }[] }).changes;
    const attribute = (address: string, name: string) => changes.find((c) => c.address === address)?.attributes.find((a) => a.name === name);
    expect(attribute('heroku.buildpacks[staging]', 'buildpacks')).toMatchObject({ after: '(sensitive)', sensitive: true });
    expect(attribute('heroku.addon[staging/monitoring]', 'options')).toMatchObject({ after: '(sensitive)', sensitive: true });
    await run(['plan', 'staging', '--format', 'markdown', '--out', 'staging.plan'], 0);
    outputs.push(readFileSync(join(scenario.cwd, 'staging.plan'), 'utf8'));
    await run(['apply', 'staging', '--yes', '--debug'], 0);
    await run(['drift', 'staging', '--format', 'json'], 0);
    // Someone swaps the private buildpack by hand: the drift shows a change, still without the token.
    const app = sandbox()
      .state()
      .heroku.apps.find((a) => a.name === 'daffeinated-staging');
    expect(app?.buildpacks.map((b) => b.url)).toEqual(['heroku/nodejs', BUILDPACK.replace('${BUILDPACK_TOKEN}', BUILDPACK_TOKEN)]);
    const addon = app?.addons.find((a) => a.service.name === 'newrelic');
    expect(addon).toBeDefined();
    const swapped = await scenario.run(['drift', 'staging'], { BUILDPACK_TOKEN: 'ghp_rotatedToken' });
    expect(swapped.code).toBe(2);
    expect(swapped.stdout).toMatch(/buildpacks[^\n]*\(sensitive\)/);
    outputs.push(swapped.stdout, swapped.stderr);
    for (const text of outputs) {
      expect(text).not.toContain(BUILDPACK_TOKEN);
      expect(text).not.toContain(OPTION_SECRET);
      expect(text).not.toContain('ghp_rotatedToken');
    }
  }, 60_000);

  it('an API error that echoes a rejected buildpack URL does not show its token', async () => {
    // Heroku (and the sandbox) reject a non-http(s) buildpack, quoting it in the error.
    const yaml = YAML.replace(BUILDPACK, BUILDPACK.replace('https://', 'ftp://'));
    const scenario = new Scenario(sandbox, yaml, ENV);
    const failed = await scenario.run(['apply', 'staging', '--yes', '--debug']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/is not a buildpack/);
    expect(failed.stderr).toMatch(/: \[redacted\] is not a buildpack/);
    expect(failed.stdout + failed.stderr).not.toContain(BUILDPACK_TOKEN);
  }, 60_000);
});
