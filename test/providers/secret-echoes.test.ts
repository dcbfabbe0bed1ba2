import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { apiApp } from './heroku/fixtures.js';

// Secrets in what the API sends back, through the CLI with --debug (nock): a from_env value holding
// a quote, a backslash and non-ASCII text echoed JSON-escaped by a refusal, and a body that is not
// JSON, which a JSON parser would quote in its error message.
const HEROKU = 'https://api.heroku.com';
const SIGNING_KEY = 'sig"n\\ing-kéy-canary-41d7';
const YAML = `version: 1
name: demo
environments:
  staging:
    app: demo-staging
    config:
      SIGNING_KEY: { from_env: SIGNING_KEY }
`;
const ENV = { HEROKU_API_KEY: 'heroku-token-echoes', SIGNING_KEY, DAFFEINATED_RETRY_BASE_MS: '1' };
const NOT_FOUND = { id: 'not_found', message: 'Not found.' };

afterEach(() => {
  nock.cleanAll();
});

async function run(args: string[]) {
  const cwd = mkdtempSync(join(tmpdir(), 'daff-echoes-'));
  writeFileSync(join(cwd, 'app.yaml'), YAML);
  return cli([...args, '--debug'], { cwd, env: ENV });
}

/** JSON with everything outside printable ASCII as `\uXXXX`, as many servers write it. */
function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Every way the value can appear: as is, JSON-escaped, and JSON-escaped with \u escapes. */
function forms(secret: string): string[] {
  const once = JSON.stringify(secret).slice(1, -1);
  return [secret, once, asciiJson(secret).slice(1, -1), 'canary-41d7'];
}

describe('secrets echoed back by the API', () => {
  it('a refusal that echoes the values sent, JSON-escaped: no form of the value is printed', async () => {
    // The app does not exist until it is created, then it is empty and takes the apply lock.
    const app = apiApp('demo-staging', { acm: false });
    const empty: Record<string, unknown> = { '': app, 'config-vars': {}, formation: [], addons: [], domains: [], 'log-drains': [] };
    let created = false;
    nock(HEROKU)
      .get(/^\/apps\/demo-staging(\/(?!webhooks).*)?$/)
      .times(40)
      .reply((uri) => {
        const part = empty[uri.replace(/^\/apps\/demo-staging\/?/, '')];
        return created && part !== undefined ? [200, part] : [404, NOT_FOUND];
      });
    nock(HEROKU)
      .post('/apps')
      .reply(() => {
        created = true;
        return [201, app];
      });
    let lock: unknown;
    nock(HEROKU)
      .post('/apps/demo-staging/webhooks')
      .reply(201, (_uri, body) => {
        lock = { id: 'w1', url: (body as { url: string }).url, include: ['api:collaborator'], level: 'notify', created_at: '2026-11-22T12:00:00Z', updated_at: '2026-11-22T12:00:00Z' };
        return lock;
      });
    nock(HEROKU).get('/apps/demo-staging/webhooks').reply(200, () => [lock]);
    nock(HEROKU).delete('/apps/demo-staging/webhooks/w1').reply(200, {});
    let echoed = '';
    nock(HEROKU)
      .patch('/apps/demo-staging/config-vars')
      .reply(
        422,
        (_uri, body) => {
          echoed = asciiJson({
            id: 'invalid_params',
            message: `Config vars could not be set: ${JSON.stringify(body)}`,
          });
          return echoed;
        },
        { 'Content-Type': 'application/json' },
      );
    const result = await run(['apply', 'staging', '--yes']);
    expect(result.code).toBe(1);
    expect(echoed).toContain('canary-41d7');
    expect(result.stderr).toContain('Config vars could not be set: {"SIGNING_KEY":"[redacted]"}');
    const output = `${result.stdout}\n${result.stderr}`;
    expect(forms(SIGNING_KEY).filter((form) => output.includes(form))).toEqual([]);
  });

  it("a body that is not JSON: --debug prints no parser's quote of it", async () => {
    const body = 'tok-canary-7c1d2e9a';
    const parts: Record<string, [number, unknown]> = {
      '': [200, apiApp('demo-staging', { acm: false })],
      '/config-vars': [200, body],
      '/formation': [200, []],
      '/addons': [200, []],
      '/buildpack-installations': [200, []],
      '/features': [200, []],
      '/domains': [200, []],
      '/log-drains': [200, []],
      '/pipeline-couplings': [404, NOT_FOUND],
    };
    for (const [suffix, [status, answer]] of Object.entries(parts)) {
      nock(HEROKU)
        .get(`/apps/demo-staging${suffix}`)
        .times(6)
        .reply(status, answer as nock.Body, { 'Content-Type': 'application/json' });
    }
    const result = await run(['plan', 'staging']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/config-vars/);
    expect(result.stderr).toContain('Caused by:');
    expect(`${result.stdout}\n${result.stderr}`).not.toContain('canary');
  });
});
