import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../../src/config/index.js';
import { executionLevels } from '../../../../src/engine/order.js';
import type { Change } from '../../../../src/engine/types.js';
import type { Config } from '../../../../src/model/config.js';
import { isUnknown } from '../../../../src/model/value.js';
import { desiredHeroku } from '../../../../src/providers/heroku/desired.js';
import { drainAddresses, pipelineScope } from '../../../../src/providers/heroku/desired-extras.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const reference = readFileSync(resolve(root, 'config/app.yaml'), 'utf8');

function load(text: string): Config {
  const parsed = parseConfig(text, 'app.yaml', {});
  if (parsed.config === undefined) throw new Error(JSON.stringify(parsed.diagnostics));
  return parsed.config;
}

const config = load(reference);

describe('desired Heroku state', () => {
  it('turns every Heroku part of the reference config into resources, without "not yet managed" warnings', () => {
    const build = desiredHeroku(config, ['staging'], { STRIPE_KEY: 'sk' });
    expect(build.diagnostics).toEqual([]);
    expect(build.resources.map((r) => r.address)).toEqual([
      'heroku.app[staging]',
      'heroku.config[staging]',
      'heroku.addon[staging/database]',
      'heroku.addon[staging/cache]',
      'heroku.addon[staging/monitoring]',
      'heroku.buildpacks[staging]',
      'heroku.domain[staging/staging.daffeinated.com]',
      'heroku.formation[staging/web]',
      'heroku.pipeline[daffeinated]',
      'heroku.coupling[staging]',
    ]);
    const byAddress = new Map(build.resources.map((r) => [r.address, r]));
    expect(byAddress.get('heroku.app[staging]')?.attributes['acm']).toBe(true);
    expect(byAddress.get('heroku.addon[staging/database]')).toMatchObject({
      attributes: { service: 'heroku-postgresql', plan: 'heroku-postgresql:essential-0', as: 'DATABASE' },
      protect: true,
      replaceOn: ['service', 'as'],
    });
    expect(byAddress.get('heroku.addon[staging/monitoring]')?.protect).toBe(false);
    expect(isUnknown(byAddress.get('heroku.domain[staging/staging.daffeinated.com]')?.attributes['cname'])).toBe(true);
    expect(byAddress.get('heroku.coupling[staging]')?.attributes['stage']).toBe('staging');
  });

  it('orders apply: app, then the middle, then formation, then coupling', () => {
    const build = desiredHeroku(config, ['production'], {});
    const creates: Change[] = build.resources.map((after) => ({
      action: 'create',
      address: after.address,
      provider: 'heroku',
      kind: after.kind,
      scope: after.scope,
      after,
      diffs: [],
    }));
    const levels = executionLevels(creates).map((level) => level.map((c) => c.address));
    expect(levels).toEqual([
      ['heroku.app[production]', 'heroku.pipeline[daffeinated]'],
      [
        'heroku.addon[production/cache]',
        'heroku.addon[production/database]',
        'heroku.addon[production/monitoring]',
        'heroku.buildpacks[production]',
        'heroku.config[production]',
        'heroku.domain[production/daffeinated.com]',
        'heroku.domain[production/www.daffeinated.com]',
        'heroku.feature[production/preboot]',
      ],
      [
        'heroku.backup-schedule[production/database]',
        'heroku.formation[production/web]',
        'heroku.formation[production/worker]',
      ],
      ['heroku.coupling[production]'],
    ]);
  });

  it('puts the pipeline in the scope of the first planned environment by stage, so one environment can create it', () => {
    expect(pipelineScope(config, ['staging'])).toBe('staging');
    expect(pipelineScope(config, ['production'])).toBe('production');
    expect(pipelineScope(config, ['production', 'staging'])).toBe('staging');
    const both = desiredHeroku(config, ['production', 'staging'], {});
    expect(both.resources.filter((r) => r.kind === 'heroku.pipeline').map((r) => r.scope)).toEqual(['staging']);
    // Planning staging never names production's coupling.
    expect(
      desiredHeroku(config, ['staging'], {}).resources.some((r) => r.address === 'heroku.coupling[production]'),
    ).toBe(false);
  });

  it('addresses drains by host, never by URL, and marks the URL sensitive', () => {
    const urls = ['https://u:secret@logs.example.net/a', 'https://logs.example.net/b', 'syslog+tls://p.example:514'];
    expect(drainAddresses('staging', urls)).toEqual([
      'heroku.drain[staging/logs.example.net]',
      'heroku.drain[staging/logs.example.net#2]',
      'heroku.drain[staging/p.example:514]',
    ]);
    const text = reference.replace(
      '    domains: [staging.daffeinated.com]',
      '    domains: [staging.daffeinated.com]\n    log_drains: ["https://u:secret@logs.example.net/a"]',
    );
    const drain = desiredHeroku(load(text), ['staging'], {}).resources.find((r) => r.kind === 'heroku.drain');
    expect(drain).toMatchObject({ address: 'heroku.drain[staging/logs.example.net]', sensitive: ['url'] });
  });

  it('protects data add-ons unless app.yaml says protect: false, and any add-on that says protect: true', () => {
    const text = reference
      .replace('as: DATABASE }', 'as: DATABASE, protect: false }')
      .replace('monitoring: { plan: "newrelic:wayne" }', 'monitoring: { plan: "newrelic:wayne", protect: true }');
    const protect = new Map(desiredHeroku(load(text), ['staging'], {}).resources.map((r) => [r.address, r.protect]));
    expect(protect.get('heroku.addon[staging/database]')).toBe(false);
    expect(protect.get('heroku.addon[staging/cache]')).toBe(true);
    expect(protect.get('heroku.addon[staging/monitoring]')).toBe(true);
  });

  it('marks config vars sensitive by declaration and by name, literal values included', () => {
    const text = reference.replace(
      '    NODE_ENV: production\n',
      '    NODE_ENV: production\n    API_TOKEN: tok-literal-1234\n    db_password: hunter2\n' +
        '    LOG_LEVEL: { value: debug, sensitive: true }\n    TOKENIZER_MODE: fast\n',
    );
    const build = desiredHeroku(load(text), ['staging'], { STRIPE_KEY: 'sk' });
    const vars = build.resources.find((r) => r.kind === 'heroku.config');
    expect(vars?.attributes).toMatchObject({ API_TOKEN: 'tok-literal-1234', TOKENIZER_MODE: 'fast' });
    expect(vars?.sensitive).toEqual(['API_TOKEN', 'LOG_LEVEL', 'SESSION_SECRET', 'STRIPE_KEY', 'db_password']);
  });

  it('stops on an unset required from_env variable, leaves an unset optional one unmanaged, both sensitive', () => {
    const text = reference.replace('    NODE_ENV: production\n', '    NODE_ENV: production\n    UPSTREAM: { from_env: UPSTREAM_URL }\n');
    const build = desiredHeroku(load(text), ['staging'], {});
    expect(build.diagnostics).toEqual([
      {
        severity: 'error',
        message: 'UPSTREAM needs the environment variable UPSTREAM_URL, which is not set',
        path: 'environments.staging.config.UPSTREAM',
        file: 'app.yaml',
        line: 21,
        col: 5,
        hint: 'export UPSTREAM_URL=… before running daffeinated, or declare it {from_env: UPSTREAM_URL, optional: true} to leave it alone when unset',
      },
    ]);
    const vars = build.resources.find((r) => r.kind === 'heroku.config');
    expect(Object.keys(vars?.attributes ?? {})).toEqual(['NODE_ENV', 'SESSION_SECRET']);
    expect(vars).toMatchObject({ sensitive: ['SESSION_SECRET', 'STRIPE_KEY', 'UPSTREAM'], exclusive: false, dependsOn: ['heroku.app[staging]'] });
    expect(vars?.notManaged).toEqual({ STRIPE_KEY: 'not managed in this run: its from_env variable STRIPE_KEY is unset or empty' });
    const secret = vars?.attributes['SESSION_SECRET'];
    expect(secret).toMatchObject({ reason: 'generated on first apply', preserveLive: true, generate: { kind: 'secret', bytes: 32 } });
    const set = desiredHeroku(load(text), ['staging'], { UPSTREAM_URL: 'https://up.example', STRIPE_KEY: 'sk' });
    expect(set.diagnostics).toEqual([]);
    expect(set.resources.find((r) => r.kind === 'heroku.config')?.attributes).toMatchObject({ UPSTREAM: 'https://up.example', STRIPE_KEY: 'sk' });
  });

  it('counts a variable set to "" as unset (GitHub Actions passes "" for a missing secret)', () => {
    const text = reference.replace('    NODE_ENV: production\n', '    NODE_ENV: production\n    UPSTREAM: { from_env: UPSTREAM_URL }\n');
    const build = desiredHeroku(load(text), ['staging'], { UPSTREAM_URL: '', STRIPE_KEY: '' });
    expect(build.diagnostics.map((d) => d.message)).toEqual(['UPSTREAM needs the environment variable UPSTREAM_URL, which is empty']);
    const vars = build.resources.find((r) => r.kind === 'heroku.config');
    expect(vars?.attributes).not.toHaveProperty('STRIPE_KEY');
    expect(Object.keys(vars?.notManaged ?? {})).toEqual(['STRIPE_KEY']);
  });

  it('offline (no env, as validate) reads no variable and reports nothing about from_env', () => {
    const text = reference.replace('    NODE_ENV: production\n', '    NODE_ENV: production\n    UPSTREAM: { from_env: UPSTREAM_URL }\n');
    const build = desiredHeroku(load(text), ['staging'], undefined);
    expect(build.diagnostics).toEqual([]);
    const vars = build.resources.find((r) => r.kind === 'heroku.config');
    expect(vars?.attributes['UPSTREAM']).toMatchObject({ reason: 'read from UPSTREAM_URL at plan time' });
  });

  it('points a from_env diagnostic at the file when the var has no recorded location, and prunes config only when asked', () => {
    const parsed = load(
      reference
        .replace('    stage: staging\n', '    stage: staging\n    prune: { config: true }\n')
        .replace('STRIPE_KEY: { from_env: STRIPE_KEY, optional: true }', 'STRIPE_KEY: { from_env: STRIPE_KEY }'),
    );
    const staging = parsed.environments['staging'];
    if (staging === undefined) throw new Error('no staging');
    const { 'config.STRIPE_KEY': _dropped, ...sources } = staging.sources;
    const config = { ...parsed, environments: { ...parsed.environments, staging: { ...staging, sources } } };
    const build = desiredHeroku(config, ['staging'], {});
    expect(build.diagnostics).toEqual([expect.objectContaining({ path: 'environments.staging.config.STRIPE_KEY', file: config.file })]);
    expect(build.diagnostics[0]).not.toHaveProperty('line');
    expect(build.resources.find((r) => r.kind === 'heroku.config')?.exclusive).toBe(true);
  });

  it('manages ACM and buildpacks only where app.yaml says so, and prunes only the kinds asked for', () => {
    const text = reference
      .replace('buildpacks: [heroku/nodejs]\n', '')
      .replace('  acm: true\n', '')
      .replace('    stage: staging\n', '    stage: staging\n    prune: { addons: true, log_drains: true }\n');
    const build = desiredHeroku(load(text), ['staging'], {});
    expect(build.resources.find((r) => r.kind === 'heroku.app')?.attributes).not.toHaveProperty('acm');
    expect(build.resources.some((r) => r.kind === 'heroku.buildpacks')).toBe(false);
    expect(build.prune).toEqual(['heroku.addon@staging', 'heroku.drain@staging']);
  });

  it('declares no pipeline without one in app.yaml, and no coupling for an environment without a stage', () => {
    const text = reference.replace('pipeline: daffeinated\n', '');
    expect(
      desiredHeroku(load(text), ['staging'], {}).resources.some(
        (r) => r.kind === 'heroku.pipeline' || r.kind === 'heroku.coupling',
      ),
    ).toBe(false);
    const stageless = reference.replace('    stage: staging\n', '');
    const build = desiredHeroku(load(stageless), ['staging'], {});
    expect(build.resources.filter((r) => r.kind === 'heroku.pipeline').map((r) => r.scope)).toEqual(['staging']);
    expect(build.resources.some((r) => r.kind === 'heroku.coupling')).toBe(false);
  });
});
