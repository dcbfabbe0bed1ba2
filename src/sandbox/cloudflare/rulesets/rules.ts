import type { Ids } from '../../ids.js';
import { CloudflareError, type ErrorEntry, HEX32 } from '../errors.js';
import type { RuleRecord, RulesetRecord } from '../model.js';
import type { PlanLimits } from '../plans.js';
import {
  checkAction,
  checkExpression,
  checkParameters,
  checkRatelimit,
  type Fields,
  RULESET_INVALID,
  type RuleCheck,
  ruleProblem,
} from './checks.js';

const WRITABLE = [
  'action',
  'expression',
  'description',
  'enabled',
  'action_parameters',
  'logging',
  'ratelimit',
  'exposed_credential_check',
];
/** Read-only fields a client may send back from a GET; ignored. */
const READ_ONLY = ['version', 'last_updated', 'categories'];

export interface RulesWrite {
  readonly phase: string;
  readonly limits: PlanLimits;
  /** The entrypoint as it is before this write, if it exists. */
  readonly current: RulesetRecord | undefined;
  /** The ruleset version this write creates. */
  readonly version: number;
  readonly now: string;
  readonly ids: Ids;
}

/**
 * The rule list of a PUT, validated as a whole (every problem reported, each pointing at its
 * rule) and turned into stored rules. A rule keeps its id — and its version, if nothing in it
 * changed — when it names an existing rule by `id`, or else by `ref`; other rules get a new id,
 * and `ref` defaults to the id. Ids and refs must be unique; a phase holds at most the plan's
 * number of rules (custom, rate limiting and cache rules).
 */
export function buildRules(write: RulesWrite, raw: unknown): RuleRecord[] {
  if (!Array.isArray(raw))
    throw invalid([{ code: RULESET_INVALID, message: 'rules must be an array', source: { pointer: '/rules' } }]);
  const errors: ErrorEntry[] = [];
  const caps: Readonly<Record<string, number>> = {
    http_request_firewall_custom: write.limits.customRules,
    http_ratelimit: write.limits.rateLimitRules,
    http_request_cache_settings: write.limits.cacheRules,
  };
  const cap = caps[write.phase];
  if (cap !== undefined && raw.length > cap) {
    errors.push({
      code: RULESET_INVALID,
      message: `not entitled: exceeded maximum number of rules in the ${write.phase} phase (${raw.length} > ${cap} on this plan)`,
      source: { pointer: '/rules' },
    });
  }
  const existing = write.current?.rules ?? [];
  const managedSeen = new Set<string>();
  const ids = new Set<string>();
  const refs = new Set<string>();
  const rules: RuleRecord[] = [];
  for (const [index, item] of raw.entries()) {
    const check: RuleCheck = { phase: write.phase, limits: write.limits, index, errors };
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      ruleProblem(check, '', 'a rule must be an object');
      continue;
    }
    const rule = item as Fields;
    for (const key of Object.keys(rule)) {
      if (key !== 'id' && key !== 'ref' && !WRITABLE.includes(key) && !READ_ONLY.includes(key)) {
        ruleProblem(check, `/${key}`, `unknown field ${key}`);
      }
    }
    const usable = checkAction(check, rule['action']);
    checkExpression(check, rule['expression']);
    if (usable) checkParameters(check, rule['action'], rule['action_parameters'], managedSeen);
    checkRatelimit(check, rule['action'], rule['ratelimit']);
    for (const [field, ok] of [
      ['description', rule['description'] === undefined || typeof rule['description'] === 'string'],
      ['enabled', rule['enabled'] === undefined || typeof rule['enabled'] === 'boolean'],
      [
        'logging',
        rule['logging'] === undefined || typeof (rule['logging'] as Fields | null)?.['enabled'] === 'boolean',
      ],
    ] as const) {
      if (!ok) ruleProblem(check, `/${field}`, `invalid ${field}`);
    }

    let previous: RuleRecord | undefined;
    const id = rule['id'];
    if (id !== undefined) {
      previous = typeof id === 'string' && HEX32.test(id) ? existing.find((r) => r.id === id) : undefined;
      if (previous === undefined) ruleProblem(check, '/id', `could not find rule with id ${String(id)} in the ruleset`);
    }
    const ref = rule['ref'];
    if (ref !== undefined && (typeof ref !== 'string' || ref === '' || ref.length > 512)) {
      ruleProblem(check, '/ref', 'ref must be a non-empty string');
    }
    if (id === undefined && typeof ref === 'string') previous = existing.find((r) => r.ref === ref);

    const fields = storedFields(rule);
    const ruleId = previous?.id ?? write.ids.hex(32);
    const finalRef = typeof ref === 'string' && ref !== '' ? ref : (previous?.ref ?? ruleId);
    if (ids.has(ruleId)) ruleProblem(check, '/id', `rule id ${ruleId} appears more than once`);
    if (refs.has(finalRef)) ruleProblem(check, '/ref', `rule ref ${finalRef} appears more than once`);
    ids.add(ruleId);
    refs.add(finalRef);
    const unchanged =
      previous !== undefined && previous.ref === finalRef && canonical(previous.fields) === canonical(fields);
    rules.push({
      id: ruleId,
      ref: finalRef,
      version: unchanged ? (previous as RuleRecord).version : write.version,
      lastUpdated: unchanged ? (previous as RuleRecord).lastUpdated : write.now,
      fields,
    });
  }
  if (errors.length > 0) throw invalid(errors);
  return rules;
}

/** The writable fields as they will be answered, with the defaults the API fills in. */
function storedFields(rule: Fields): Fields {
  const fields: Fields = {};
  for (const key of WRITABLE) if (rule[key] !== undefined) fields[key] = structuredClone(rule[key]);
  fields['description'] ??= '';
  fields['enabled'] ??= true;
  const params = fields['action_parameters'] as Fields | undefined;
  if (fields['action'] === 'execute' && params !== undefined) params['version'] ??= 'latest';
  const ratelimit = fields['ratelimit'] as Fields | undefined;
  if (ratelimit !== undefined) ratelimit['requests_to_origin'] ??= false;
  return fields;
}

/** JSON with object keys sorted: a rule sent back with its fields in another order is the same rule. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

function invalid(errors: ErrorEntry[]): CloudflareError {
  return new CloudflareError(400, errors);
}

export function ruleJson(rule: RuleRecord): Record<string, unknown> {
  return {
    id: rule.id,
    version: String(rule.version),
    ...structuredClone(rule.fields),
    last_updated: rule.lastUpdated,
    ref: rule.ref,
  };
}
