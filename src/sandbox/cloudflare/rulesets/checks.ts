import { RATE_LIMIT_REQUIRED_CHARACTERISTIC, RATE_LIMIT_VALUES } from '../../../facts/cloudflare-plans.js';
import type { ErrorEntry } from '../errors.js';
import type { PlanLimits } from '../plans.js';
import { checkCacheParameters } from './cache-checks.js';
import { FREE_MANAGED_RULESET, managedRuleset } from './managed.js';

/**
 * Checks of one rule's fields for a phase, in the Rulesets API's style: each problem is an error
 * entry pointing at the field (`/rules/2/action`). The exact codes of the real API's ruleset
 * validation errors are not in the reference; the sandbox uses 20021 for all of them.
 */
export const RULESET_INVALID = 20021;

const CHALLENGES = ['managed_challenge', 'js_challenge', 'challenge'];
/** Actions per phase daffeinated writes; other zone phases accept any well-formed action. */
const PHASE_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  http_request_firewall_custom: ['block', ...CHALLENGES, 'skip', 'log'],
  http_ratelimit: ['block', ...CHALLENGES, 'log'],
  http_request_firewall_managed: ['execute', 'skip', 'log'],
  http_request_cache_settings: ['set_cache_settings'],
};
const PERIODS = RATE_LIMIT_VALUES;
const TIMEOUTS = [0, ...RATE_LIMIT_VALUES];
const CONTENT_TYPES = ['application/json', 'text/html', 'text/xml', 'text/plain'];

export type Fields = Record<string, unknown>;

export interface RuleCheck {
  readonly phase: string;
  readonly limits: PlanLimits;
  readonly index: number;
  readonly errors: ErrorEntry[];
}

function problem(check: RuleCheck, field: string, message: string): void {
  check.errors.push({ code: RULESET_INVALID, message, source: { pointer: `/rules/${check.index}${field}` } });
}

const isObject = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInteger = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/** Whether the action is usable in the phase (its parameters are only checked then). */
export function checkAction(check: RuleCheck, action: unknown): boolean {
  if (typeof action !== 'string' || !/^[a-z_]+$/.test(action)) {
    problem(check, '/action', 'an action is required (for example "block")');
    return false;
  }
  const allowed = PHASE_ACTIONS[check.phase];
  if (allowed !== undefined && !allowed.includes(action)) {
    problem(
      check,
      '/action',
      `'${action}' is not a valid value for action because it is not possible to use the ${action} action in the ${check.phase} phase`,
    );
    return false;
  }
  if (action === 'log' && !check.limits.logAction) {
    problem(check, '/action', "not entitled: the use of the 'log' action requires an Enterprise plan");
  }
  return true;
}

/** Non-empty, balanced parentheses and quotes; `matches` (regular expressions) only where the plan allows. */
export function checkExpression(check: RuleCheck, expression: unknown): void {
  if (typeof expression !== 'string' || expression.trim() === '') {
    problem(check, '/expression', 'an expression is required');
    return;
  }
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < expression.length; i++) {
    const c = expression[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '(') depth++;
    else if (c === ')' && --depth < 0) break;
  }
  if (quoted || depth !== 0) {
    problem(
      check,
      '/expression',
      `filter parsing error: unbalanced ${quoted ? 'quotes' : 'parentheses'} in "${expression}"`,
    );
  } else if (
    /\smatches\s|\s~\s/.test(expression) &&
    !check.limits.regex &&
    check.phase !== 'http_request_firewall_managed'
  ) {
    problem(check, '/expression', "not entitled: the use of operator 'matches' requires a Business or Enterprise plan");
  }
}

export function checkParameters(check: RuleCheck, action: unknown, params: unknown, managedSeen: Set<string>): void {
  if (params !== undefined && !isObject(params)) {
    problem(check, '/action_parameters', 'action_parameters must be an object');
    return;
  }
  if (action === 'execute') {
    const id = params?.['id'];
    const managed = typeof id === 'string' ? managedRuleset(id) : undefined;
    if (managed === undefined || managed.phase !== check.phase) {
      problem(
        check,
        '/action_parameters/id',
        `'${String(id)}' does not reference a managed ruleset of the ${check.phase} phase`,
      );
    } else if (managed.id !== FREE_MANAGED_RULESET && !check.limits.managedRulesets) {
      problem(check, '/action_parameters/id', `not entitled: the ${managed.name} requires a Pro plan or higher`);
    } else if (managedSeen.has(managed.id)) {
      problem(check, '/action_parameters/id', `the managed ruleset ${managed.id} is already executed in this phase`);
    } else managedSeen.add(managed.id);
  } else if (action === 'skip') {
    const keys = ['ruleset', 'phases', 'products', 'rules', 'rulesets'];
    if (params === undefined || !keys.some((k) => params[k] !== undefined)) {
      problem(check, '/action_parameters', `a skip rule needs one of ${keys.join(', ')}`);
    } else if (params['ruleset'] !== undefined && params['ruleset'] !== 'current') {
      problem(check, '/action_parameters/ruleset', "ruleset must be 'current'");
    }
  } else if (action === 'set_cache_settings') {
    checkCacheParameters(check.limits, params, (field, message) =>
      problem(check, `/action_parameters${field}`, message),
    );
  } else if (action === 'block' && params?.['response'] !== undefined) {
    const response = params['response'];
    const status = isObject(response) ? response['status_code'] : undefined;
    if (!isObject(response) || !isInteger(status) || status < 400 || status > 499) {
      problem(check, '/action_parameters/response/status_code', 'status_code must be an integer from 400 to 499');
    } else if (typeof response['content'] !== 'string' || response['content'].length > 30_720) {
      problem(check, '/action_parameters/response/content', 'content must be text of at most 30 KB');
    } else if (!CONTENT_TYPES.includes(String(response['content_type']))) {
      problem(
        check,
        '/action_parameters/response/content_type',
        `content_type must be one of ${CONTENT_TYPES.join(', ')}`,
      );
    }
  }
}

/**
 * The `ratelimit` object: required in `http_ratelimit`, refused elsewhere. Characteristics must
 * include `cf.colo.id` plus what the plan counts by; `period` and `mitigation_timeout` come from
 * fixed lists, capped by the plan; below Enterprise a challenge action needs a timeout of 0 and a
 * block action a timeout above 0 (throttling with block is Enterprise's).
 */
export function checkRatelimit(check: RuleCheck, action: unknown, ratelimit: unknown): void {
  if (check.phase !== 'http_ratelimit') {
    if (ratelimit !== undefined) problem(check, '/ratelimit', `ratelimit is only allowed in the http_ratelimit phase`);
    return;
  }
  if (!isObject(ratelimit)) {
    problem(check, '/ratelimit', 'a rate limiting rule needs a ratelimit object');
    return;
  }
  const { limits } = check;
  const characteristics = ratelimit['characteristics'];
  if (!Array.isArray(characteristics) || !characteristics.includes(RATE_LIMIT_REQUIRED_CHARACTERISTIC)) {
    problem(check, '/ratelimit/characteristics', "characteristics must include 'cf.colo.id'");
  } else {
    const extra = characteristics.filter((c) => c !== RATE_LIMIT_REQUIRED_CHARACTERISTIC);
    const allowed = limits.rateLimitCharacteristics;
    if (extra.length === 0)
      problem(check, '/ratelimit/characteristics', 'characteristics need a counting characteristic besides cf.colo.id');
    const refused = extra.filter((c) => !allowed.includes(String(c)));
    if (refused.length > 0)
      problem(
        check,
        '/ratelimit/characteristics',
        `not entitled: counting by ${refused.join(', ')} requires a higher plan`,
      );
  }
  const period = ratelimit['period'];
  if (!isInteger(period) || !PERIODS.includes(period)) {
    problem(check, '/ratelimit/period', `period must be one of ${PERIODS.join(', ')}`);
  } else if (period > limits.rateLimitPeriod) {
    problem(
      check,
      '/ratelimit/period',
      `not entitled: the use of value ${period} for period requires a higher plan (at most ${limits.rateLimitPeriod})`,
    );
  }
  const requests = ratelimit['requests_per_period'];
  if (ratelimit['score_per_period'] === undefined && (!isInteger(requests) || requests < 1)) {
    problem(check, '/ratelimit/requests_per_period', 'requests_per_period must be an integer of at least 1');
  }
  const timeout = ratelimit['mitigation_timeout'] ?? 0;
  if (!isInteger(timeout) || !TIMEOUTS.includes(timeout)) {
    problem(check, '/ratelimit/mitigation_timeout', `mitigation_timeout must be one of ${TIMEOUTS.join(', ')}`);
  } else if (timeout > limits.rateLimitTimeout) {
    problem(
      check,
      '/ratelimit/mitigation_timeout',
      `not entitled: the use of value ${timeout} for mitigation_timeout requires a higher plan (at most ${limits.rateLimitTimeout})`,
    );
  } else if (timeout !== 0 && CHALLENGES.includes(String(action)) && !limits.challengeTimeout) {
    problem(check, '/ratelimit/mitigation_timeout', 'mitigation_timeout must be 0 when the action is a challenge');
  } else if (timeout === 0 && action === 'block' && !limits.blockThrottle) {
    problem(
      check,
      '/ratelimit/mitigation_timeout',
      'not entitled: throttling with the block action (mitigation_timeout 0) requires an Enterprise plan',
    );
  }
  const counting = ratelimit['counting_expression'];
  if (counting !== undefined && typeof counting !== 'string') {
    problem(check, '/ratelimit/counting_expression', 'counting_expression must be a string');
  }
  const toOrigin = ratelimit['requests_to_origin'];
  if (toOrigin !== undefined && typeof toOrigin !== 'boolean') {
    problem(check, '/ratelimit/requests_to_origin', 'requests_to_origin must be a boolean');
  }
}

/** Reports a problem on the rule itself (unknown fields, identity). */
export function ruleProblem(check: RuleCheck, field: string, message: string): void {
  problem(check, field, message);
}
