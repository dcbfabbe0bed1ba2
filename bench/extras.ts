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
  /** Which occurrence of this exact request among the answered (2xx) ones beyond the minimum, from 1. */
  readonly extraNth: number;
}

const LOCK =
  'apply lock (workflows/lock.ts): an app webhook created on each environment read (--yes: alongside the plan, workflows/early-locks.ts) or changed, the webhooks (and drains, for locks of older versions) listed to check it is the only holder, the webhook deleted';
const LOCK_REREAD =
  'apply lock: what the plan changes read once more under the lock, to refuse a plan that moved since it was shown (workflows/apply-lock.ts underApplyLock)';

/** The apps an apply locked: those it recorded a lock webhook on. */
function lockedApps(log: readonly RequestLogEntry[]): Set<string> {
  const posts = log.filter((e) => e.method === 'POST' && e.status < 300).map((e) => /^\/apps\/([^/]+)\/webhooks$/.exec(e.path)?.[1]);
  return new Set(posts.filter((app): app is string => app !== undefined));
}

/**
 * A successful GET sent again beyond the minimum (plan read and confirmation re-read): the lock's
 * re-read when the apply holds a lock and the request is one it reads (a locked app's part, the
 * pipeline, a zone), the first time only; anything else is a duplicate nothing asked for.
 */
function repeatedRead(entry: RequestLogEntry, ctx: ExplainContext): Explanation {
  const locked = lockedApps(ctx.log);
  const app = /^\/apps\/([^/]+)/.exec(entry.path)?.[1];
  const listing = ['/apps', '/addons', '/pipeline-couplings'].includes(entry.path);
  const rereadable =
    app !== undefined ? locked.has(app) : listing || entry.path.startsWith('/pipelines/') || entry.path.startsWith('/client/v4/');
  // Each listing of the lock's webhooks lists the drains too, for locks older versions left (heroku/lock.ts).
  const lockLists =
    app !== undefined && entry.path === `/apps/${app}/log-drains`
      ? ctx.log.filter((e) => e.method === 'GET' && e.path === `/apps/${app}/webhooks`).length
      : 0;
  if (locked.size > 0 && rereadable && ctx.extraNth <= lockLists) return { kind: 'trade-off', reason: LOCK };
  if (locked.size > 0 && rereadable && ctx.extraNth === lockLists + 1) return { kind: 'trade-off', reason: LOCK_REREAD };
  const why =
    locked.size === 0 ? 'no lock was taken' : !rereadable ? 'not part of a locked environment' : `the lock lists it ${lockLists} time(s) and re-reads it once, this is repeat ${ctx.extraNth}`;
  return {
    kind: 'avoidable',
    reason: `duplicate read: answered ${ctx.nth - 1} time(s) already in this apply, beyond the plan read and the confirmation re-read (${why})`,
  };
}

export function explain(entry: RequestLogEntry, ctx: ExplainContext): Explanation {
  const ok = entry.status >= 200 && entry.status < 300;
  const app = /^\/apps\/([^/]+)\/([a-z-]+)(\/[^/]+)?$/.exec(entry.path);
  // A locked apply of existing apps: the lock's webhook and its checks (drains: see repeatedRead).
  if (app?.[2] === 'webhooks' && ctx.scenario.startsWith('apply')) {
    return { kind: 'trade-off', reason: LOCK };
  }
  if (app?.[2] === 'webhooks' && entry.method === 'GET') {
    return {
      kind: 'trade-off',
      reason:
        "lock survey (workflows/lock-report.ts): plan and drift read each app's webhooks to warn about a held or stale apply lock, which has no account-wide listing; one request per app, in the plan's first round, so also for an app the plan then creates (a 404); --no-lock-survey saves them",
    };
  }
  if (
    entry.method === 'GET' &&
    ['/addons', '/pipeline-couplings'].includes(entry.path) &&
    !ctx.log.some((e) => e.method === 'GET' && e.path === '/apps' && e.startedMs + e.durationMs <= entry.startedMs)
  ) {
    return {
      kind: 'trade-off',
      reason:
        'account-wide listing sent in the same round as GET /apps, before it could tell that no named app exists yet (heroku/read-apps.ts), one round instead of two',
    };
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
  // The lock's re-read of one environment reads its app, add-ons and coupling on their own: the
  // plan's read of two or more had them from the account's listings (heroku/read-apps.ts).
  const listedPart = /^\/apps\/([^/]+)(\/addons|\/pipeline-couplings)?$/.exec(entry.path);
  if (entry.method === 'GET' && ok && ctx.scenario.startsWith('apply') && ctx.nth === 1 && listedPart !== null) {
    if (lockedApps(ctx.log).has(listedPart[1] as string)) return { kind: 'trade-off', reason: LOCK_REREAD };
  }
  if (entry.method === 'GET' && ok && ctx.nth > 1 && ctx.scenario.startsWith('apply')) return repeatedRead(entry, ctx);
  return { kind: 'unexplained', reason: 'not in the minimum model' };
}
