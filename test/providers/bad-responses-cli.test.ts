import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { apiApp } from './heroku/fixtures.js';

// Bad responses through the CLI, against the real API hosts (nock): `plan` exits 1 with an error
// naming the endpoint and what was wrong — no stack trace, no plan on stdout.
const HEROKU = 'https://api.heroku.com';
const CLOUDFLARE = 'https://api.cloudflare.com';
const ZONE_ID = '023e105f4ecef8ad9ca31a8372d0c353';
const YAML = `version: 1
name: demo
environments:
  staging:
    app: demo-staging
    domains: [staging.demo.example]
cloudflare:
  zones:
    demo.example:
      owner: staging
`;
const ENV = { HEROKU_API_KEY: 'heroku-token-bad-responses', CLOUDFLARE_API_TOKEN: 'cf-token-bad-responses', DAFFEINATED_RETRY_BASE_MS: '1' };
const APP = apiApp('demo-staging', { acm: false });

afterEach(() => {
  nock.cleanAll();
});

/** A converged staging on Heroku, with `parts` replaced, and the zone with no records. */
function serve(heroku: Record<string, [number, unknown, Record<string, string>?]>, records?: [number, unknown, Record<string, string>?]): void {
  const parts: Record<string, [number, unknown, Record<string, string>?]> = {
    '': [200, APP],
    '/config-vars': [200, {}],
    '/formation': [200, []],
    '/addons': [200, []],
    '/buildpack-installations': [200, []],
    '/features': [200, []],
    '/domains': [200, [{ id: 'd', hostname: 'staging.demo.example', kind: 'custom', cname: 'x.herokudns.com', status: 'succeeded', acm_status: null, acm_status_reason: null }]],
    '/log-drains': [200, []],
    '/pipeline-couplings': [404, { id: 'not_found', message: "Couldn't find that pipeline coupling." }],
    ...heroku,
  };
  for (const [suffix, [status, body, headers]] of Object.entries(parts)) {
    nock(HEROKU).get(`/apps/demo-staging${suffix}`).times(6).reply(status, body as nock.Body, { 'Request-Id': 'req-bad-1', ...headers });
  }
  const envelope = (result: unknown) => ({ success: true, errors: [], messages: [], result, result_info: { page: 1, per_page: 50, count: 1, total_count: 1, total_pages: 1 } });
  nock(CLOUDFLARE).get('/client/v4/zones').query(true).times(6).reply(200, envelope([{ id: ZONE_ID, name: 'demo.example', status: 'active' }]));
  const [status, body, headers] = records ?? [200, envelope([])];
  nock(CLOUDFLARE).get(`/client/v4/zones/${ZONE_ID}/dns_records`).query(true).times(6).reply(status, body as nock.Body, { 'cf-ray': 'ray-bad-1', ...headers });
}

async function plan() {
  const cwd = mkdtempSync(join(tmpdir(), 'daff-bad-'));
  writeFileSync(join(cwd, 'app.yaml'), YAML);
  return cli(['plan', 'staging'], { cwd, env: ENV });
}

describe('bad responses through the CLI', () => {
  it('a formation without type: exit 1, the endpoint and the field named, no stack trace', async () => {
    serve({ '/formation': [200, [{ id: 'f', quantity: 1, size: 'Basic' }]] });
    const run = await plan();
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/Heroku answered GET \/apps\/demo-staging\/formation with an unexpected body: \$\[0\]\.type is missing, not a string \(HTTP 200, unexpected_body, request id req-bad-1\)/);
    expect(run.stderr).not.toMatch(/\n\s+at .*\(/);
  });

  it('a DNS listing that is an HTML page: exit 1, the endpoint named, no stack trace', async () => {
    serve({}, [200, '<html><body>Please log in to the corporate proxy</body></html>', { 'Content-Type': 'text/html' }]);
    const run = await plan();
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Cloudflare answered GET \/zones\/\w+\/dns_records\?page=1&per_page=5000 with an unexpected body: the body is an HTML page, not the API's JSON/);
    expect(run.stderr).not.toMatch(/\n\s+at .*\(/);
  });

  it('a config-vars answer cut in half: exit 1, named, no stack trace', async () => {
    serve({ '/config-vars': [200, '{"NODE_ENV":"prod', { 'Content-Type': 'application/json' }] });
    const run = await plan();
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Heroku answered GET \/apps\/demo-staging\/config-vars with a body that is not valid JSON/);
    expect(run.stderr).not.toMatch(/\n\s+at .*\(/);
  });
});
