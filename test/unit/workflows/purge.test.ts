import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/index.js';
import type { Config } from '../../../src/model/config.js';
import type { PurgeSelection, ZonePurged } from '../../../src/providers/provider.js';
import { ProviderError } from '../../../src/runtime/errors.js';
import type { Connection } from '../../../src/workflows/connection.js';
import type { HealthVerdict } from '../../../src/workflows/health.js';
import { describeSelection, purgeAfterRelease, purgeHeldBack, purgePlan } from '../../../src/workflows/purge.js';
import { recorder } from './promote-support.js';

const config = (purge: string): Config => {
  const text = `version: 1
name: shop
environments:
  production:
    app: shop-production
    domains: [shop.example, www.shop.example, api.eu.shop.example, '*.other.example', shop.elsewhere.example]
    purge: ${purge}
cloudflare:
  zones:
    shop.example: { owner: production }
    eu.shop.example: { owner: production }
    other.example: { owner: production }
    unused.example: { owner: production }
`;
  const parsed = parseConfig(text, 'app.yaml', {});
  if (parsed.config === undefined) throw new Error(parsed.diagnostics.map((d) => d.message).join('\n'));
  return parsed.config;
};
const production = (c: Config) => c.environments['production'] ?? (undefined as never);

const HEALTHY: HealthVerdict = { kind: 'checked', outcome: { ok: true, url: 'https://shop.example/health', status: 200, ms: 5, attempts: 1 } };
const UNHEALTHY: HealthVerdict = { kind: 'checked', outcome: { ok: false, url: 'https://shop.example/health', last: 'HTTP 500', ms: 5, attempts: 3 } };

/** A connection whose cache records each purge, failing for the zones in `failing`. */
function connection(calls: string[], failing: ReadonlySet<string> = new Set()): Connection {
  const cache = {
    purge: async (zone: string, selection: PurgeSelection): Promise<ZonePurged> => {
      calls.push(`${zone} ${JSON.stringify(selection)}`);
      if (failing.has(zone)) throw new ProviderError('cloudflare', `POST /zones/x/purge_cache failed (HTTP 500)`, { hint: 'Try again later.' });
      return { zone, selection, plan: 'pro', requests: 1 };
    },
  };
  return { cache } as unknown as Connection;
}

describe('purgePlan', () => {
  it('sends each host and prefix to the most specific declared zone, zones in name order', () => {
    const c = config('{ hosts: [www.shop.example, api.eu.shop.example, x.apps.other.example], prefixes: [shop.example/assets, eu.shop.example/a] }');
    expect(purgePlan(c, production(c))).toEqual([
      { zone: 'eu.shop.example', selection: { kind: 'selected', hosts: ['api.eu.shop.example'], prefixes: ['eu.shop.example/a'] } },
      { zone: 'other.example', selection: { kind: 'selected', hosts: ['x.apps.other.example'], prefixes: [] } },
      { zone: 'shop.example', selection: { kind: 'selected', hosts: ['www.shop.example'], prefixes: ['shop.example/assets'] } },
    ]);
  });

  it("purges everything in the zones holding the environment's domains (a wildcard of a zone's apex too), not the others", () => {
    const c = config('{ everything: true }');
    expect(purgePlan(c, production(c)).map((p) => `${p.zone} ${p.selection.kind}`)).toEqual([
      'eu.shop.example everything',
      'other.example everything',
      'shop.example everything',
    ]);
  });

  it('is empty without purge', () => {
    const c = config('{ everything: true }');
    const { purge: _, ...without } = production(c);
    expect(purgePlan(c, without)).toEqual([]);
  });
});

describe('purgeHeldBack', () => {
  it('lets a healthy release or one without a health check purge, and holds back a failed or skipped check', () => {
    expect(purgeHeldBack(HEALTHY)).toBeUndefined();
    expect(purgeHeldBack({ kind: 'not-configured' })).toBeUndefined();
    expect(purgeHeldBack(UNHEALTHY)).toBe('the release failed its health check');
    expect(purgeHeldBack({ kind: 'skipped', reason: 'the sandbox runs no app processes' })).toBe(
      'the health check was skipped (the sandbox runs no app processes), so the release is not known healthy',
    );
  });
});

describe('purgeAfterRelease', () => {
  it('purges zone after zone once healthy, with a progress step each', async () => {
    const c = config('{ hosts: [www.shop.example, api.eu.shop.example] }');
    const calls: string[] = [];
    const { progress, events } = recorder();
    const outcome = await purgeAfterRelease(connection(calls), c, production(c), HEALTHY, progress);
    expect(outcome).toMatchObject({ kind: 'purged', zones: [{ zone: 'eu.shop.example' }, { zone: 'shop.example' }] });
    expect(calls).toEqual([
      'eu.shop.example {"kind":"selected","hosts":["api.eu.shop.example"],"prefixes":[]}',
      'shop.example {"kind":"selected","hosts":["www.shop.example"],"prefixes":[]}',
    ]);
    expect(events).toEqual([
      "step Purging Cloudflare's cache of eu.shop.example: hosts api.eu.shop.example",
      'done Purged eu.shop.example: hosts api.eu.shop.example (1 request)',
      "step Purging Cloudflare's cache of shop.example: hosts www.shop.example",
      'done Purged shop.example: hosts www.shop.example (1 request)',
    ]);
  });

  it('purges nothing after a failed health check, and says why', async () => {
    const c = config('{ everything: true }');
    const calls: string[] = [];
    const { progress, events } = recorder();
    expect(await purgeAfterRelease(connection(calls), c, production(c), UNHEALTHY, progress)).toEqual({
      kind: 'held-back',
      reason: 'the release failed its health check',
    });
    expect(calls).toEqual([]);
    expect(events).toEqual(["info not purging Cloudflare's cache for production: the release failed its health check"]);
  });

  it('is not-declared without purge, touching no connection', async () => {
    const c = config('{ everything: true }');
    const { purge: _, ...without } = production(c);
    expect(await purgeAfterRelease({} as Connection, c, without, HEALTHY, recorder().progress)).toEqual({ kind: 'not-declared' });
  });

  it('stops at the first zone that fails, reporting it with its hint and the zones done before', async () => {
    const c = config('{ hosts: [www.shop.example, api.eu.shop.example, x.apps.other.example] }');
    const calls: string[] = [];
    const outcome = await purgeAfterRelease(connection(calls, new Set(['other.example'])), c, production(c), HEALTHY, recorder().progress);
    expect(outcome).toMatchObject({
      kind: 'failed',
      zone: 'other.example',
      message: 'POST /zones/x/purge_cache failed (HTTP 500)',
      hint: 'Try again later.',
      zones: [{ zone: 'eu.shop.example' }],
    });
    expect(calls).toHaveLength(2);
  });
});

describe('describeSelection', () => {
  it('names the hosts, then the prefixes, each only when there are some; or everything', () => {
    expect(describeSelection({ kind: 'selected', hosts: ['a.example', 'b.example'], prefixes: ['a.example/x', 'b.example/y'] })).toBe(
      'hosts a.example, b.example; prefixes a.example/x, b.example/y',
    );
    expect(describeSelection({ kind: 'selected', hosts: [], prefixes: ['a.example/x'] })).toBe('prefixes a.example/x');
    expect(describeSelection({ kind: 'selected', hosts: ['a.example'], prefixes: [] })).toBe('hosts a.example');
    expect(describeSelection({ kind: 'everything' })).toBe('everything');
  });
});

describe('purgeAfterRelease, counting and connecting', () => {
  it('counts the requests a zone took in its progress line', async () => {
    const c = config('{ everything: true }');
    const cache = { purge: async (zone: string, selection: PurgeSelection): Promise<ZonePurged> => ({ zone, selection, plan: 'free', requests: 3 }) };
    const { progress, events } = recorder();
    await purgeAfterRelease({ cache } as unknown as Connection, c, production(c), HEALTHY, progress);
    expect(events.filter((e) => e.startsWith('done'))).toEqual([
      'done Purged eu.shop.example: everything (3 requests)',
      'done Purged other.example: everything (3 requests)',
      'done Purged shop.example: everything (3 requests)',
    ]);
  });

  it('fails, naming the environment, without a Cloudflare connection to purge with', async () => {
    const c = config('{ everything: true }');
    await expect(purgeAfterRelease({} as Connection, c, production(c), HEALTHY, recorder().progress)).rejects.toThrow(
      'No Cloudflare connection to purge the cache of production with',
    );
  });
});
