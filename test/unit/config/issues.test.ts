/** Messages, hints and positions of schema problems, through the public `parseConfig`. */
import { describe, expect, it } from 'vitest';
import { describe as describeValue } from '../../../src/config/issues.js';
import { MINIMAL, problems } from './support.js';

const env = (body: string) => `version: 1\nname: shop\nenvironments:\n  staging:\n    app: shop-staging\n${body}`;

describe('schema diagnostics', () => {
  it('names a missing required key at the map that should hold it', () => {
    expect(problems('name: shop\nenvironments:\n  staging:\n    app: shop-staging\n')).toEqual([
      'app.yaml:1:1: error: missing required key "version" (at version)',
    ]);
    expect(
      problems(
        'version: 1\nname: shop\ncloudflare:\n  zones:\n    shop.example: {}\nenvironments:\n  staging:\n    app: shop-staging\n',
      ),
    ).toEqual(['app.yaml:5:5: error: missing required key "owner" (at cloudflare.zones.shop.example.owner)']);
  });

  it('says what type was expected and what was found', () => {
    expect(
      problems(
        env(
          '    domains: staging.shop.example\n    acm: 1\n    features: { a: 1 }\n    formation: { web: { quantity: 1.5, size: basic } }\n',
        ),
      ),
    ).toEqual([
      'app.yaml:6:14: error: expected a list, got the string "staging.shop.example" (at environments.staging.domains)',
      'app.yaml:7:10: error: expected true or false, got the number 1 (at environments.staging.acm)',
      'app.yaml:8:15: error: expected a list, got a map (at environments.staging.features)',
      'app.yaml:9:35: error: expected a whole number, got 1.5 (at environments.staging.formation.web.quantity)',
    ]);
    expect(problems('version: 1\nname: shop\nenvironments: [staging]\n')).toEqual([
      'app.yaml:3:15: error: expected a map, got a list (at environments)',
    ]);
  });

  it('suggests quoting when YAML read a number or boolean where a string is wanted', () => {
    expect(problems(env('    team: 2024\n    stack: true\n    config:\n      A: { from_env: 1.10 }\n'))).toEqual([
      'app.yaml:6:11: error: expected a string, got the number 2024 (at environments.staging.team) — hint: quote it to make it a string: "2024"',
      'app.yaml:7:12: error: expected a string, got true (at environments.staging.stack) — hint: quote it to make it a string: "true"',
      'app.yaml:9:22: error: expected a string, got the number 1.1 (at environments.staging.config.A.from_env) — hint: quote it to make it a string: "1.10"',
    ]);
  });

  it('explains an empty value', () => {
    expect(problems(env('    region:\n'))).toEqual([
      'app.yaml:6:12: error: expected a string, got an empty value (at environments.staging.region) — hint: write a value after the colon (`""` for an empty string)',
    ]);
  });

  it('bounds numbers, strings and lists', () => {
    expect(
      problems(
        env(
          '    formation: { web: { quantity: 10001, size: standard-1x } }\n    healthcheck: { path: /h, timeout: 0, expect_status: [] }\n' +
            'cloudflare:\n  zones:\n    shop.example:\n      owner: ""\n',
        ),
      ),
    ).toEqual([
      'app.yaml:6:35: error: must be at most 10000 (at environments.staging.formation.web.quantity)',
      'app.yaml:7:39: error: must be at least 1 (at environments.staging.healthcheck.timeout)',
      'app.yaml:7:57: error: needs at least 1 item (at environments.staging.healthcheck.expect_status)',
      'app.yaml:11:14: error: must not be empty (at cloudflare.zones.shop.example.owner)',
    ]);
  });

  it('reports the union alternative the value was meant to be', () => {
    expect(
      problems(env('    healthcheck: { path: /h, expect_status: 700 }\n    config:\n      A: { value: [1] }\n')),
    ).toEqual([
      'app.yaml:6:45: error: must be at most 599 (at environments.staging.healthcheck.expect_status)',
      'app.yaml:8:19: error: expected a string, a number or a boolean, got a list (at environments.staging.config.A.value)',
    ]);
    expect(problems(env('    healthcheck: { path: /h, expect_status: [200, 99] }\n'))).toEqual([
      'app.yaml:6:51: error: must be at least 100 (at environments.staging.healthcheck.expect_status[1])',
    ]);
    expect(problems(env('    healthcheck: { path: /h, expect_status: ok }\n'))).toEqual([
      'app.yaml:6:45: error: expected a number or a list, got the string "ok" (at environments.staging.healthcheck.expect_status)',
    ]);
  });

  it('lists enum values and suggests the closest', () => {
    expect(problems(env('    stage: prod\n'))).toEqual([
      'app.yaml:6:12: error: expected "development", "staging" or "production", got the string "prod" (at environments.staging.stage) — hint: did you mean "production"?',
    ]);
    expect(problems(env('    stage: live\n'))).toEqual([
      'app.yaml:6:12: error: expected "development", "staging" or "production", got the string "live" (at environments.staging.stage)',
    ]);
    expect(problems(env('    stage: Production\n'))).toEqual([
      'app.yaml:6:12: error: expected "development", "staging" or "production", got the string "Production" (at environments.staging.stage) — hint: did you mean "production"?',
    ]);
  });

  it('points invalid map keys at the key', () => {
    expect(problems(env('    formation:\n      "web process": { quantity: 1, size: basic }\n'))).toEqual([
      'app.yaml:7:7: error: "web process" is not a valid process type: letters, digits, _ and -, up to 128 (at environments.staging.formation.web process)',
    ]);
    expect(problems('version: 1\nname: shop\nenvironments:\n  Staging:\n    app: shop-staging\n')).toEqual([
      'app.yaml:4:3: error: "Staging" is not a valid environment name: lower-case letters, digits, _ and -, starting with a letter (at environments.Staging)',
    ]);
  });

  it('gives unknown keys a did-you-mean, an allowed list, or a pointer to the right place', () => {
    expect(problems(`${MINIMAL}    logDrains: []\n    zzz: 1\n`)).toEqual([
      'app.yaml:6:5: error: unknown key "logDrains" (at environments.staging.logDrains) — hint: did you mean "log_drains"?',
      expect.stringMatching(
        /^app\.yaml:7:5: error: unknown key "zzz" \(at environments\.staging\.zzz\) — hint: allowed: app, stage, team, /,
      ),
    ]);
    expect(problems(`${MINIMAL}    formation:\n      web: { quantity: 1, size: basic, sise: x }\n`)).toEqual([
      'app.yaml:7:40: error: unknown key "sise" (at environments.staging.formation.web.sise) — hint: did you mean "size"?',
    ]);
    expect(problems(`<<: { region: us }\n${MINIMAL}`)).toEqual([
      'app.yaml:1:1: error: unknown key "<<" (at <<) — hint: YAML merge keys are not supported: put shared settings under `defaults:`',
    ]);
    expect(problems(`app: shop\n${MINIMAL}`)).toEqual([
      'app.yaml:1:1: error: unknown key "app" (at app) — hint: "app" is an environment setting: put it under `defaults:` or under an environment',
    ]);
  });

  it('gives custom checks their hints and suggestions', () => {
    expect(problems(env('    formation: { web: { quantity: 1, size: standard2x } }\n'))).toEqual([
      'app.yaml:6:44: error: unknown dyno size "standard2x" (at environments.staging.formation.web.size) — hint: did you mean "standard-2x"?',
    ]);
  });
});

describe('describe', () => {
  it.each([
    [null, 'an empty value'],
    [undefined, 'an empty value'],
    [[1], 'a list'],
    [{ a: 1 }, 'a map'],
    [false, 'false'],
    [3, 'the number 3'],
    ['x', 'the string "x"'],
  ])('%j is %s', (value, text) => {
    expect(describeValue(value)).toBe(text);
  });
});
