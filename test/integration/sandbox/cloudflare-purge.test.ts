import { describe, expect, it } from 'vitest';
import { cloudflare, cloudflareClient, zoneId } from '../../helpers/cloudflare.js';
import { admin, useSandbox } from '../../helpers/sandbox.js';

type Purge = { zone: string; id: string; at: string; kind: string; items: string[] };

const hosts = (count: number, zone: string) => Array.from({ length: count }, (_, i) => `h${i}.${zone}`);

describe('Cloudflare cache purge (POST /zones/{zone_id}/purge_cache)', () => {
  let now = Date.parse('2026-12-01T10:00:00Z');
  const sandbox = useSandbox({
    seed: 31,
    clock: () => new Date(now),
    zones: ['free.example', 'pro.example:pro', 'big.example:enterprise'],
  });
  const purge = (zone: string, body: unknown) => cloudflare<{ id: string }>(sandbox(), 'POST', `/zones/${zoneId(sandbox(), zone)}/purge_cache`, { body });
  const purges = async () => (await admin<{ purges: Purge[] }>(sandbox(), 'GET', '/purges')).body.purges;

  it('accepts each kind of purge, answers its id, and records it for /__sandbox/purges and the state', async () => {
    const bodies = [
      { hosts: ['www.free.example', 'FREE.example'] },
      { prefixes: ['www.free.example/assets/v2'] },
      { tags: ['release-42'] },
      { files: ['https://www.free.example/app.css', { url: 'https://www.free.example/', headers: { 'CF-IPCountry': 'US' } }] },
      { purge_everything: true },
    ];
    const ids: string[] = [];
    for (const body of bodies) {
      const answer = await purge('free.example', body);
      expect(answer.status).toBe(200);
      expect(answer.body.result.id).toMatch(/^[0-9a-f]{32}$/);
      ids.push(answer.body.result.id);
    }
    const listed = await purges();
    expect(listed.map((p) => [p.kind, p.items])).toEqual([
      ['hosts', ['www.free.example', 'free.example']],
      ['prefixes', ['www.free.example/assets/v2']],
      ['tags', ['release-42']],
      ['files', ['https://www.free.example/app.css', 'https://www.free.example/']],
      ['everything', []],
    ]);
    expect(listed.map((p) => p.id)).toEqual(ids);
    expect(listed.every((p) => p.zone === 'free.example' && p.at === '2026-12-01T10:00:00.000000Z')).toBe(true);
    expect(sandbox().state().cloudflare.zones.find((z) => z.name === 'free.example')?.purges).toHaveLength(5);
  });

  it('works with the official SDK unmodified (cache.purge)', async () => {
    const sdk = cloudflareClient(sandbox());
    const answer = await sdk.cache.purge({ zone_id: zoneId(sandbox(), 'pro.example'), hosts: ['pro.example'] });
    expect(answer?.id).toMatch(/^[0-9a-f]{32}$/);
    expect((await purges()).map((p) => p.items)).toEqual([['pro.example']]);
  });

  it('refuses bodies that name no purge (1012), lists that are no array (1014), and other bad shapes (1004), recording nothing', async () => {
    const refused: [unknown, number, string][] = [
      [{}, 1012, 'Request must contain one of'],
      [{ purge_everything: false }, 1012, 'Request must contain one of'],
      [{ hosts: 'www.free.example' }, 1014, 'must be an array'],
      [{ hosts: ['free.example'], prefixes: ['free.example/a'] }, 1004, 'names one kind of purge'],
      [{ hosts: ['free.example'], purge_everything: true }, 1004, 'names one kind of purge'],
      [{ hosts: [] }, 1004, 'hosts is empty'],
      [{ hosts: ['not a host'] }, 1004, 'hosts[0] is not a hostname'],
      [{ hosts: ['www.elsewhere.example'] }, 1004, 'is not in zone free.example'],
      [{ prefixes: ['https://free.example/a'] }, 1004, 'prefixes[0] is not a prefix'],
      [{ prefixes: ['free.example/a?b=c'] }, 1004, 'is not a prefix'],
      [{ prefixes: [`free.example${'/a'.repeat(32)}`] }, 1004, 'more than 31 path separators'],
      [{ files: ['/relative.css'] }, 1004, 'files[0] is not an http(s) URL'],
      [{ tags: ['has space'] }, 1004, 'tags[0] is not a cache tag'],
    ];
    for (const [body, code, message] of refused) {
      const answer = await purge('free.example', body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.success).toBe(false);
      expect(answer.body.errors[0]?.code, JSON.stringify(body)).toBe(code);
      expect(answer.body.errors[0]?.message).toContain(message);
    }
    expect(await purges()).toEqual([]);
  });

  it('takes 30 hosts per request below Enterprise, 100 on Enterprise (500 URLs)', async () => {
    expect((await purge('pro.example', { hosts: hosts(30, 'pro.example') })).status).toBe(200);
    const over = await purge('pro.example', { hosts: hosts(31, 'pro.example') });
    expect(over.status).toBe(400);
    expect(over.body.errors[0]).toMatchObject({ code: 1004, message: expect.stringContaining('a zone on the pro plan takes at most 30') });
    expect((await purge('big.example', { hosts: hosts(100, 'big.example') })).status).toBe(200);
    expect((await purge('big.example', { prefixes: hosts(101, 'big.example') })).status).toBe(400);
    const urls = Array.from({ length: 500 }, (_, i) => `https://big.example/${i}.css`);
    expect((await purge('big.example', { files: urls })).status).toBe(200);
    expect((await purge('free.example', { files: urls.slice(0, 31) })).status).toBe(400);
  });

  it("limits the account's Free purges to a bucket of 25 refilled at 5 a minute: then 429 with Retry-After", async () => {
    for (let i = 0; i < 25; i++) expect((await purge('free.example', { hosts: ['free.example'] })).status).toBe(200);
    const refused = await purge('free.example', { hosts: ['free.example'] });
    expect(refused.status).toBe(429);
    expect(refused.body.errors[0]?.code).toBe(971);
    expect(refused.headers.get('retry-after')).toBe('12');
    // Another plan's bucket is its own.
    expect((await purge('pro.example', { hosts: ['pro.example'] })).status).toBe(200);
    now += 12_000;
    expect((await purge('free.example', { hosts: ['free.example'] })).status).toBe(200);
    expect((await purge('free.example', { hosts: ['free.example'] })).status).toBe(429);
    expect((await purges()).filter((p) => p.zone === 'free.example')).toHaveLength(26);
  });
});
