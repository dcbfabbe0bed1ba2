import Cloudflare, { BadRequestError, NotFoundError, RateLimitError } from 'cloudflare';
import { describe, expect, it } from 'vitest';
import { cloudflareClient, zoneId } from '../../helpers/cloudflare.js';
import { useSandbox, withSandbox } from '../../helpers/sandbox.js';

// The official `cloudflare` SDK (7.3.0), used unmodified against the sandbox.

/** The SDK types rulesets answers as `Ruleset | unknown`; the fields these tests read. */
interface RulesetView {
  readonly id: string;
  readonly version: string;
  readonly rules: readonly { readonly id: string; readonly ref: string; readonly version: string }[];
}
const view = (answer: unknown) => answer as RulesetView;
const ZONES = Array.from({ length: 12 }, (_, i) => `sdk-${String(i).padStart(2, '0')}.example`);

describe('the cloudflare SDK against the sandbox', () => {
  const sandbox = useSandbox({ seed: 29, zones: ['example.com', ...ZONES] });
  const paths = () =>
    sandbox()
      .requestLog()
      .map((e) => e.path.replace(/^\/client\/v4/, ''));

  it('auto-paginates zones with for await, ending on the empty page past the last one', async () => {
    const cf = cloudflareClient(sandbox());
    const names: string[] = [];
    for await (const zone of cf.zones.list({ per_page: 5 })) names.push(zone.name);
    expect(names).toEqual(['example.com', ...ZONES]);
    expect(paths()).toEqual([
      '/zones?per_page=5',
      '/zones?per_page=5&page=2',
      '/zones?per_page=5&page=3',
      '/zones?per_page=5&page=4',
    ]);
    const found = await cf.zones.list({ name: 'example.com', status: 'active' });
    expect(found.result.map((z) => z.name)).toEqual(['example.com']);
    const zone = await cf.zones.get({ zone_id: zoneId(sandbox(), 'example.com') });
    expect(zone).toMatchObject({ name: 'example.com', status: 'active', plan: { legacy_id: 'free' } });
  });

  it('creates, reads, overwrites, edits and deletes records, and lists them across pages', async () => {
    const cf = cloudflareClient(sandbox());
    const zone_id = zoneId(sandbox(), 'example.com');
    const created = await cf.dns.records.create({
      zone_id,
      type: 'CNAME',
      name: 'www',
      content: 'app.herokudns.com',
      proxied: true,
      ttl: 1,
    });
    expect(created).toMatchObject({ name: 'www.example.com', proxied: true, proxiable: true, ttl: 1 });
    expect(await cf.dns.records.get(created.id, { zone_id })).toEqual(created);
    const updated = await cf.dns.records.update(created.id, {
      zone_id,
      type: 'CNAME',
      name: 'www',
      content: 'new.herokudns.com',
      ttl: 300,
    });
    expect(updated).toMatchObject({ content: 'new.herokudns.com', proxied: false, ttl: 300 });
    const edited = await cf.dns.records.edit(created.id, {
      zone_id,
      comment: 'edited',
    } as unknown as Cloudflare.DNS.RecordEditParams);
    expect(edited).toMatchObject({ content: 'new.herokudns.com', comment: 'edited' });
    expect(await cf.dns.records.delete(created.id, { zone_id })).toEqual({ id: created.id });

    const batch = await cf.dns.records.batch({
      zone_id,
      posts: Array.from({ length: 150 }, (_, i) => ({
        type: 'A' as const,
        name: `h${i}`,
        content: '192.0.2.1',
        ttl: 1 as const,
      })),
    });
    expect(batch.posts).toHaveLength(150);
    sandbox().resetLog();
    let count = 0;
    for await (const record of cf.dns.records.list({ zone_id, per_page: 60 })) {
      expect(record.type).toBe('A');
      count += 1;
    }
    expect(count).toBe(150);
    expect(paths()).toHaveLength(4);
    const exact = await cf.dns.records.list({ zone_id, type: 'A', name: { exact: 'h7.example.com' } });
    expect(exact.result.map((r) => r.name)).toEqual(['h7.example.com']);
    expect(paths().at(-1)).toBe(`/zones/${zone_id}/dns_records?type=A&name.exact=h7.example.com`);
  });

  it('surfaces API errors as the SDK error classes with Cloudflare codes', async () => {
    const cf = cloudflareClient(sandbox());
    const zone_id = zoneId(sandbox(), 'example.com');
    await cf.dns.records.create({ zone_id, type: 'A', name: 'www', content: '192.0.2.1', ttl: 1 });
    const conflict = await cf.dns.records
      .create({ zone_id, type: 'CNAME', name: 'www', content: 'x.example.net', ttl: 1 })
      .catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(BadRequestError);
    expect((conflict as BadRequestError).errors[0]).toMatchObject({ code: 81053 });
    const missingZone = await cf.zones.get({ zone_id: 'f'.repeat(32) }).catch((e: unknown) => e);
    expect(missingZone).toBeInstanceOf(NotFoundError);
    const noPhase = await cf.rulesets.phases.get('http_ratelimit', { zone_id }).catch((e: unknown) => e);
    expect(noPhase).toBeInstanceOf(NotFoundError);
    expect((noPhase as NotFoundError).errors[0]).toMatchObject({ code: 10003 });
  });

  it('reads and edits settings, one at a time through methods and in bulk through raw calls', async () => {
    const cf = cloudflareClient(sandbox());
    const zone_id = zoneId(sandbox(), 'example.com');
    expect(await cf.zones.settings.get('ssl', { zone_id })).toMatchObject({ id: 'ssl', value: 'full' });
    const edited = await cf.zones.settings.edit('min_tls_version', {
      zone_id,
      value: '1.2',
    } as unknown as Cloudflare.Zones.SettingEditParams);
    expect(edited).toMatchObject({ id: 'min_tls_version', value: '1.2' });
    const all = await cf.get<{ success: boolean; result: { id: string; value: unknown }[] }>(
      `/zones/${zone_id}/settings`,
    );
    expect(all.success).toBe(true);
    expect(all.result.find((s) => s.id === 'min_tls_version')?.value).toBe('1.2');
    const bulk = await cf.patch<{ result: { id: string; value: unknown }[] }>(`/zones/${zone_id}/settings`, {
      body: {
        items: [
          { id: 'ssl', value: 'strict' },
          { id: 'always_use_https', value: 'on' },
        ],
      },
    });
    expect(bulk.result.map((s) => [s.id, s.value])).toEqual([
      ['ssl', 'strict'],
      ['always_use_https', 'on'],
    ]);
  });

  it('writes phase entrypoints and pages through the ruleset list', async () => {
    const cf = cloudflareClient(sandbox());
    const zone_id = zoneId(sandbox(), 'example.com');
    const written = await cf.rulesets.phases.update('http_request_firewall_custom', {
      zone_id,
      rules: [
        {
          ref: 'daffeinated:block-wp',
          action: 'block',
          expression: '(http.request.uri.path contains "/wp-login.php")',
          enabled: true,
        },
      ],
    });
    expect(written).toMatchObject({ kind: 'zone', version: '1', rules: [{ ref: 'daffeinated:block-wp' }] });
    expect(await cf.rulesets.phases.get('http_request_firewall_custom', { zone_id })).toEqual(written);
    sandbox().resetLog();
    const listed: string[] = [];
    for await (const ruleset of cf.rulesets.list({ zone_id, per_page: 2 } as Cloudflare.Rulesets.RulesetListParams)) {
      listed.push(ruleset.name);
    }
    expect(listed).toHaveLength(6);
    expect(paths()).toHaveLength(3);
  });

  it('adds, edits, moves and deletes single rules with rulesets.rules.*, each answering the whole ruleset', async () => {
    const cf = cloudflareClient(sandbox());
    const zone_id = zoneId(sandbox(), 'example.com');
    const block = (ref: string, path: string) => ({
      ref,
      action: 'block' as const,
      expression: `(http.request.uri.path eq "${path}")`,
    });
    const phase = view(await cf.rulesets.phases.update('http_request_firewall_custom', {
      zone_id,
      rules: [block('first', '/a')],
    }));
    const added = view(await cf.rulesets.rules.create(phase.id, { zone_id, ...block('second', '/b') }));
    expect(added).toMatchObject({ id: phase.id, kind: 'zone', phase: 'http_request_firewall_custom', version: '2' });
    expect(added.rules.map((r) => r.ref)).toEqual(['first', 'second']);
    const second = added.rules[1]?.id as string;
    const first = added.rules[0]?.id as string;
    const placed = view(await cf.rulesets.rules.create(phase.id, {
      zone_id,
      ...block('zeroth', '/c'),
      position: { before: first },
    }));
    expect(placed.rules.map((r) => r.ref)).toEqual(['zeroth', 'first', 'second']);
    const edited = view(await cf.rulesets.rules.edit(second, {
      zone_id,
      ruleset_id: phase.id,
      description: 'now first',
      enabled: false,
      position: { index: 1 },
    } as Cloudflare.Rulesets.RuleEditParams));
    expect(edited.version).toBe('4');
    expect(edited.rules[0]).toMatchObject({ id: second, ref: 'second', description: 'now first', enabled: false });
    expect(edited.rules.find((r) => r.id === first)?.version).toBe('1');
    const deleted = view(await cf.rulesets.rules.delete(first, { zone_id, ruleset_id: phase.id }));
    expect(deleted.rules.map((r) => r.ref)).toEqual(['second', 'zeroth']);
    expect(await cf.rulesets.phases.get('http_request_firewall_custom', { zone_id })).toEqual(deleted);

    // The same checks as a whole-phase PUT: a sixth custom rule on Free is refused, nothing changes.
    for (const n of [1, 2, 3]) await cf.rulesets.rules.create(phase.id, { zone_id, ...block(`more-${n}`, `/${n}`) });
    const over = await cf.rulesets.rules.create(phase.id, { zone_id, ...block('sixth', '/6') }).catch((e: unknown) => e);
    expect(over).toBeInstanceOf(BadRequestError);
    expect((over as BadRequestError).errors[0]?.message).toContain('exceeded maximum number of rules');
    const missing = await cf.rulesets.rules
      .delete('f'.repeat(32), { zone_id, ruleset_id: phase.id })
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NotFoundError);
    expect(view(await cf.rulesets.phases.get('http_request_firewall_custom', { zone_id })).rules).toHaveLength(5);
  });

  it('authenticates with X-Auth-Key and X-Auth-Email too, and raises RateLimitError on 429', async () => {
    const legacy = new Cloudflare({
      baseURL: `${sandbox().url}/client/v4`,
      apiToken: null,
      apiKey: 'global-api-key',
      apiEmail: 'me@example.com',
      maxRetries: 0,
    });
    expect((await legacy.zones.list({ name: 'example.com' })).result).toHaveLength(1);
    await withSandbox(
      async (small) => {
        const cf = cloudflareClient(small);
        await cf.zones.list();
        const limited = await cf.zones.list().catch((e: unknown) => e);
        expect(limited).toBeInstanceOf(RateLimitError);
        expect((limited as RateLimitError).headers?.get('retry-after')).toBe('300');
        expect((limited as RateLimitError).errors[0]).toMatchObject({ code: 971 });
      },
      { cloudflareRateLimit: { requests: 1 } },
    );
  });
});
