import type { RequestLogEntry, SandboxHandle } from '../../src/sandbox/index.js';

/**
 * What exists in a sandbox, as comparable lists: every app with its add-ons (service and plan),
 * custom domains, drains (lock drains left out), pipeline couplings; every pipeline; every DNS
 * record and WAF rule of every zone. A duplicate shows as a repeated entry, so comparing the
 * census of a run with that of a clean run proves "nothing created twice, nothing lost".
 */
export interface Census {
  readonly apps: string[];
  readonly addons: string[];
  readonly domains: string[];
  readonly drains: string[];
  readonly pipelines: string[];
  readonly couplings: string[];
  readonly records: string[];
  readonly rules: string[];
}

export function census(sandbox: SandboxHandle): Census {
  const { heroku, cloudflare } = sandbox.state();
  const apps = [...heroku.apps].sort((a, b) => (a.name < b.name ? -1 : 1));
  const pipelineName = new Map(heroku.pipelines.map((p) => [p.id, p.name]));
  const appName = new Map(heroku.apps.map((a) => [a.id, a.name]));
  // DNS targets are generated names: a CNAME pointing at its hostname's Heroku target is written as such.
  const targets = new Map(heroku.apps.flatMap((a) => a.domains.map((d) => [d.hostname, d.cname] as const)));
  const content = (type: string, name: string, value: string) =>
    type === 'CNAME' && targets.get(name) === value ? `(the Heroku DNS target of ${name})` : value;
  return {
    apps: apps.map((a) => a.name),
    addons: apps.flatMap((a) => a.addons.map((x) => `${a.name} ${x.plan.name} ${x.state}`)).sort(),
    domains: apps.flatMap((a) => a.domains.map((d) => `${a.name} ${d.hostname}`)).sort(),
    drains: apps.flatMap((a) => a.logDrains.filter((d) => !d.url.includes('daffeinated-lock.invalid')).map((d) => `${a.name} ${d.url}`)).sort(),
    pipelines: heroku.pipelines.map((p) => p.name).sort(),
    couplings: heroku.couplings
      .map((c) => `${appName.get(c.appId) ?? c.appId} → ${pipelineName.get(c.pipelineId) ?? c.pipelineId} ${c.stage}`)
      .sort(),
    records: cloudflare.zones.flatMap((z) => z.records.map((r) => `${r.type} ${r.name} ${content(r.type, r.name, r.content)}`)).sort(),
    rules: cloudflare.zones.flatMap((z) => z.rulesets.flatMap((rs) => rs.rules.map((r) => `${z.name} ${rs.phase} ${r.ref}`))).sort(),
  };
}

/** Ids of every add-on of a data service (Postgres, Redis): they must survive every re-run. */
export function dataAddonIds(sandbox: SandboxHandle): string[] {
  return sandbox
    .state()
    .heroku.apps.flatMap((a) => a.addons.filter((x) => ['heroku-postgresql', 'heroku-redis'].includes(x.service.name)).map((x) => x.id))
    .sort();
}

/**
 * Creating POSTs (add-ons, apps, domains, drains, pipelines, couplings, DNS batches) that took
 * effect more than once with the same body: answered 2xx, or processed and then cut off
 * (`reset_after`). Lock drains are left out: each run records its own.
 */
export function repeatedCreates(log: readonly RequestLogEntry[]): string[] {
  const effective = new Map<string, number>();
  for (const entry of log) {
    if (entry.method !== 'POST' || entry.bodyDigest === undefined) continue;
    const tookEffect = (entry.status >= 200 && entry.status < 300) || (entry.status === 0 && entry.fault === 'reset_after');
    if (!tookEffect) continue;
    const key = `${entry.path} ${entry.bodyDigest}`;
    effective.set(key, (effective.get(key) ?? 0) + 1);
  }
  return [...effective].filter(([, n]) => n > 1).map(([key, n]) => `${key} ×${n}`);
}

/** Seeds what daffeinated must never touch: a foreign TXT and A record and a dashboard WAF rule. */
export async function seedForeign(sandbox: SandboxHandle, zone = 'daffeinated.com'): Promise<void> {
  const api = `${sandbox.url}/client/v4`;
  const headers = { Authorization: 'Bearer sandbox-seed', 'Content-Type': 'application/json' };
  const zones = (await (await fetch(`${api}/zones?name=${zone}`, { headers })).json()) as { result: { id: string }[] };
  const id = zones.result[0]?.id;
  if (id === undefined) throw new Error(`no zone ${zone} in the sandbox`);
  const send = async (method: string, path: string, body: unknown) => {
    const res = await fetch(`${api}/zones/${id}${path}`, { method, headers, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  };
  await send('POST', '/dns_records', { type: 'TXT', name: zone, content: '"google-site-verification=foreign"', ttl: 300 });
  await send('POST', '/dns_records', { type: 'A', name: `legacy.${zone}`, content: '192.0.2.10', ttl: 300, proxied: false });
  await send('PUT', '/rulesets/phases/http_request_firewall_custom/entrypoint', {
    rules: [{ ref: 'dashboard-emergency', description: 'added by hand', action: 'block', expression: '(ip.src eq 192.0.2.99)' }],
  });
}
