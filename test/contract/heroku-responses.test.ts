import { describe, expect, it } from 'vitest';
import { herokuRoutes } from '../../src/sandbox/index.js';
import { INSTANT } from '../helpers/heroku.js';
import { createApp, heroku, useSandbox } from '../helpers/sandbox.js';
import { coreCalls, coreWorld } from './heroku-calls-core.js';
import { deployCalls, deployWorld } from './heroku-calls-deploy.js';
import { platformCalls, platformWorld } from './heroku-calls-platform.js';
import { type Call, herokuSchema, type Ids, links, shape, validator } from './heroku-schema.js';
import type { Schema } from '../helpers/json-schema.js';

// Every Heroku endpoint the sandbox serves answers with a body that validates against the
// targetSchema of the matching link in Heroku's official hyper-schema, and names every property
// that schema lists (`complete`). Asynchronous work is instant here, so both the pending and the
// settled shapes of builds, releases, add-ons and promotions are seen.
const GROUPS = [
  { world: coreWorld, calls: coreCalls },
  { world: platformWorld, calls: platformCalls },
  { world: deployWorld, calls: deployCalls },
] as const;

describe('sandbox Heroku responses match the official schema', () => {
  const sandbox = useSandbox({ seed: 11, heroku: INSTANT });

  it('covers every Heroku route the sandbox serves, each with a schema link', () => {
    const exercised = new Set(GROUPS.flatMap((g) => g.calls({}).map((c) => shape(c.method, c.pattern))));
    for (const route of herokuRoutes()) {
      const key = shape(route.method, route.pattern);
      expect(links.has(key), `no schema link for ${key}`).toBe(true);
      expect(exercised.has(key), `contract test does not exercise ${key}`).toBe(true);
    }
  });

  it('answers every endpoint with a body valid against its targetSchema', async () => {
    const ids: Ids[] = [];
    for (const group of GROUPS) ids.push(await group.world(sandbox()));
    const calls: Call[] = GROUPS.flatMap((group, i) => group.calls(ids[i] as Ids));
    for (const call of calls) {
      const res = await heroku(sandbox(), call.method, call.path, call.body === undefined ? {} : { body: call.body });
      expect(res.status, `${call.method} ${call.path}: ${JSON.stringify(res.body)}`).toBe(call.status);
      const link = links.get(shape(call.method, call.pattern));
      expect(link?.targetSchema, `${call.method} ${call.pattern} has a targetSchema`).toBeDefined();
      const problems = validator.validate(res.body, link?.targetSchema as Schema, { complete: true });
      expect(problems, `${call.method} ${call.path}`).toEqual([]);
    }
  });

  it('expands add-on plan and service with Accept-Expansion into the schema plan and add-on-service shapes', async () => {
    await createApp(sandbox(), 'contract-expand');
    const headers = { 'Accept-Expansion': 'addon_service,plan' };
    const created = await heroku<Record<string, unknown>>(sandbox(), 'POST', '/apps/contract-expand/addons', {
      body: { plan: 'heroku-postgresql:essential-0' },
      headers,
    });
    const listed = await heroku<Record<string, unknown>[]>(sandbox(), 'GET', '/apps/contract-expand/addons', {
      headers,
    });
    for (const addon of [created.body, ...listed.body]) {
      const { plan, addon_service: service, ...rest } = addon;
      const collapsed = {
        ...rest,
        plan: { id: (plan as Schema)['id'], name: (plan as Schema)['name'] },
        addon_service: { id: (service as Schema)['id'], name: (service as Schema)['name'] },
      };
      expect(validator.validate(collapsed, validator.resolve('#/definitions/add-on'), { complete: true })).toEqual([]);
      expect(validator.validate(plan, validator.resolve('#/definitions/plan'), { complete: true })).toEqual([]);
      expect(
        validator.validate(service, validator.resolve('#/definitions/add-on-service'), { complete: true }),
      ).toEqual([]);
    }
  });

  it('rejects what the schema forbids (the validator is not vacuous)', () => {
    const app = validator.resolve('#/definitions/app');
    expect(validator.validate({ name: 'Bad_Name' }, app)).toEqual([
      '$.name: must match pattern "^[a-z][a-z0-9-]{1,28}[a-z0-9]$"',
    ]);
    const region = { id: '01234567-89ab-cdef-0123-456789abcdef', name: 'us' };
    expect(validator.validate({ region: { ...region, extra: 1 } }, app)).toEqual(['$.region: unexpected property "extra"']);
    expect(validator.validate({ id: 'x', created_at: 'yesterday' }, app).sort()).toEqual([
      '$.created_at: must match format "date-time"',
      '$.id: must match format "uuid"',
    ]);
    expect(validator.validate({ id: 'x' }, app, { complete: true })).toContain('$: missing property "web_url"');
    const configVars = validator.resolve('#/definitions/config-var/definitions/config_vars');
    expect(validator.validate({ FOO: 1 }, configVars)).toEqual(['$.FOO: must be string,null']);
    expect(validator.validate({ 'BAD-KEY': 'x' }, configVars)).toEqual(['$: unexpected property "BAD-KEY"']);
    const addon = validator.resolve('#/definitions/add-on');
    expect(validator.validate({ plan: { id: 'x', name: 'y', price: {} } }, addon)).toContain(
      '$.plan: unexpected property "price"',
    );
    const domain = validator.resolve('#/definitions/domain');
    expect(validator.validate({ hostname: 'www.example.com' }, domain)).toEqual([]);
    expect(validator.validate({ hostname: 'not a host' }, domain)).toEqual(['$.hostname: must match format "hostname"']);
  });

  it('checks every format the schema uses', () => {
    const used = new Set(JSON.stringify(herokuSchema).match(/"format":"[^"]+"/g));
    expect(used.size).toBeGreaterThan(0);
    for (const format of used) expect(validator.formats).toContain(JSON.parse(`{${format}}`).format);
  });
});
