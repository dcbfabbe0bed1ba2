import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { herokuRoutes } from '../../src/sandbox/index.js';
import { admin, createApp, declareProcessTypes, heroku, useSandbox } from '../helpers/sandbox.js';
import { type Schema, SchemaValidator } from './json-schema.js';

// Every Heroku endpoint the sandbox serves answers with a body that validates against the
// targetSchema of the matching link in Heroku's official hyper-schema, and names every property
// that schema lists (`complete`).
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const schema = JSON.parse(readFileSync(resolve(root, '../shared/schemas/heroku-platform-api.json'), 'utf8')) as Schema;
const validator = new SchemaValidator(schema);

interface Link {
  readonly method: string;
  readonly href: string;
  readonly targetSchema?: Schema;
}

/** `/apps/{(%23%2Fdefinitions…)}/formation` and `/apps/:app/formation` both become `/apps/*\/formation`. */
function shape(method: string, path: string): string {
  const normalised = decodeURIComponent(path)
    .replace(/\{\([^)]*\)\}/g, '*')
    .replace(/:[A-Za-z_]+/g, '*');
  return `${method} ${normalised}`;
}

const links = new Map<string, Link>();
for (const definition of Object.values(schema['definitions'] as Record<string, { links?: Link[] }>)) {
  for (const link of definition.links ?? []) {
    const key = shape(link.method, link.href);
    if (!links.has(key)) links.set(key, link);
  }
}

interface Call {
  readonly method: string;
  readonly pattern: string;
  readonly path: string;
  readonly body?: unknown;
  readonly status: number;
}

describe('sandbox Heroku responses match the official schema', () => {
  const sandbox = useSandbox({ seed: 11 });
  let appId = '';
  let formationId = '';
  let releaseId = '';
  let addonId = '';
  let sizeId = '';

  async function world(): Promise<void> {
    const app = await createApp(sandbox(), 'contract-app');
    appId = app['id'] as string;
    await heroku(sandbox(), 'PATCH', '/apps/contract-app/config-vars', { body: { NODE_ENV: 'production' } });
    await declareProcessTypes(sandbox(), 'contract-app', { web: 'npm start', worker: 'node worker.js' });
    const addon = await admin<{ id: string }>(sandbox(), 'POST', '/apps/contract-app/addons', {
      plan: 'heroku-postgresql:essential-0',
    });
    addonId = addon.body.id;
    const formation = await heroku<{ id: string }[]>(sandbox(), 'GET', '/apps/contract-app/formation');
    formationId = (formation.body[0] as { id: string }).id;
    const releases = await heroku<{ id: string }[]>(sandbox(), 'GET', '/apps/contract-app/releases');
    releaseId = (releases.body[0] as { id: string }).id;
    const sizes = await heroku<{ id: string }[]>(sandbox(), 'GET', '/dyno-sizes');
    sizeId = (sizes.body[0] as { id: string }).id;
    await createApp(sandbox(), 'contract-doomed');
  }

  function calls(): Call[] {
    return [
      { method: 'GET', pattern: '/account', path: '/account', status: 200 },
      { method: 'GET', pattern: '/account/rate-limits', path: '/account/rate-limits', status: 200 },
      {
        method: 'POST',
        pattern: '/apps',
        path: '/apps',
        body: { name: 'contract-new', region: 'eu', stack: 'heroku-22' },
        status: 201,
      },
      {
        method: 'POST',
        pattern: '/teams/apps',
        path: '/teams/apps',
        body: { name: 'contract-team-app', team: 'contract-team' },
        status: 201,
      },
      { method: 'GET', pattern: '/apps', path: '/apps', status: 200 },
      { method: 'GET', pattern: '/users/:account/apps', path: '/users/~/apps', status: 200 },
      { method: 'GET', pattern: '/teams/:team/apps', path: '/teams/contract-team/apps', status: 200 },
      { method: 'GET', pattern: '/apps/:app', path: `/apps/${appId}`, status: 200 },
      {
        method: 'PATCH',
        pattern: '/apps/:app',
        path: '/apps/contract-app',
        body: { maintenance: true, build_stack: 'heroku-22' },
        status: 200,
      },
      { method: 'DELETE', pattern: '/apps/:app', path: '/apps/contract-doomed', status: 200 },
      { method: 'GET', pattern: '/apps/:app/config-vars', path: '/apps/contract-app/config-vars', status: 200 },
      {
        method: 'PATCH',
        pattern: '/apps/:app/config-vars',
        path: '/apps/contract-app/config-vars',
        body: { FOO: 'bar', NODE_ENV: null },
        status: 200,
      },
      {
        method: 'GET',
        pattern: '/apps/:app/releases/:release/config-vars',
        path: '/apps/contract-app/releases/3/config-vars',
        status: 200,
      },
      { method: 'GET', pattern: '/apps/:app/releases', path: '/apps/contract-app/releases', status: 200 },
      {
        method: 'GET',
        pattern: '/apps/:app/releases/:release',
        path: `/apps/contract-app/releases/${releaseId}`,
        status: 200,
      },
      { method: 'GET', pattern: '/apps/:app/formation', path: '/apps/contract-app/formation', status: 200 },
      {
        method: 'GET',
        pattern: '/apps/:app/formation/:formation',
        path: `/apps/contract-app/formation/${formationId}`,
        status: 200,
      },
      {
        method: 'PATCH',
        pattern: '/apps/:app/formation',
        path: '/apps/contract-app/formation',
        body: { updates: [{ type: 'web', quantity: 2, dyno_size: { name: 'standard-1x' } }] },
        status: 200,
      },
      {
        method: 'PATCH',
        pattern: '/apps/:app/formation/:formation',
        path: '/apps/contract-app/formation/worker',
        body: { quantity: 1, size: 'Standard-2X' },
        status: 200,
      },
      { method: 'GET', pattern: '/dyno-sizes', path: '/dyno-sizes', status: 200 },
      { method: 'GET', pattern: '/dyno-sizes/:size', path: `/dyno-sizes/${sizeId}`, status: 200 },
      {
        method: 'GET',
        pattern: '/apps/:app/available-dyno-sizes',
        path: '/apps/contract-app/available-dyno-sizes',
        status: 200,
      },
      { method: 'GET', pattern: '/apps/:app/addons', path: '/apps/contract-app/addons', status: 200 },
      { method: 'GET', pattern: '/apps/:app/addons/:addon', path: `/apps/contract-app/addons/${addonId}`, status: 200 },
      { method: 'GET', pattern: '/addons', path: '/addons', status: 200 },
      { method: 'GET', pattern: '/addons/:addon', path: `/addons/${addonId}`, status: 200 },
    ];
  }

  it('covers every Heroku route the sandbox serves, each with a schema link', () => {
    const exercised = new Set(calls().map((c) => shape(c.method, c.pattern)));
    for (const route of herokuRoutes()) {
      const key = shape(route.method, route.pattern);
      expect(links.has(key), `no schema link for ${key}`).toBe(true);
      expect(exercised.has(key), `contract test does not exercise ${key}`).toBe(true);
    }
  });

  it('answers every endpoint with a body valid against its targetSchema', async () => {
    await world();
    for (const call of calls()) {
      const res = await heroku(sandbox(), call.method, call.path, call.body === undefined ? {} : { body: call.body });
      expect(res.status, `${call.method} ${call.path}: ${JSON.stringify(res.body)}`).toBe(call.status);
      const link = links.get(shape(call.method, call.pattern));
      expect(link?.targetSchema, `${call.method} ${call.pattern} has a targetSchema`).toBeDefined();
      const problems = validator.validate(res.body, link?.targetSchema as Schema, { complete: true });
      expect(problems, `${call.method} ${call.path}`).toEqual([]);
    }
  });

  it('rejects what the schema forbids (the validator is not vacuous)', () => {
    const app = validator.resolve('#/definitions/app');
    expect(validator.validate({ name: 'Bad_Name' }, app)).toEqual([
      '$.name: "Bad_Name" does not match /^[a-z][a-z0-9-]{1,28}[a-z0-9]$/',
    ]);
    expect(validator.validate({ region: { id: 'x', name: 'us', extra: 1 } }, app)).toEqual([
      '$.region: unexpected property "extra"',
    ]);
    expect(validator.validate({ id: 'x' }, app, { complete: true })).toContain('$: missing property "web_url"');
    const configVars = validator.resolve('#/definitions/config-var/definitions/config_vars');
    expect(validator.validate({ FOO: 1 }, configVars)).toEqual(['$.FOO: expected string | null, got number']);
    expect(validator.validate({ 'BAD-KEY': 'x' }, configVars)).toEqual(['$: unexpected property "BAD-KEY"']);
  });
});
