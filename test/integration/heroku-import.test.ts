import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { createApp, declareProcessTypes, heroku, useSandbox } from '../helpers/sandbox.js';
import { herokuWrites, QUICK_HEROKU, Scenario } from '../helpers/scenario.js';

// `daffeinated import` against an app made by hand (through the API): the fragment it prints plans
// with no changes, and carries no secret.
const API_TOKEN = 'tok_9f8e7d6c5b4a3f2e1d0c9b8a';
const DRAIN = 'https://ingest:dr41n-s3cret@logs.example.net/heroku';

describe('Heroku import against the sandbox', () => {
  const sandbox = useSandbox({ seed: 12, heroku: QUICK_HEROKU });

  async function call(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
    const res = await heroku<Record<string, unknown>>(sandbox(), method, path, body === undefined ? {} : { body });
    expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
    return res.body;
  }

  async function handMadeApp(): Promise<void> {
    await createApp(sandbox(), 'legacy-shop', { region: 'eu', stack: 'heroku-22' });
    await call('PATCH', '/apps/legacy-shop/config-vars', {
      NODE_ENV: 'production',
      API_TOKEN,
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a value that looks like app.yaml interpolation.
      GREETING: 'price: ${PRICE}',
      WEB_CONCURRENCY: '2',
    });
    await call('POST', '/apps/legacy-shop/addons', {
      plan: 'heroku-postgresql:essential-0',
      attachment: { name: 'DATABASE' },
    });
    await call('POST', '/apps/legacy-shop/addons', { plan: 'heroku-redis:mini' });
    await call('PUT', '/apps/legacy-shop/buildpack-installations', { updates: [{ buildpack: 'heroku/nodejs' }] });
    await call('PATCH', '/apps/legacy-shop/features/preboot', { enabled: true });
    await call('POST', '/apps/legacy-shop/domains', { hostname: 'shop.example.com', sni_endpoint: null });
    await call('POST', '/apps/legacy-shop/acm');
    await call('POST', '/apps/legacy-shop/log-drains', { url: DRAIN });
    await call('POST', '/apps/legacy-shop/log-drains', { url: 'syslog+tls://logs.papertrailapp.com:12345' });
    const pipeline = await call('POST', '/pipelines', { name: 'shop' });
    await call('POST', '/pipeline-couplings', { app: 'legacy-shop', pipeline: pipeline['id'], stage: 'production' });
    await declareProcessTypes(sandbox(), 'legacy-shop', { web: 'npm start', worker: 'node worker.js' });
    await call('PATCH', '/apps/legacy-shop/formation', {
      updates: [{ type: 'web', quantity: 2, dyno_size: { name: 'standard-1x' } }],
    });
  }

  it('prints an app.yaml that plans with no changes, with secrets read from the environment', async () => {
    await handMadeApp();
    const scenario = new Scenario(sandbox, 'version: 1\n');
    sandbox().resetLog();
    const imported = await scenario.run(['import', '--app', 'legacy-shop']);
    expect(imported.code, imported.stderr).toBe(0);
    expect(herokuWrites(sandbox())).toEqual([]);
    const yaml = imported.stdout;
    for (const secret of [API_TOKEN, 'dr41n-s3cret']) {
      expect(yaml).not.toContain(secret);
      expect(imported.stderr).not.toContain(secret);
    }
    expect(yaml).toContain('      API_TOKEN:\n        from_env: API_TOKEN\n');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: `${VAR}` is app.yaml syntax.
    expect(yaml).toContain('- ${LOG_DRAIN_1}');
    expect(yaml).toContain('price: $${PRICE}');
    expect(imported.stderr).toContain('Export these before planning');
    expect(imported.stderr).toContain('  API_TOKEN\n');
    expect(imported.stderr).toContain('  LOG_DRAIN_1\n');
    const parsed = parseConfig(yaml, 'app.yaml', { LOG_DRAIN_1: DRAIN });
    expect(parsed.diagnostics).toEqual([]);
    const config = parsed.config;
    expect(config?.pipeline?.name).toBe('shop');
    expect(config?.environments['production']).toMatchObject({
      app: 'legacy-shop',
      stage: 'production',
      region: 'eu',
      stack: 'heroku-22',
      acm: true,
      features: ['preboot'],
      domains: ['shop.example.com'],
      formation: { web: { quantity: 2, size: 'standard-1x' } },
    });

    scenario.write(yaml);
    const plan = await scenario.run(['plan', '--detailed-exitcode'], { API_TOKEN, LOG_DRAIN_1: DRAIN });
    expect(plan.code, `${plan.stdout}\n${plan.stderr}`).toBe(0);
    expect(plan.stdout).toContain('No changes. Live matches app.yaml.');
  });

  it('names the environment with --env, and says so when the app does not exist', async () => {
    await createApp(sandbox(), 'tiny-app');
    const scenario = new Scenario(sandbox, 'version: 1\n');
    const imported = await scenario.run(['import', '--app', 'tiny-app', '--env', 'staging']);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain('environments:\n  staging:\n    app: tiny-app\n');
    const missing = await scenario.run(['import', '--app', 'no-such-app']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('There is no Heroku app named no-such-app');
  });

  it('with --config, writes what app.yaml keeps secret as it declares it, whatever the live value looks like', async () => {
    await createApp(sandbox(), 'quiet-app');
    const live = {
      NODE_ENV: 'production',
      LEGACY_SETTING: 'looks-harmless',
      PAYMENT_ENDPOINT: 'plain text from the environment',
      REPORTING_URL: 'https://reports.example.net/feed',
      SESSION_SECRET: 'a'.repeat(64),
    };
    await call('PATCH', '/apps/quiet-app/config-vars', live);
    const yaml = `version: 1
name: quiet
environments:
  production:
    app: quiet-app
    config:
      NODE_ENV: production
      LEGACY_SETTING: { value: looks-harmless, sensitive: true }
      PAYMENT_ENDPOINT: { from_env: PAYMENTS }
      REPORTING_URL: "https://\${REPORTS_HOST}/feed"
      SESSION_SECRET: { generate: secret, bytes: 32 }
`;
    const env = { PAYMENTS: live.PAYMENT_ENDPOINT, REPORTS_HOST: 'reports.example.net' };
    const scenario = new Scenario(sandbox, yaml);
    const imported = await scenario.run(['import', '--app', 'quiet-app', '--config', 'app.yaml'], env);
    expect(imported.code, imported.stderr).toBe(0);
    for (const [key, value] of Object.entries(live)) {
      if (key !== 'NODE_ENV') expect(imported.stdout, key).not.toContain(value);
    }
    expect(imported.stdout).toContain(
      [
        '    config:',
        '      LEGACY_SETTING:',
        '        from_env: LEGACY_SETTING',
        '      NODE_ENV: production',
        '      PAYMENT_ENDPOINT:',
        '        from_env: PAYMENTS',
        '      REPORTING_URL:',
        '        from_env: REPORTING_URL',
        '      SESSION_SECRET:',
        '        generate: secret',
        '        bytes: 32',
        '',
      ].join('\n'),
    );
    expect(imported.stderr).toContain('  LEGACY_SETTING\n  PAYMENTS\n  REPORTING_URL\n');

    scenario.write(imported.stdout);
    const plan = await scenario.run(['plan', '--detailed-exitcode'], {
      LEGACY_SETTING: live.LEGACY_SETTING,
      PAYMENTS: live.PAYMENT_ENDPOINT,
      REPORTING_URL: live.REPORTING_URL,
    });
    expect(plan.code, `${plan.stdout}\n${plan.stderr}`).toBe(0);
  });

  it('without app.yaml, keeps numbered secret names and URLs with credentials or tokens out of the output', async () => {
    await createApp(sandbox(), 'hooks-app');
    const live = {
      PASSWORD2: 'hunter2hunter2',
      SLACK_WEBHOOK_URL: 'https://hooks.slack.example/services/T0A1B2C3D/B0E1F2G3H/aBcD3fGh1jKlMn0pQrStUvWx',
      ALERTS_URL: 'https://alerts.example.net/hook?token=abc123',
      NOTIFY_URL: 'https://bot-0f3a@notify.example.net/send',
      SIGNED_URL: 'https://cdn.example.net/file?sig=9f8e7d6c5b4a3210',
    };
    await call('PATCH', '/apps/hooks-app/config-vars', { ...live, PUBLIC_URL: 'https://www.example.net/shop/items' });
    const imported = await new Scenario(sandbox, 'version: 1\n').run(['import', '--app', 'hooks-app']);
    expect(imported.code, imported.stderr).toBe(0);
    for (const [key, value] of Object.entries(live)) {
      expect(imported.stdout, key).not.toContain(value);
      expect(imported.stdout).toContain(`      ${key}:\n        from_env: ${key}\n`);
    }
    expect(imported.stdout).toContain('      PUBLIC_URL: https://www.example.net/shop/items\n');
  });
});
