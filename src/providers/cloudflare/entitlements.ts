import {
  CLOUDFLARE_PLANS,
  type CloudflarePlanLimits,
  type CloudflarePlanName,
  cloudflarePlanName,
  RATE_LIMIT_REQUIRED_CHARACTERISTIC,
  RATE_LIMIT_VALUES,
  dnsRecordLimit,
} from '../../facts/cloudflare-plans.js';
import { type RulesetPhase, ruleSourceKey } from './desired.js';
import { CACHE_PHASE } from './desired-cache.js';
import { cacheRuleProblems, cacheSettingProblem } from './entitlements-cache.js';
import { parseAddress, type Resource, type SourceLocation } from '../../model/resource.js';
import type { Value } from '../../model/value.js';
import type { Diagnostic } from '../../runtime/diagnostics.js';

/**
 * What the zone's plan does not allow, found before any write: one error per declared rule or
 * record that would be refused, at its app.yaml line, so a Free zone given the reference WAF gets
 * every refusal at plan time instead of a partial apply. The limits are the table the sandbox
 * enforces too (facts/cloudflare-plans.ts). A zone whose plan is missing or unknown is not checked:
 * the API still refuses what its plan does not allow.
 */
export interface ZoneEntitlements {
  /** The zone's `plan.legacy_id`, from the zone lookup. */
  readonly plan: string | undefined;
  /** The zone's desired DNS records and rulesets. */
  readonly desired: readonly Resource[];
  /** Rules of each phase daffeinated does not own (kept on write, so they count). */
  readonly foreignRules: ReadonlyMap<string, number>;
  /** The zone's `created_on`: a Free zone's record limit depends on it. */
  readonly createdOn?: string | undefined;
  /**
   * The zone's live DNS records: how many (every one, ours and not), how many daffeinated did not
   * make, and the addresses of the declared records already live (the others are created).
   */
  readonly records?: { readonly live: number; readonly foreign: number; readonly matched: ReadonlySet<string> };
}

const CHALLENGES = ['challenge', 'managed_challenge', 'js_challenge'];
const TITLE: Readonly<Record<CloudflarePlanName, string>> = {
  free: 'Free',
  pro: 'Pro',
  business: 'Business',
  enterprise: 'Enterprise',
};

type Rule = { readonly [key: string]: unknown };

export function entitlementProblems(zone: string, input: ZoneEntitlements): Diagnostic[] {
  const name = cloudflarePlanName(input.plan);
  if (name === undefined) return [];
  const plan = { name, title: TITLE[name], limits: CLOUDFLARE_PLANS[name] };
  const out: Diagnostic[] = [];
  for (const resource of input.desired) {
    if (resource.kind === 'cloudflare.dns') out.push(...recordProblems(zone, plan, resource));
    if (resource.kind === 'cloudflare.ruleset') out.push(...rulesetProblems(zone, plan, resource, input.foreignRules));
    if (resource.kind === 'cloudflare.settings') out.push(...settingsProblems(zone, plan, resource));
  }
  if (input.records !== undefined) out.push(...recordCountProblems(zone, plan, input, input.records));
  return out;
}

/**
 * The zone's record limit (facts `dnsRecordLimit`): what is live stays (records daffeinated does
 * not manage are never removed; its own undeclared ones are not counted off either, the stricter
 * reading), and every declared record not live yet is created. Over the limit, the first create
 * that does not fit is refused at its line; a plan that creates nothing is never refused.
 */
function recordCountProblems(
  zone: string,
  plan: Plan,
  input: ZoneEntitlements,
  records: NonNullable<ZoneEntitlements['records']>,
): Diagnostic[] {
  const creates = input.desired.filter((r) => r.kind === 'cloudflare.dns' && !records.matched.has(r.address));
  const limit = dnsRecordLimit(plan.name, input.createdOn);
  const total = records.live + creates.length;
  if (creates.length === 0 || total <= limit) return [];
  const first = creates[Math.max(0, limit - records.live)] as Resource;
  const room = Math.max(0, limit - records.live);
  return [
    error(
      `${first.address}: ${zone} would hold ${total} DNS records (${records.live} already there, ${records.foreign} of them not managed by daffeinated, and ${creates.length} to create); the ${plan.title} plan allows ${limit}`,
      first.source,
      `room is left for ${room} more: remove records from app.yaml or from the zone, or upgrade the zone's plan`,
    ),
  ];
}

interface Plan {
  readonly name: CloudflarePlanName;
  readonly title: string;
  readonly limits: CloudflarePlanLimits;
}

function error(message: string, where: SourceLocation | undefined, hint: string): Diagnostic {
  return { severity: 'error', message, ...(where ?? {}), hint };
}

/** Declared zone settings the plan limits (facts/cloudflare-plans.ts), each at its app.yaml line. */
function settingsProblems(zone: string, plan: Plan, settings: Resource): Diagnostic[] {
  return Object.entries(settings.attributes).flatMap(([name, value]) => {
    const problem = cacheSettingProblem(plan.limits, name, value);
    if (problem === undefined) return [];
    const where = settings.attributeSources?.[name] ?? settings.source;
    return [error(`${settings.address}: ${problem}, and ${zone} is on the ${plan.title} plan`, where, `change it in app.yaml, or upgrade the zone's plan`)];
  });
}

/** The comment as sent, ownership marker included, must fit the plan's length. */
function recordProblems(zone: string, plan: Plan, record: Resource): Diagnostic[] {
  const comment = record.attributes['comment'];
  if (typeof comment !== 'string' || comment.length <= plan.limits.dnsCommentLength) return [];
  return [
    error(
      `${record.address}: the record's comment is ${comment.length} characters with daffeinated's ownership marker; the ${plan.title} plan of ${zone} allows ${plan.limits.dnsCommentLength}`,
      record.source,
      `shorten the comment in app.yaml to at most ${Math.max(0, plan.limits.dnsCommentLength - (comment.length - commentWithoutMarker(comment).length))} characters`,
    ),
  ];
}

function commentWithoutMarker(comment: string): string {
  const cut = comment.lastIndexOf(' | managed by daffeinated (');
  return cut < 0 ? '' : comment.slice(0, cut);
}

function rulesetProblems(
  zone: string,
  plan: Plan,
  ruleset: Resource,
  foreign: ReadonlyMap<string, number>,
): Diagnostic[] {
  const phase = parseAddress(ruleset.address)?.parts[1] as RulesetPhase | undefined;
  const rules = (Array.isArray(ruleset.attributes['rules']) ? ruleset.attributes['rules'] : []) as Rule[];
  const where = (rule: Rule) => ruleset.attributeSources?.[ruleSourceKey(String(rule['ref']))] ?? ruleset.source;
  const out: Diagnostic[] = [];
  for (const rule of rules) {
    const problems = ruleProblems(plan, phase, rule);
    if (problems.length === 0) continue;
    const ref = String(rule['ref']);
    out.push(
      error(
        `${ruleset.address}: rule ${ref} is not allowed on the ${plan.title} plan of ${zone}: ${problems.join('; ')}`,
        where(rule),
        `change or remove the rule in app.yaml, or upgrade the zone's plan; see developers.cloudflare.com/${phase === CACHE_PHASE ? 'cache' : 'waf'} for what each plan allows`,
      ),
    );
  }
  const caps: Partial<Record<RulesetPhase, number>> = {
    http_request_firewall_custom: plan.limits.customRules,
    http_ratelimit: plan.limits.rateLimitRules,
    [CACHE_PHASE]: plan.limits.cacheRules,
  };
  const cap = phase === undefined ? undefined : caps[phase];
  const kept = foreign.get(phase ?? '') ?? 0;
  if (cap !== undefined && rules.length + kept > cap) {
    const others = kept === 0 ? '' : ` besides the ${kept} rule${kept === 1 ? '' : 's'} daffeinated does not manage`;
    out.push(
      error(
        `${ruleset.address}: ${rules.length} rule${rules.length === 1 ? '' : 's'} declared${others}; the ${plan.title} plan of ${zone} allows ${cap} in ${phase}`,
        ruleset.source,
        `declare at most ${Math.max(0, cap - kept)} there, or upgrade the zone's plan`,
      ),
    );
  }
  return out;
}

/** Why the plan refuses one rule; empty when it does not. */
function ruleProblems(plan: Plan, phase: RulesetPhase | undefined, rule: Rule): string[] {
  const { limits } = plan;
  const problems: string[] = [];
  const action = String(rule['action']);
  if (action === 'log' && !limits.logAction) problems.push("the 'log' action needs an Enterprise plan");
  if (typeof rule['expression'] === 'string' && /\bmatches\b/.test(rule['expression']) && !limits.regex) {
    problems.push("regular expressions ('matches') need a Business or Enterprise plan");
  }
  if (phase === 'http_request_firewall_managed' && action === 'execute' && !limits.managedRulesets) {
    problems.push('Cloudflare Managed and OWASP rulesets need a Pro plan or higher');
  }
  if (phase === CACHE_PHASE) problems.push(...cacheRuleProblems(limits, rule['action_parameters'] as Value | undefined));
  const ratelimit = rule['ratelimit'];
  if (phase === 'http_ratelimit' && typeof ratelimit === 'object' && ratelimit !== null) {
    problems.push(...rateLimitProblems(limits, action, ratelimit as Rule));
  }
  return problems;
}

function rateLimitProblems(limits: CloudflarePlanLimits, action: string, ratelimit: Rule): string[] {
  const problems: string[] = [];
  const period = Number(ratelimit['period']);
  if (!RATE_LIMIT_VALUES.includes(period))
    problems.push(`period ${period} s is not a value Cloudflare accepts (${RATE_LIMIT_VALUES.join(', ')})`);
  else if (period > limits.rateLimitPeriod)
    problems.push(`period ${period} s is over the plan's ${limits.rateLimitPeriod} s`);
  const timeout = Number(ratelimit['mitigation_timeout'] ?? 0);
  if (timeout !== 0 && !RATE_LIMIT_VALUES.includes(timeout))
    problems.push(`timeout ${timeout} s is not a value Cloudflare accepts (0, ${RATE_LIMIT_VALUES.join(', ')})`);
  else if (timeout > limits.rateLimitTimeout)
    problems.push(`timeout ${timeout} s is over the plan's ${limits.rateLimitTimeout} s`);
  if (CHALLENGES.includes(action) && timeout !== 0 && !limits.challengeTimeout) {
    problems.push(`a ${action} action needs timeout 0 below Enterprise`);
  }
  if (action === 'block' && timeout === 0 && !limits.blockThrottle) {
    problems.push('a block action with timeout 0 throttles, which needs an Enterprise plan (give a timeout of at least 10 s)');
  }
  const characteristics = Array.isArray(ratelimit['characteristics'])
    ? (ratelimit['characteristics'] as unknown[]).map(String)
    : [];
  const refused = characteristics.filter(
    (c) => c !== RATE_LIMIT_REQUIRED_CHARACTERISTIC && !limits.rateLimitCharacteristics.includes(c),
  );
  if (refused.length > 0)
    problems.push(
      `counting by ${refused.join(', ')} is not available (only ${limits.rateLimitCharacteristics.join(', ')})`,
    );
  return problems;
}
