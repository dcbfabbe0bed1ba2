import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { diffAll } from '../../../src/engine/diff.js';
import type { Change } from '../../../src/engine/types.js';
import type { Resource } from '../../../src/model/resource.js';
import type { HttpLogEntry } from '../../../src/providers/cloudflare/client.js';
import { desiredCloudflare } from '../../../src/providers/cloudflare/desired.js';
import { CloudflareProvider } from '../../../src/providers/cloudflare/index.js';
import { InternalError } from '../../../src/runtime/errors.js';
import { API, appConfig, context, hexId, mockRecords, mockZone, newClient, ok, ORIGIN, ZONE, ZONE_ID, zoneConfig } from './fixtures.js';

// Which WAF rules are daffeinated's (a `ref` starting "daffeinated:"), and what happens to the
// others: read reports each as a `rule:<ref>` attribute (unmanaged), apply writes them back first.

const owners = new Map([[ZONE, 'production']]);
const PHASES = `${API}/zones/${ZONE_ID}/rulesets/phases`;
const CUSTOM = 'cloudflare.ruleset[daffeinated.com/http_request_firewall_custom]';
const desired = desiredCloudflare(appConfig(zoneConfig()), ['production']).resources;
const custom = desired.find((r) => r.address === CUSTOM) as Resource;

/** Ours as app.yaml declares them (zoneConfig): one custom rule. */
const OURS_DECLARED = [
  { ref: 'daffeinated:block-wp', description: 'WordPress probes', action: 'block', expression: '(http.request.uri.path contains "/wp-login.php")', enabled: true },
];

/** Read-only fields the API adds to every rule it lists. */
const listed = (rule: Record<string, unknown>) => ({ ...rule, version: '3', last_updated: '2026-01-01T00:00:00Z', categories: ['x'] });

afterEach(() => {
  nock.cleanAll();
});

describe('WAF rules on read', () => {
  /** Reads only `resource` (a ruleset) of the zone. */
  async function readRuleset(resource: Resource, log: HttpLogEntry[] = []): Promise<Resource> {
    const state = await new CloudflareProvider(newClient(log), owners).read({ scopes: ['production'], desired: [resource] });
    const found = state.resources.find((r) => r.address === resource.address);
    if (found === undefined) throw new Error(`${resource.address} not read`);
    return found;
  }

  it('reads ours (ref "daffeinated:…") as `rules` in live order, and each other rule as rule:<ref> with what it does', async () => {
    mockZone();
    mockRecords([]);
    nock(ORIGIN)
      .get(`${PHASES}/http_request_firewall_custom/entrypoint`)
      .reply(200, ok({ rules: [
        listed({ id: hexId('skip'), ref: 'emergency-skip', description: 'added by hand', action: 'skip', expression: '(ip.src eq 192.0.2.1)', enabled: false }),
        listed({ id: hexId('two'), ref: 'daffeinated:second', description: 'Second', action: 'block', expression: '(http.host eq "b")', enabled: true }),
        // Neither ref nor the optional fields: named by its id, the API's defaults filled in.
        listed({ id: hexId('bare') }),
        listed({ id: hexId('one'), ref: 'daffeinated:first', action: 'log', expression: '(http.host eq "a")' }),
        // The marker must start the ref: anything else is someone else's rule.
        listed({ id: hexId('lookalike'), ref: 'not-daffeinated:x', description: 'daffeinated:y', action: 'block', expression: 'true', enabled: true }),
      ] }));
    const live = await readRuleset(custom);
    expect(live.attributes).toEqual({
      rules: [
        { ref: 'daffeinated:second', description: 'Second', action: 'block', expression: '(http.host eq "b")', enabled: true },
        { ref: 'daffeinated:first', description: '', action: 'log', expression: '(http.host eq "a")', enabled: true },
      ],
      'rule:emergency-skip': { description: 'added by hand', action: 'skip', expression: '(ip.src eq 192.0.2.1)', enabled: false },
      [`rule:${hexId('bare')}`]: { description: '', action: '', expression: '', enabled: true },
      'rule:not-daffeinated:x': { description: 'daffeinated:y', action: 'block', expression: 'true', enabled: true },
    });
    // The engine reports the foreign rules as unmanaged, never as changes to make.
    const plan = diffAll({ resources: [custom], prune: [] }, { resources: [live], deferred: [], diagnostics: [] });
    expect(plan.unmanaged.map((u) => u.attribute)).toEqual([`rule:${hexId('bare')}`, 'rule:emergency-skip', 'rule:not-daffeinated:x']);
    expect(plan.changes.map((c) => c.diffs.map((d) => d.attribute))).toEqual([['rules']]);
  });

  it('refuses a ruleset address that names no ruleset phase before asking for it (a bug, not user input)', async () => {
    mockZone();
    mockRecords([]);
    const log: HttpLogEntry[] = [];
    const wrong = { ...custom, address: 'cloudflare.ruleset[daffeinated.com/http_request_transform]' };
    const error = await readRuleset(wrong, log).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InternalError);
    expect((error as InternalError).message).toBe('cloudflare.ruleset[daffeinated.com/http_request_transform] names no ruleset phase');
    expect(log.filter((e) => e.path.includes('/rulesets/'))).toEqual([]);
  });
});

describe('WAF rules on apply', () => {
  /** Answers the phase's GET with `rules` and records the PUT body (answering `{ rules: [] }`). */
  function mockPhase(rules: unknown[]): { put?: { rules?: unknown[] } } {
    const seen: { put?: { rules?: unknown[] } } = {};
    nock(ORIGIN)
      .get(`${PHASES}/http_request_firewall_custom/entrypoint`)
      .reply(200, ok({ rules }))
      .put(`${PHASES}/http_request_firewall_custom/entrypoint`, (body: { rules?: unknown[] }) => {
        seen.put = body;
        return true;
      })
      .reply(200, ok({ rules: [] }));
    return seen;
  }

  const hand = { id: hexId('hand'), ref: 'emergency', description: 'added by hand', action: 'block', expression: '(ip.src eq 192.0.2.1)', enabled: true };
  const bare = { id: hexId('bare'), action: 'log', expression: 'true' };

  const created = diffAll({ resources: [custom], prune: [] }, { resources: [], deferred: [], diagnostics: [] }).changes;

  it('create: replaces the phase whole, foreign rules first in live order however they sat among ours, then ours in app.yaml order', async () => {
    mockZone();
    const seen = mockPhase([
      listed({ id: hexId('old'), ref: 'daffeinated:old', action: 'block', expression: 'true' }),
      listed(hand),
      listed({ id: hexId('wp'), ref: 'daffeinated:block-wp', action: 'log', expression: 'false' }),
      listed(bare),
    ]);
    expect(created.map((c) => c.action)).toEqual(['create']);
    const result = await new CloudflareProvider(newClient(), owners).apply(created, context());
    expect(result.failed).toEqual([]);
    expect(result.applied).toEqual([CUSTOM]);
    // Read-only fields dropped from the foreign rules; their ids keep them the same rules.
    expect(seen.put).toEqual({ rules: [hand, bare, ...OURS_DECLARED] });
    expect(result.outputs.get(CUSTOM)).toEqual({ rules: OURS_DECLARED });
  });

  it('replace writes the phase like an update', async () => {
    const [update] = diffAll({ resources: [custom], prune: [] }, { resources: [{ ...custom, attributes: { rules: [] } }], deferred: [], diagnostics: [] }).changes;
    if (update?.action !== 'update') throw new Error('expected an update');
    const replace: Change = { ...update, action: 'replace', because: ['rules'] };
    mockZone();
    const seen = mockPhase([listed(hand)]);
    const result = await new CloudflareProvider(newClient(), owners).apply([replace], context());
    expect(result.failed).toEqual([]);
    expect(seen.put).toEqual({ rules: [hand, ...OURS_DECLARED] });
    expect(result.outputs.get(CUSTOM)).toEqual({ rules: OURS_DECLARED });
  });

  it('delete leaves only the foreign rules and reports no rules of ours', async () => {
    const deleted = diffAll({ resources: [], prune: ['cloudflare.ruleset@production'] }, { resources: [custom], deferred: [], diagnostics: [] }).changes;
    expect(deleted.map((c) => c.action)).toEqual(['delete']);
    mockZone();
    const seen = mockPhase([listed(hand), listed({ id: hexId('wp'), ref: 'daffeinated:block-wp', action: 'block', expression: 'true' })]);
    const result = await new CloudflareProvider(newClient(), owners).apply(deleted, context());
    expect(seen.put).toEqual({ rules: [hand] });
    expect(result.outputs.get(CUSTOM)).toEqual({ rules: [] });
  });

  it('fails a change of an action it does not know without writing the phase (a PUT would drop our rules)', async () => {
    const [change] = created;
    const unknown = { ...change, action: 'rename' } as unknown as Change;
    mockZone();
    const seen = mockPhase([listed(hand)]);
    const result = await new CloudflareProvider(newClient(), owners).apply([unknown], context());
    expect(result.applied).toEqual([]);
    expect(result.failed[0]?.error).toBeInstanceOf(InternalError);
    expect(result.failed[0]?.error.message).toMatch(/^unexpected change: /);
    expect(seen.put).toBeUndefined();
  });

  it('fails an address that names no ruleset phase without any request (a bug, not user input)', async () => {
    const [change] = created;
    const wrong = { ...change, address: 'cloudflare.ruleset[daffeinated.com/http_request_transform]' } as Change;
    const log: HttpLogEntry[] = [];
    const result = await new CloudflareProvider(newClient(log), owners).apply([wrong], context());
    expect(result.failed.map((f) => f.address)).toEqual([wrong.address]);
    expect(result.failed[0]?.error).toBeInstanceOf(InternalError);
    expect(result.failed[0]?.error.message).toBe('cloudflare.ruleset[daffeinated.com/http_request_transform] names no ruleset phase');
    expect(log).toEqual([]);
  });
});
