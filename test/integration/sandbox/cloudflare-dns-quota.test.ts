import { describe, expect, it } from 'vitest';
import { dnsRecordLimit } from '../../../src/facts/cloudflare-plans.js';
import { cloudflare, createRecord, zoneId } from '../../helpers/cloudflare.js';
import { useSandbox } from '../../helpers/sandbox.js';

// cloudflare-docs src/content/plans/index.json: a Free zone created on or after 2024-09-01 holds
// at most 200 DNS records (1,000 before), paid plans 3,500. The sandbox reads the same table as
// daffeinated's plan-time check (src/facts/cloudflare-plans.ts).
describe('Cloudflare DNS record quota per zone', () => {
  const sandbox = useSandbox({ seed: 33, zones: ['free.example:free', 'pro.example:pro'] });

  const posts = (count: number, prefix: string) =>
    Array.from({ length: count }, (_, i) => ({ type: 'TXT', name: `${prefix}${i}`, content: `v${i}` }));

  it('refuses the 201st record of a new Free zone with 81045, one by one and in a batch, and takes it on Pro', async () => {
    const free = zoneId(sandbox(), 'free.example');
    const filled = await cloudflare(sandbox(), 'POST', `/zones/${free}/dns_records/batch`, { body: { posts: posts(199, 'r') } });
    expect(filled.status).toBe(200);
    await createRecord(sandbox(), free, { type: 'TXT', name: 'last', content: 'fits' });
    const over = await cloudflare(sandbox(), 'POST', `/zones/${free}/dns_records`, {
      body: { type: 'TXT', name: 'extra', content: 'too many' },
    });
    expect(over.status).toBe(400);
    expect(over.body.errors).toEqual([{ code: 81045, message: "Record quota exceeded: this zone's plan allows 200 DNS records." }]);
    // A batch that deletes one first makes room for one post, not two.
    const list = await cloudflare<{ id: string }[]>(sandbox(), 'GET', `/zones/${free}/dns_records?per_page=1`);
    const first = list.body.result[0]?.id;
    const swap = await cloudflare(sandbox(), 'POST', `/zones/${free}/dns_records/batch`, {
      body: { deletes: [{ id: first }], posts: posts(1, 'swap') },
    });
    expect(swap.status).toBe(200);
    const two = await cloudflare(sandbox(), 'POST', `/zones/${free}/dns_records/batch`, {
      body: { deletes: [{ id: (await cloudflare<{ id: string }[]>(sandbox(), 'GET', `/zones/${free}/dns_records?per_page=1`)).body.result[0]?.id }], posts: posts(2, 'pair') },
    });
    expect(two.status).toBe(400);
    expect(two.body.errors).toEqual([expect.objectContaining({ code: 81045, source: { pointer: '/posts/1' } })]);

    const pro = zoneId(sandbox(), 'pro.example');
    expect((await cloudflare(sandbox(), 'POST', `/zones/${pro}/dns_records/batch`, { body: { posts: posts(201, 'p') } })).status).toBe(200);
  });

  it('keeps 1,000 for Free zones created before 2024-09-01 (and unknown dates count as new)', () => {
    expect(dnsRecordLimit('free', '2024-08-31T23:59:59Z')).toBe(1000);
    expect(dnsRecordLimit('free', '2024-09-01T00:00:00Z')).toBe(200);
    expect(dnsRecordLimit('free', undefined)).toBe(200);
    expect(dnsRecordLimit('pro', '2020-01-01T00:00:00Z')).toBe(3500);
  });
});
