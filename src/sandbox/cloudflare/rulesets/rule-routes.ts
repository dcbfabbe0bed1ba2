import { type CloudflareContext, type CloudflareRouter, limitsOf, zoneOf } from '../context.js';
import { CloudflareError, HEX32, invalidIdentifier, ok } from '../errors.js';
import { cfTime, type RuleRecord, type RulesetRecord } from '../model.js';
import { type Fields, RULESET_INVALID } from './checks.js';
import { MANAGED_RULESETS } from './managed.js';
import { rulesetJson } from './routes.js';
import { buildRules } from './rules.js';

/**
 * The per-rule endpoints of a zone ruleset, as the `cloudflare` SDK's `rulesets.rules.create`,
 * `.edit` and `.delete` call them (cloudflare npm 7.3.0, `src/resources/rulesets/rules.ts`):
 * `POST …/rulesets/{ruleset_id}/rules` adds a rule (at the end, or where `position` says:
 * `{before: rule_id}`, `{after: rule_id}` or `{index: n}`, 1-based), `PATCH …/rules/{rule_id}`
 * changes the fields it sends (and moves the rule with `position`), `DELETE …/rules/{rule_id}`
 * removes it. Each answers the whole ruleset, as a new version. The rule list is checked exactly
 * as a PUT of the entrypoint would check it (`buildRules`): same plan limits, same codes.
 * `?dry_run=true` validates only and answers `result: null`, as the entrypoint PUT does.
 */
export function registerRulesetRules(router: CloudflareRouter): void {
  router.add('POST', '/zones/:zone_id/rulesets/:ruleset_id/rules', (ctx) => {
    const { ruleset, inputs } = editable(ctx);
    const body = ruleBody(ctx);
    const { position, ...rule } = body;
    const at = insertionIndex(inputs, position ?? { index: inputs.length + 1 });
    return write(ctx, ruleset, [...inputs.slice(0, at), rule, ...inputs.slice(at)]);
  });
  router.add('PATCH', '/zones/:zone_id/rulesets/:ruleset_id/rules/:rule_id', (ctx) => {
    const { ruleset, inputs } = editable(ctx);
    const index = ruleIndex(ctx, ruleset);
    const { position, id: _id, ...changes } = ruleBody(ctx);
    const changed = { ...inputs[index], ...changes } as Fields;
    const rest = inputs.filter((_, i) => i !== index);
    const at = position === undefined ? index : insertionIndex(rest, position);
    return write(ctx, ruleset, [...rest.slice(0, at), changed, ...rest.slice(at)]);
  });
  router.add('DELETE', '/zones/:zone_id/rulesets/:ruleset_id/rules/:rule_id', (ctx) => {
    const { ruleset, inputs } = editable(ctx);
    const index = ruleIndex(ctx, ruleset);
    return write(
      ctx,
      ruleset,
      inputs.filter((_, i) => i !== index),
    );
  });
}

/** The zone's own ruleset of `:ruleset_id` and its rules as a client would send them back. */
function editable(ctx: CloudflareContext): { ruleset: RulesetRecord; inputs: Fields[] } {
  const zone = zoneOf(ctx);
  const id = ctx.params['ruleset_id'] as string;
  if (!HEX32.test(id)) throw invalidIdentifier(ctx.path);
  const ruleset = zone.rulesets.find((r) => r.id === id);
  if (ruleset === undefined) {
    const managed = MANAGED_RULESETS.some((r) => r.id === id);
    throw new CloudflareError(managed ? 400 : 404, {
      code: managed ? RULESET_INVALID : 10003,
      message: managed ? `ruleset ${id} is managed by Cloudflare and cannot be changed` : `could not find ruleset ${id}`,
    });
  }
  return { ruleset, inputs: ruleset.rules.map(asInput) };
}

function asInput(rule: RuleRecord): Fields {
  return { id: rule.id, ref: rule.ref, ...structuredClone(rule.fields) };
}

function ruleBody(ctx: CloudflareContext): Fields & { position?: unknown } {
  const body = ctx.body ?? {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new CloudflareError(400, { code: RULESET_INVALID, message: 'the request body must be a rule object' });
  }
  return body as Fields;
}

function ruleIndex(ctx: CloudflareContext, ruleset: RulesetRecord): number {
  const id = ctx.params['rule_id'] as string;
  const index = ruleset.rules.findIndex((r) => r.id === id);
  if (index < 0) {
    throw new CloudflareError(404, { code: 10003, message: `could not find rule ${id} in ruleset ${ruleset.id}` });
  }
  return index;
}

/** Where `position` puts a rule among `rules` (0-based); 400 when it names no rule or no place. */
function insertionIndex(rules: readonly Fields[], position: unknown): number {
  const problem = (message: string) =>
    new CloudflareError(400, { code: RULESET_INVALID, message, source: { pointer: '/position' } });
  if (typeof position !== 'object' || position === null || Object.keys(position).length !== 1) {
    throw problem('position must be exactly one of before, after or index');
  }
  const { before, after, index } = position as { before?: unknown; after?: unknown; index?: unknown };
  if (index !== undefined) {
    if (!Number.isInteger(index) || (index as number) < 1) throw problem('position.index must be a positive integer');
    return Math.min(index as number, rules.length + 1) - 1;
  }
  const anchor = before ?? after;
  const found = rules.findIndex((r) => r['id'] === anchor);
  if (found < 0) throw problem(`position names no rule of the ruleset: ${String(anchor)}`);
  return before !== undefined ? found : found + 1;
}

/** Validates and stores `inputs` as the ruleset's next version; answers the whole ruleset. */
function write(ctx: CloudflareContext, ruleset: RulesetRecord, inputs: Fields[]) {
  const zone = zoneOf(ctx);
  const now = cfTime(ctx.world.clock());
  const version = ruleset.version + 1;
  const rng = { ...ctx.world.state.rng };
  let rules: RuleRecord[];
  try {
    rules = buildRules(
      { phase: ruleset.phase, limits: limitsOf(zone), current: ruleset, version, now, ids: ctx.world.ids },
      inputs,
    );
  } catch (error) {
    Object.assign(ctx.world.state.rng, rng);
    throw error;
  }
  if (ctx.query.get('dry_run') === 'true') {
    Object.assign(ctx.world.state.rng, rng);
    return ok(null);
  }
  const next: RulesetRecord = { ...ruleset, version, lastUpdated: now, rules };
  zone.rulesets = zone.rulesets.map((r) => (r.id === ruleset.id ? next : r));
  return ok(rulesetJson(next, true));
}
