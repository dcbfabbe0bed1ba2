import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../../src/sandbox/index.js';
import { cloudflare, zoneId } from '../../helpers/cloudflare.js';
import { useSandbox, withSandbox } from '../../helpers/sandbox.js';

type Zone = { id: string; name: string; status: string; plan: { id: string; legacy_id: string; name: string } };

const NAMES = Array.from({ length: 12 }, (_, i) => `zone-${String(i).padStart(2, '0')}.example`);

describe('Cloudflare zones', () => {
  const sandbox = useSandbox({
    seed: 22,
    zones: [...NAMES, 'daffeinated.com:pro', { name: 'big.example', plan: 'enterprise' }],
  });

  it('lists zones by name, 20 per page by default, with result_info and an empty page past the end', async () => {
    const first = await cloudflare<Zone[]>(sandbox(), 'GET', '/zones');
    expect(first.body.result.map((z) => z.name)).toEqual(['big.example', 'daffeinated.com', ...NAMES]);
    expect(first.body.result_info).toEqual({ page: 1, per_page: 20, count: 14, total_count: 14, total_pages: 1 });
    const paged = await cloudflare<Zone[]>(sandbox(), 'GET', '/zones?per_page=5&page=3');
    expect(paged.body.result.map((z) => z.name)).toEqual([
      'zone-08.example',
      'zone-09.example',
      'zone-10.example',
      'zone-11.example',
    ]);
    expect(paged.body.result_info).toEqual({ page: 3, per_page: 5, count: 4, total_count: 14, total_pages: 3 });
    const past = await cloudflare<Zone[]>(sandbox(), 'GET', '/zones?per_page=5&page=4');
    expect(past.status).toBe(200);
    expect(past.body.result).toEqual([]);
    expect(past.body.result_info).toMatchObject({ page: 4, count: 0, total_pages: 3 });
  });

  it('clamps per_page to 5–50 and refuses pages that are not positive integers', async () => {
    expect((await cloudflare(sandbox(), 'GET', '/zones?per_page=2')).body.result_info?.['per_page']).toBe(5);
    expect((await cloudflare(sandbox(), 'GET', '/zones?per_page=500')).body.result_info?.['per_page']).toBe(50);
    for (const query of [
      'page=0',
      'page=x',
      'per_page=1.5',
      'order=size',
      'direction=up',
      'status=gone',
      'match=some',
    ]) {
      const res = await cloudflare(sandbox(), 'GET', `/zones?${query}`);
      expect([res.status, res.body.errors[0]?.code], query).toEqual([400, 1004]);
    }
  });

  it('filters by name (exact, case-insensitive, or with an operator), status, account and match', async () => {
    const names = async (query: string) =>
      (await cloudflare<Zone[]>(sandbox(), 'GET', `/zones?${query}`)).body.result.map((z) => z.name);
    expect(await names('name=DAFFEINATED.com')).toEqual(['daffeinated.com']);
    expect(await names('name=daffeinated')).toEqual([]);
    expect(await names('name=contains:zone-1&per_page=50')).toEqual(['zone-10.example', 'zone-11.example']);
    expect(await names('name=starts_with:big')).toEqual(['big.example']);
    expect(await names('name=ends_with:.com')).toEqual(['daffeinated.com']);
    expect(await names('name=equal_case_sensitive:DAFFEINATED.com')).toEqual([]);
    expect(await names('name=daffeinated.com&status=active')).toEqual(['daffeinated.com']);
    expect(await names('name=daffeinated.com&status=pending')).toEqual([]);
    expect(await names('name=daffeinated.com&status=pending&match=any')).toEqual(['daffeinated.com']);
    expect(await names('name=daffeinated.com&status=active&match=any')).toHaveLength(14);
    const account = sandbox().state().cloudflare.account;
    expect(await names(`account.id=${account.id}&name=big.example`)).toEqual(['big.example']);
    expect(await names(`account.id=${'0'.repeat(32)}`)).toEqual([]);
    expect(await names(`account.name=${encodeURIComponent(account.name)}&per_page=5`)).toHaveLength(5);
  });

  it('orders by plan and direction', async () => {
    const res = await cloudflare<Zone[]>(sandbox(), 'GET', '/zones?order=plan.id&direction=desc&per_page=5');
    expect(res.body.result.map((z) => z.plan.legacy_id)).toEqual(['pro', 'free', 'free', 'free', 'free']);
    const byName = await cloudflare<Zone[]>(sandbox(), 'GET', '/zones?direction=desc&per_page=5');
    expect(byName.body.result[0]?.name).toBe('zone-11.example');
  });

  it('answers a realistic zone object with its plan', async () => {
    const res = await cloudflare<Record<string, unknown>>(
      sandbox(),
      'GET',
      `/zones/${zoneId(sandbox(), 'daffeinated.com')}`,
    );
    const zone = res.body.result;
    expect(zone['id']).toMatch(/^[0-9a-f]{32}$/);
    expect(zone).toMatchObject({
      name: 'daffeinated.com',
      status: 'active',
      paused: false,
      type: 'full',
      development_mode: 0,
      original_name_servers: null,
      plan: { legacy_id: 'pro', name: 'Pro Website', is_subscribed: true },
      account: { id: sandbox().state().cloudflare.account.id },
      meta: { page_rule_quota: 20 },
    });
    expect(zone['name_servers']).toEqual([
      expect.stringMatching(/^[a-z]+\.ns\.cloudflare\.com$/),
      expect.stringMatching(/\.ns\.cloudflare\.com$/),
    ]);
    expect(new Set(zone['name_servers'] as string[]).size).toBe(2);
    expect(zone['created_on']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    const free = await cloudflare<Zone>(sandbox(), 'GET', `/zones/${zoneId(sandbox(), 'zone-00.example')}`);
    expect(free.body.result.plan).toMatchObject({ id: '0feeeeeeeeeeeeeeeeeeeeeeeeeeeeee', name: 'Free Website' });
    const enterprise = await cloudflare<Zone>(sandbox(), 'GET', `/zones/${zoneId(sandbox(), 'big.example')}`);
    expect(enterprise.body.result.plan.legacy_id).toBe('enterprise');
  });

  it('refuses invalid seeds before listening', async () => {
    await expect(startSandbox({ zones: ['not a zone'] })).rejects.toThrow(/invalid zone name/);
    await expect(startSandbox({ zones: ['example.com:gold'] })).rejects.toThrow(/invalid plan "gold"/);
  });
});

describe('Cloudflare state across restarts', () => {
  let dir: string | undefined;
  afterAll(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('keeps records and settings, changes a plan only when a seed names one, and upgrades older states', async () => {
    dir = await mkdtemp(join(tmpdir(), 'cf-state-'));
    const file = join(dir, 'sandbox.json');
    let id = '';
    await withSandbox(
      async (s) => {
        id = zoneId(s, 'example.com');
        await cloudflare(s, 'POST', `/zones/${id}/dns_records`, { body: { type: 'TXT', name: '@', content: 'kept' } });
        await cloudflare(s, 'PATCH', `/zones/${id}/settings/ssl`, { body: { value: 'strict' } });
      },
      { stateFile: file, zones: ['example.com'] },
    );
    await withSandbox(
      async (s) => {
        expect(zoneId(s, 'example.com')).toBe(id);
        const records = await cloudflare<{ content: string }[]>(s, 'GET', `/zones/${id}/dns_records`);
        expect(records.body.result.map((r) => r.content)).toEqual(['kept']);
        expect((await cloudflare(s, 'GET', `/zones/${id}/settings/ssl`)).body.result).toMatchObject({
          value: 'strict',
        });
        expect(s.state().cloudflare.zones[0]?.plan).toBe('pro');
      },
      { stateFile: file, zones: ['example.com:pro'] },
    );
    // A state saved by the first sandbox slice: zones without plan, records, settings or rulesets.
    const stored = JSON.parse(await readFile(file, 'utf8')) as Record<string, Record<string, unknown>>;
    const cf = stored['cloudflare'] as Record<string, unknown>;
    cf['zones'] = [
      {
        id,
        name: 'example.com',
        status: 'active',
        createdOn: '2026-01-01T00:00:00Z',
        modifiedOn: '2026-01-01T00:00:00Z',
      },
    ];
    delete cf['account'];
    await writeFile(file, JSON.stringify(stored));
    await withSandbox(
      async (s) => {
        const zone = await cloudflare<Zone & { created_on: string }>(s, 'GET', `/zones/${id}`);
        expect(zone.body.result).toMatchObject({
          name: 'example.com',
          plan: { legacy_id: 'free' },
          created_on: '2026-01-01T00:00:00.000000Z',
        });
        expect((await cloudflare(s, 'GET', `/zones/${id}/dns_records`)).body.result).toEqual([]);
      },
      { stateFile: file, zones: ['example.com'] },
    );
  });
});
