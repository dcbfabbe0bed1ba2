import { describe, expect, it } from 'vitest';
import { NODE_APP, tarball } from '../../helpers/heroku.js';
import { herokuClient, useSandbox } from '../../helpers/sandbox.js';

type Obj = Record<string, unknown> & { id: string };

/** Polls `read` every few ms until `done` holds (real time: these timings are a few ms). */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('timed out waiting');
}

// heroku-client 3.1.4, unmodified, over the asynchronous surface: it sends its Range header on
// every request (POST/PUT/PATCH too) and Basic auth; the signed URLs are used with plain fetch,
// as the CLI does.
describe('heroku-client: provision, build, pipeline and promote', () => {
  const sandbox = useSandbox({
    seed: 81,
    heroku: { addonProvisionMs: 20, buildMs: 30, releasePhaseMs: 10, promotionMs: 20, domainMs: 10, acmMs: 10 },
    zones: ['flow.example'],
  });

  it('runs the whole deploy flow end to end', async () => {
    const heroku = herokuClient(sandbox());
    type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
    const call =
      (method: Method) =>
      <T = Obj>(path: string, options: { body?: unknown; headers?: Record<string, string> } = {}) =>
        heroku.request<T>({ method, path, ...options });
    const client = { get: call('GET'), post: call('POST'), put: call('PUT'), patch: call('PATCH') };
    const staging = await client.post<Obj>('/apps', { body: { name: 'flow-staging' } });
    const prod = await client.post<Obj>('/apps', { body: { name: 'flow-prod' } });
    await client.put('/apps/flow-staging/buildpack-installations', {
      body: { updates: [{ buildpack: 'heroku/nodejs' }] },
    });
    await client.patch('/apps/flow-staging/features/runtime-dyno-metadata', { body: { enabled: true } });

    const db = await client.post<Obj>('/apps/flow-prod/addons', {
      body: { plan: 'heroku-postgresql:essential-0' },
      headers: { 'Accept-Expansion': 'plan' },
    });
    expect(db['state']).toBe('provisioning');
    const ready = await until(
      () => client.get<Obj>(`/apps/flow-prod/addons/${db.id}`),
      (a) => a['state'] === 'provisioned',
    );
    expect(ready['config_vars']).toEqual(['DATABASE_URL']);
    expect(Object.keys(await client.get<Record<string, string>>('/apps/flow-prod/config-vars'))).toEqual([
      'DATABASE_URL',
    ]);

    const source = await client.post<{ source_blob: { get_url: string; put_url: string } }>('/sources');
    const put = await fetch(source.source_blob.put_url, {
      method: 'PUT',
      body: new Uint8Array(tarball({ ...NODE_APP, Procfile: 'web: npm start\nrelease: node migrate.js\n' })),
    });
    expect(put.status).toBe(200);
    const build = await client.post<Obj>('/apps/flow-staging/builds', {
      body: { source_blob: { url: source.source_blob.get_url, version: '9f8e7d6c5b4a' } },
    });
    const output = await (await fetch(build['output_stream_url'] as string)).text();
    expect(output).toContain('Released v3');
    const built = await client.get<Obj>(`/apps/flow-staging/builds/${build.id}`);
    expect(built['status']).toBe('succeeded');
    const release = await until(
      () => client.get<Obj>('/apps/flow-staging/releases/3'),
      (r) => r['status'] !== 'pending',
    );
    expect(release).toMatchObject({ status: 'succeeded', description: 'Deploy 9f8e7d6c', current: true });

    const pipeline = await client.post<Obj>('/pipelines', { body: { name: 'flow' } });
    for (const [app, stage] of [
      ['flow-staging', 'staging'],
      [prod.id, 'production'],
    ]) {
      await client.post('/pipeline-couplings', { body: { app, pipeline: pipeline.id, stage } });
    }
    const found = await client.get<Obj[]>('/pipelines?eq[name]=flow');
    expect(found.map((p) => p.id)).toEqual([pipeline.id]);
    const couplings = await client.get<Obj[]>(`/pipelines/${pipeline.id}/pipeline-couplings`);
    const apps = await client.post<Obj[]>('/filters/apps', {
      body: { in: { id: couplings.map((c) => (c['app'] as Obj).id) } },
    });
    expect(apps.map((a) => a['name']).sort()).toEqual(['flow-prod', 'flow-staging']);

    const promotion = await client.post<Obj>('/pipeline-promotions', {
      body: { pipeline: { id: pipeline.id }, source: { app: { id: staging.id } }, targets: [{ app: { id: prod.id } }] },
    });
    const targets = await until(
      () => client.get<Obj[]>(`/pipeline-promotions/${promotion.id}/promotion-targets`),
      (list) => list.every((t) => t['status'] !== 'pending'),
    );
    expect(targets.map((t) => t['status'])).toEqual(['succeeded']);
    const promoted = await client.get<Obj>(`/apps/flow-prod/releases/${((targets[0] as Obj)['release'] as Obj).id}`);
    const phaseOutput = await (await fetch(promoted['output_stream_url'] as string)).text();
    expect(phaseOutput).toContain('Running release command');
    const latest = await until(
      () => client.get<Obj[]>(`/pipelines/${pipeline.id}/latest-releases`),
      (list) => list.length === 2 && list.every((r) => r['status'] === 'succeeded'),
    );
    expect(latest.map((r) => r['slug'])).toEqual([release['slug'], release['slug']]);

    const added = await client.post<Obj>('/apps/flow-prod/domains', { body: { hostname: 'www.flow.example', sni_endpoint: null } });
    // ACM validates through DNS: the customer points the name at the domain's DNS target (DNS-only).
    const zone = (await (await fetch(`${sandbox().url}/client/v4/zones?name=flow.example`, { headers: { Authorization: 'Bearer t' } })).json()) as { result: { id: string }[] };
    await fetch(`${sandbox().url}/client/v4/zones/${zone.result[0]?.id}/dns_records`, {
      method: 'POST',
      headers: { Authorization: 'Bearer t', 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'CNAME', name: 'www.flow.example', content: added['cname'], proxied: false, ttl: 1 }),
    });
    await client.post('/apps/flow-prod/acm', { body: {} });
    const domain = await until(
      () => client.get<Obj>('/apps/flow-prod/domains/www.flow.example'),
      (d) => d['acm_status'] === 'cert issued',
    );
    expect(domain['status']).toBe('succeeded');
    await client.post('/apps/flow-prod/log-drains', { body: { url: 'syslog+tls://logs.flow.example:6514' } });
    expect(await client.get<Obj[]>('/apps/flow-prod/log-drains')).toHaveLength(1);
    const rollback = await client.post<Obj>('/apps/flow-prod/releases', {
      body: { release: (await client.get<Obj>('/apps/flow-prod/releases/2')).id },
    });
    expect(rollback['description']).toBe('Rollback to v2');
  });
});
