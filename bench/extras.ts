/**
 * Why a request beyond the minimum (minimum.ts) was sent, from what the code in src/ does. Each
 * reason names where it happens; `avoidable` ones have a fix proposed in docs/BENCHMARKS.md,
 * `trade-off` ones are spent on purpose (a round saved, or safety), `unexplained` ones are not
 * understood yet and are a bug in this model or in daffeinated.
 */
import type { Resource } from '../src/model/resource.js';
import type { RequestLogEntry } from '../src/sandbox/index.js';
import { of, type Scenario } from './desired.js';

export interface Explanation {
  readonly reason: string;
  readonly kind: 'avoidable' | 'trade-off' | 'unexplained';
}

export interface ExplainContext {
  readonly desired: readonly Resource[];
  readonly scenario: Scenario;
  /** The whole log of the command. */
  readonly log: readonly RequestLogEntry[];
  /** Which occurrence of this exact request (method and path) this is, from 1. */
  readonly nth: number;
}

const LOCK =
  'apply lock (workflows/lock.ts, workflows/apply-lock.ts): an app webhook created on each changed environment, the webhooks (and drains, for locks of older versions) listed to check it is the only holder, the changed environments read again under it, the webhook deleted';

export function explain(entry: RequestLogEntry, ctx: ExplainContext): Explanation {
  const ok = entry.status >= 200 && entry.status < 300;
  const app = /^\/apps\/([^/]+)\/([a-z-]+)(\/[^/]+)?$/.exec(entry.path);
  // A locked apply of existing apps: the lock's webhook, its checks (with the legacy drains), and the second plan read.
  const lockPart = app?.[2] === 'webhooks' || (app?.[2] === 'log-drains' && ctx.nth > 1);
  if (lockPart && ctx.scenario.startsWith('apply')) {
    return { kind: 'trade-off', reason: LOCK };
  }
  if (entry.method === 'GET' && app !== null && app[3] === undefined && entry.status === 404) {
    return {
      kind: 'trade-off',
      reason:
        'part of an app that does not exist yet: read in the same round as GET /apps/{app} (heroku/read.ts fetchApp), one round instead of two',
    };
  }
  if (entry.method === 'GET' && app !== null && app[3] === undefined) {
    const scope = ctx.desired.find(
      (r) => r.kind === 'heroku.app' && encodeURIComponent(String(r.attributes['name'])) === app[1],
    )?.scope;
    const declared = (kind: Resource['kind']) => of(ctx.desired, kind, scope).length > 0;
    if (app[2] === 'features' && !declared('heroku.feature')) {
      return {
        kind: 'avoidable',
        reason: 'features read and dropped: this environment declares none (heroku/read.ts fetchApp reads every kind)',
      };
    }
    if (app[2] === 'buildpack-installations' && !declared('heroku.buildpacks')) {
      return { kind: 'avoidable', reason: 'buildpacks read and dropped: none declared (heroku/read.ts fetchApp)' };
    }
    if (app[2] === 'pipeline-couplings' && !declared('heroku.coupling')) {
      return { kind: 'avoidable', reason: 'coupling read and dropped: none declared (heroku/read.ts fetchApp)' };
    }
  }
  if (entry.method === 'GET' && /^\/apps\/[^/]+\/addons\/[^/]+$/.test(entry.path)) {
    return { kind: 'trade-off', reason: 'another poll while the add-on provisions (heroku/apply-addons.ts settle)' };
  }
  const phase = /\/rulesets\/phases\/[a-z_]+\/entrypoint$/.test(entry.path);
  if (entry.method === 'GET' && phase && ctx.log.some((e) => e.method === 'PUT' && e.path === entry.path)) {
    return {
      kind: 'trade-off',
      reason:
        'WAF phase read again right before its PUT, to keep rules added in the dashboard since the plan (cloudflare/apply.ts applyRuleset)',
    };
  }
  if (entry.method === 'POST' && entry.path.endsWith('/dns_records/batch')) {
    return {
      kind: 'avoidable',
      reason: `DNS batch #${ctx.nth} for the zone, beyond what its plan's batch limit needs: the zone's DNS changes were split (engine/groups.ts executionGroups, cloudflare/dns-apply.ts)`,
    };
  }
  const batches = ctx.log.filter((e) => e.method === 'POST' && e.path.endsWith('/dns_records/batch')).length;
  if (entry.method === 'GET' && /\/dns_records\?page=1&/.test(entry.path) && batches > 1) {
    return {
      kind: 'avoidable',
      reason: 'zone listed again before a later DNS batch (cloudflare/apply.ts drops the snapshot after each batch)',
    };
  }
  if (entry.method === 'GET' && /\/dns_records\?page=([2-9]|\d\d)/.test(entry.path)) {
    return {
      kind: 'avoidable',
      reason: 'a DNS listing page beyond ⌈records / 5,000⌉ (cloudflare/client.ts listRecords)',
    };
  }
  if (entry.method === 'GET' && ok && ctx.nth > 1 && ctx.scenario.startsWith('apply')) {
    return { kind: 'trade-off', reason: LOCK };
  }
  return { kind: 'unexplained', reason: 'not in the minimum model' };
}
