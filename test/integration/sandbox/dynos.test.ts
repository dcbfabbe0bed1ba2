import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startSandbox } from '../../../src/sandbox/index.js';
import { TINY_APP, testProcesses, viaRouter } from '../../helpers/apps.js';
import { deploy, INSTANT, type Json } from '../../helpers/heroku.js';
import { admin, createApp, heroku, useSandbox, withSandbox } from '../../helpers/sandbox.js';

/** The app's `<name>-<hex>.herokuapp.com`, from its web_url. */
async function hostOf(sandbox: Parameters<typeof heroku>[0], app: string): Promise<string> {
  const body = (await heroku<Json>(sandbox, 'GET', `/apps/${app}`)).body;
  return new URL(body['web_url'] as string).host;
}

async function logs(sandbox: Parameters<typeof heroku>[0], app: string): Promise<string> {
  const session = await heroku<{ logplex_url: string }>(sandbox, 'POST', `/apps/${app}/log-sessions`, { body: { lines: 200 } });
  expect(session.status).toBe(201);
  return (await fetch(session.body.logplex_url)).text();
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('the sandbox runs web processes and routes app hostnames to them', () => {
  const sandbox = useSandbox({ seed: 7, heroku: INSTANT, processes: testProcesses(), zones: ['dyno.example'] });

  it('serves a deployed app on its herokuapp.com hostname and custom domains, with only PORT, config vars and basics in its environment', async () => {
    await createApp(sandbox(), 'dyno-app');
    await heroku(sandbox(), 'PATCH', '/apps/dyno-app/config-vars', { body: { GREETING: 'hi there' } });
    const domain = await heroku<Json>(sandbox(), 'POST', '/apps/dyno-app/domains', { body: { hostname: 'www.dyno.example', sni_endpoint: null } });
    await deploy(sandbox(), 'dyno-app', TINY_APP);
    const host = await hostOf(sandbox(), 'dyno-app');
    expect(await viaRouter(sandbox(), host, '/')).toEqual({ status: 200, body: 'hello from web.1 (hi there)\n' });
    // A custom domain is reached once its name resolves (sandbox/resolve.ts): a DNS-only CNAME to its target.
    await expect(viaRouter(sandbox(), 'www.dyno.example', '/health')).rejects.toThrow();
    const zone = (await (await fetch(`${sandbox().url}/client/v4/zones?name=dyno.example`, { headers: { Authorization: 'Bearer t' } })).json()) as { result: { id: string }[] };
    await fetch(`${sandbox().url}/client/v4/zones/${zone.result[0]?.id}/dns_records`, {
      method: 'POST',
      headers: { Authorization: 'Bearer t', 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'CNAME', name: 'www', content: domain.body['cname'], proxied: false, ttl: 1 }),
    });
    expect(await viaRouter(sandbox(), 'www.dyno.example', '/health')).toEqual({ status: 200, body: '{"status":"ok"}' });
    const env = JSON.parse((await viaRouter(sandbox(), host, '/env')).body) as string[];
    expect(env).toEqual(expect.arrayContaining(['DYNO', 'GREETING', 'HOME', 'HOST', 'PATH', 'PORT']));
    expect(env.filter((k) => !['DYNO', 'GREETING', 'HOME', 'HOST', 'PATH', 'PORT', 'PWD', 'SHLVL', '_'].includes(k))).toEqual([]);
    const text = await logs(sandbox(), 'dyno-app');
    expect(text).toContain('heroku[web.1]: Starting process with command `node server.js`');
    expect(text).toMatch(/app\[web\.1\]: listening on \d+/);
    expect(text).toMatch(/heroku\[router\]: at=info method=GET path="\/health" host=www\.dyno\.example .*status=200/);
    // The official CLI's `heroku logs` reads the same URL as server-sent events.
    const session = await heroku<{ logplex_url: string }>(sandbox(), 'POST', '/apps/dyno-app/log-sessions', { body: { lines: 5 } });
    const events = await fetch(session.body.logplex_url, { headers: { accept: 'text/event-stream' } });
    expect(events.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const frames = (await events.text()).split('\n\n').filter((f) => f !== '');
    expect(frames).toHaveLength(5);
    for (const frame of frames) expect(frame).toMatch(/^data: \S+ (heroku|app)\[[\w.]+\]: /);
    expect((await heroku<Json>(sandbox(), 'GET', '/apps/dyno-app/dynos/web.1')).body['state']).toBe('up');
  });

  it('restarts on a new release, stops on scale to 0 (H14), and reports a crashed process (H10)', async () => {
    await createApp(sandbox(), 'cycle-app');
    await deploy(sandbox(), 'cycle-app', TINY_APP);
    const host = await hostOf(sandbox(), 'cycle-app');
    expect((await viaRouter(sandbox(), host, '/')).body).toBe('hello from web.1 (no greeting)\n');
    await heroku(sandbox(), 'PATCH', '/apps/cycle-app/config-vars', { body: { GREETING: 'v2' } });
    expect((await viaRouter(sandbox(), host, '/')).body).toBe('hello from web.1 (v2)\n');
    await heroku(sandbox(), 'PATCH', '/apps/cycle-app/formation', { body: { updates: [{ type: 'web', quantity: 0 }] } });
    const stopped = await viaRouter(sandbox(), host, '/');
    expect(stopped.status).toBe(503);
    expect(await logs(sandbox(), 'cycle-app')).toContain('at=error code=H14 desc="No web processes running"');

    await deploy(sandbox(), 'cycle-app', { Procfile: 'web: node -e "process.exit(3)"\n' });
    await heroku(sandbox(), 'PATCH', '/apps/cycle-app/formation', { body: { updates: [{ type: 'web', quantity: 1 }] } });
    const crashed = await viaRouter(sandbox(), host, '/');
    expect(crashed.status).toBe(503);
    expect(crashed.body).toContain('Application error');
    const text = await logs(sandbox(), 'cycle-app');
    expect(text).toContain('Process exited with status 3');
    expect(text).toContain('code=H10 desc="App crashed"');
  });

  it('leaves API traffic alone and answers its own GET /health', async () => {
    const res = await fetch(`${sandbox().url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
    expect((await admin<Json>(sandbox(), 'GET', '/health')).body['processes']).toBe(true);
    expect((await viaRouter(sandbox(), 'unknown.example', '/apps')).status).toBe(406);
  });
});

describe('process lifetime', () => {
  it('stops every process when the sandbox closes', async () => {
    const sandbox = await startSandbox({ heroku: INSTANT, processes: testProcesses() });
    let port = 0;
    try {
      await createApp(sandbox, 'closing-app');
      await deploy(sandbox, 'closing-app', {
        ...TINY_APP,
        'server.js': `${TINY_APP['server.js']}\nrequire('node:fs').writeFileSync('port', String(process.env.PORT));\n`,
      });
      const host = new URL((await heroku<Json>(sandbox, 'GET', '/apps/closing-app')).body['web_url'] as string).host;
      expect((await viaRouter(sandbox, host, '/health')).status).toBe(200);
      const text = await logs(sandbox, 'closing-app');
      port = Number(/listening on (\d+)/.exec(text)?.[1]);
      expect(await listening(port)).toBe(true);
    } finally {
      await sandbox.close();
    }
    expect(await listening(port)).toBe(false);
  });

  it('runs nothing without the processes option, and never lets its own /health answer for an app', async () => {
    await withSandbox(
      async (sandbox) => {
        await createApp(sandbox, 'idle-app');
        await deploy(sandbox, 'idle-app', TINY_APP);
        const host = new URL((await heroku<Json>(sandbox, 'GET', '/apps/idle-app')).body['web_url'] as string).host;
        const res = await viaRouter(sandbox, host, '/health');
        expect(res.status).toBe(503);
        expect(res.body).toContain('does not run apps');
        expect((await admin<Json>(sandbox, 'GET', '/health')).body['processes']).toBe(false);
      },
      { heroku: INSTANT },
    );
  });
});
