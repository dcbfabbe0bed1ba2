import { describe, expect, it } from 'vitest';
import type { ApiZone } from '../../../../src/providers/cloudflare/api-types.js';
import type { CloudflareClient } from '../../../../src/providers/cloudflare/client.js';
import { zonePlanCosts } from '../../../../src/providers/cloudflare/cost.js';

const client = (plans: Record<string, ApiZone['plan']>) =>
  ({ findZone: async (name: string) => ({ id: name, name, plan: plans[name] }) }) as unknown as CloudflareClient;

describe('zonePlanCosts', () => {
  it('prices monthly plans as they are, yearly ones by the month, Free at $0', async () => {
    const cost = await zonePlanCosts(
      client({
        'b.test': { legacy_id: 'business', price: 2400, currency: 'USD', frequency: 'yearly' },
        'a.test': { legacy_id: 'pro', price: 25, currency: 'USD', frequency: 'monthly' },
        'c.test': { legacy_id: 'free', price: 0, currency: 'USD', frequency: '' },
      }),
      ['b.test', 'a.test', 'c.test'],
    );
    expect(cost.lines).toEqual([
      { address: 'cloudflare.zone[a.test]', after: 'pro plan', beforeCents: 0, afterCents: 2500 },
      { address: 'cloudflare.zone[b.test]', after: 'business plan', beforeCents: 0, afterCents: 20000 },
      { address: 'cloudflare.zone[c.test]', after: 'free plan', beforeCents: 0, afterCents: 0 },
    ]);
    expect(cost.deltaCents).toBe(22500);
    expect(cost.unpriced).toEqual([]);
  });

  it('leaves a contract plan, another currency or a missing plan unpriced, saying why', async () => {
    const cost = await zonePlanCosts(
      client({
        'e.test': { legacy_id: 'enterprise', price: 0, currency: 'USD', frequency: '' },
        'f.test': { legacy_id: 'pro', price: 20, currency: 'EUR', frequency: 'monthly' },
        'g.test': undefined,
      }),
      ['e.test', 'f.test', 'g.test'],
    );
    expect(cost.lines).toEqual([]);
    expect(cost.unpriced).toEqual([
      {
        address: 'cloudflare.zone[e.test]',
        reason: 'the enterprise plan is billed by contract, not per month or year',
      },
      { address: 'cloudflare.zone[f.test]', reason: 'the pro plan has no price in US dollars' },
      { address: 'cloudflare.zone[g.test]', reason: 'the unknown plan has no price in US dollars' },
    ]);
  });
});
