import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { apiApp } from './heroku/fixtures.js';

// Secrets canary against the real API hosts (nock), where the sandbox canary cannot go: separate
// Heroku and Cloudflare tokens, a from_env value, a generated secret, a drain URL holding a
// credential — through --debug HTTP logs, saved plans, and errors from both APIs with --debug
// stack traces, including an API error that echoes the drain URL back.
const HEROKU = 'https://api.heroku.com';
const CLOUDFLARE = 'https://api.cloudflare.com';
const ZONE_ID = '023e105f4ecef8ad9ca31a8372d0c353';
const CANARIES = {
  HEROKU_API_KEY: 'canary-heroku-key-0b7e1d',
  CLOUDFLARE_API_TOKEN: 'canary-cf-token-9a4c22',
  STRIPE_KEY: 'sk_live_canary_stripe_5e81',
  DRAIN_TOKEN: 'canary-drain-credential-77d0',
};
const YAML = `version: 1
name: demo
environments:
  staging:
    app: demo-staging
    domains: [staging.demo.example]
    config:
      STRIPE_KEY: { from_env: STRIPE_KEY }
      SESSION_SECRET: { generate: secret }
    log_drains: ["https://logs:\${DRAIN_TOKEN}@logs.example.net/ingest"]
cloudflare:
  zones:
    demo.example:
      owner: staging
`;
const APP = apiApp('demo-staging', { acm: false });
const NOT_FOUND = { id: 'not_found', message: 'Not found.' };
const envelope = (result: unknown) => ({ success: true, errors: [], messages: [], result, result_info: { page: 1, per_page: 50, count: 0, total_count: 0, total_pages: 1 } });

afterEach(() => {
  nock.cleanAll();
});

const outputs: { name: string; text: string }[] = [];
const generated: string[] = [];
let cwd: string;

async function run(name: string, args: string[]): Promise<number> {
  const result = await cli([...args, '--debug'], { cwd, env: { ...CANARIES, DAFFEINATED_RETRY_BASE_MS: '1' } });
  outputs.push({ name: `${name} (stdout)`, text: result.stdout }, { name: `${name} (stderr)`, text: result.stderr });
  return result.code;
}

/** What a new, empty app answers to reads of its parts. */
const EMPTY_APP: Record<string, unknown> = { '': APP, 'config-vars': {}, formation: [], addons: [], domains: [], 'log-drains': [] };
let created = false;

/** An empty Heroku account (the app does not exist until `POST /apps`, then it is empty) and an empty zone. */
function serveEmpty(): void {
  nock.cleanAll();
  created = false;
  nock(HEROKU)
    .get(/^\/apps\/demo-staging(\/(?!webhooks).*)?$/)
    .times(40)
    .reply((uri) => {
      const part = EMPTY_APP[uri.replace(/^\/apps\/demo-staging\/?/, '')];
      return created && part !== undefined ? [200, part] : [404, NOT_FOUND, { 'Request-Id': 'req-canary' }];
    });
  nock(CLOUDFLARE).get('/client/v4/zones').query(true).times(5).reply(200, envelope([{ id: ZONE_ID, name: 'demo.example', status: 'active' }]));
  nock(CLOUDFLARE).get(`/client/v4/zones/${ZONE_ID}/dns_records`).query(true).times(5).reply(200, envelope([]));
}

/** The apply lock on the app once created (workflows/apply-lock.ts): its webhook is recorded, listed and removed. */
function serveLock(): void {
  const hooks: { id: string; url: string; created_at: string }[] = [];
  nock(HEROKU)
    .post('/apps/demo-staging/webhooks')
    .reply(201, (_uri, body) => {
      const hook = { id: 'w1', url: (body as { url: string }).url, created_at: '2026-11-22T12:00:00Z' };
      hooks.push(hook);
      return { ...hook, include: ['api:collaborator'], level: 'notify', updated_at: hook.created_at, app: { id: 'a1', name: 'demo-staging' } };
    });
  nock(HEROKU).get('/apps/demo-staging/webhooks').reply(200, () => hooks.map((h) => ({ ...h, include: ['api:collaborator'], level: 'notify', updated_at: h.created_at, app: { id: 'a1', name: 'demo-staging' } })));
  nock(HEROKU).delete('/apps/demo-staging/webhooks/w1').reply(200, {});
}

describe('secrets never appear against the real APIs either', () => {
  it('runs plan, plan --out and apply with errors from both APIs, all with --debug', async () => {
    cwd = mkdtempSync(join(tmpdir(), 'daff-canary-'));
    writeFileSync(join(cwd, 'app.yaml'), YAML);

    serveEmpty();
    expect(await run('plan', ['plan', 'staging'])).toBe(0);
    serveEmpty();
    expect(await run('plan --out', ['plan', 'staging', '--out', 'plan.json'])).toBe(0);
    outputs.push({ name: 'plan.json', text: readFileSync(join(cwd, 'plan.json'), 'utf8') });

    // An apply whose drain is refused with a message that echoes the URL (credential and all).
    serveEmpty();
    serveLock();
    nock(HEROKU)
      .post('/apps')
      .reply(() => {
        created = true;
        return [201, APP, { 'Request-Id': 'req-create' }];
      });
    nock(HEROKU)
      .patch('/apps/demo-staging/config-vars')
      .reply(200, (_uri, body) => {
        const sent = body as Record<string, string>;
        if (sent['SESSION_SECRET']) generated.push(sent['SESSION_SECRET']);
        return sent;
      });
    nock(HEROKU)
      .post('/apps/demo-staging/log-drains')
      .reply(422, (_uri, body) => ({ id: 'invalid_params', message: `Url ${(body as { url: string }).url} could not be verified.` }), { 'Request-Id': 'req-drain' });
    nock(HEROKU).get('/apps/demo-staging/log-drains').reply(200, []);
    nock(HEROKU)
      .post('/apps/demo-staging/domains')
      .reply(201, { id: 'd1', hostname: 'staging.demo.example', kind: 'custom', cname: 'x.herokudns.com', status: 'pending', acm_status: null, acm_status_reason: null });
    expect(await run('apply with a refused drain', ['apply', 'staging', '--yes'])).toBe(1);

    // An apply whose config vars are refused with a message that echoes the values sent.
    serveEmpty();
    serveLock();
    nock(HEROKU)
      .post('/apps')
      .reply(() => {
        created = true;
        return [201, APP];
      });
    nock(HEROKU)
      .patch('/apps/demo-staging/config-vars')
      .reply(422, (_uri, body) => {
        const sent = body as Record<string, string>;
        if (sent['SESSION_SECRET']) generated.push(sent['SESSION_SECRET']);
        return { id: 'invalid_params', message: `Config vars could not be set: ${JSON.stringify(sent)}` };
      });
    nock(HEROKU).post('/apps/demo-staging/log-drains').reply(201, { id: 'l1', url: 'https://logs.example.net/ingest', token: 'd.1', addon: null });
    nock(HEROKU)
      .post('/apps/demo-staging/domains')
      .reply(201, { id: 'd1', hostname: 'staging.demo.example', kind: 'custom', cname: 'x.herokudns.com', status: 'pending', acm_status: null, acm_status_reason: null });
    expect(await run('apply with refused config vars', ['apply', 'staging', '--yes'])).toBe(1);
    expect(generated).toHaveLength(2);

    // Auth and server errors from each API, with --debug stack traces and causes.
    nock.cleanAll();
    nock(HEROKU).get(/^\/apps\/demo-staging(\/.*)?$/).times(20).reply(401, { id: 'unauthorized', message: 'Invalid credentials provided.' });
    nock(CLOUDFLARE).get('/client/v4/zones').query(true).times(5).reply(200, envelope([{ id: ZONE_ID, name: 'demo.example', status: 'active' }]));
    nock(CLOUDFLARE).get(`/client/v4/zones/${ZONE_ID}/dns_records`).query(true).times(5).reply(403, { success: false, errors: [{ code: 10000, message: 'Authentication error' }], messages: [], result: null });
    expect(await run('plan: Heroku 401, Cloudflare 403', ['plan', 'staging'])).toBe(1);
    nock.cleanAll();
    nock(HEROKU).get(/^\/apps\/demo-staging(\/.*)?$/).times(20).reply(404, NOT_FOUND);
    nock(CLOUDFLARE).get('/client/v4/zones').query(true).times(6).reply(502, '<html><body>bad gateway</body></html>', { 'Content-Type': 'text/html' });
    expect(await run('plan: Cloudflare 502 page', ['plan', 'staging'])).toBe(1);
  });

  it('no canary appears in any output', () => {
    expect(outputs.length).toBe(13);
    expect(outputs.some((o) => o.text.includes('Caused by:'))).toBe(true);
    expect(outputs.some((o) => o.text.includes('debug: POST /apps/demo-staging/log-drains'))).toBe(true);
    const canaries = [...Object.values(CANARIES), ...generated];
    const leaks = outputs.flatMap((o) => canaries.filter((c) => o.text.includes(c)).map((c) => `${o.name} leaks ${c.slice(0, 8)}…`));
    expect(leaks).toEqual([]);
  });
});
