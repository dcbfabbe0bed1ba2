import type { Change } from '../../engine/types.js';
import type { Address, ResourceKind } from '../../model/resource.js';
import type { Value } from '../../model/value.js';
import { assertNever, DaffError, InternalError, ProviderError, redacted } from '../../runtime/errors.js';
import type { ApplyContext, ApplyResult } from '../provider.js';
import { applyAddon } from './apply-addons.js';
import { applyApp, applyConfig, applyFormation } from './apply-app.js';
import { applyCoupling, applyPipeline } from './apply-pipeline.js';
import { applyBuildpacks, applyDomain, applyDrain, applyFeature } from './apply-resources.js';
import { type AppNames, DEFAULT_POLL, type PollOptions, type StepContext, sensitiveValues } from './apply-support.js';
import type { HerokuClient } from './client.js';

export type { AppNames } from './apply-support.js';

export interface HerokuApplyOptions {
  readonly poll?: PollOptions;
  /** Add-on ids per environment seen by the last read. */
  readonly seenAddons?: ReadonlyMap<string, ReadonlySet<string>>;
}

interface Step {
  readonly addresses: Address[];
  readonly run: () => Promise<void>;
  /** The steps' secret values, redacted from its errors. */
  readonly secrets: string[];
}

interface EnvironmentResult {
  applied: Address[];
  failed: { address: Address; error: DaffError }[];
  notAttempted: Address[];
}

/**
 * Applies Heroku changes. Environments run concurrently. Within one, changes run in phases — app
 * and pipeline; then features, buildpacks, config vars (one PATCH), add-ons (each waited for),
 * domains and drains, concurrently; then the formation (one batch PATCH); then the coupling —
 * and deletes after that in the reverse order. The apply scheduler hands over a change as soon as
 * its dependencies are applied, so a call usually holds one change or one `herokuBatchKey` group;
 * the dependencies give the forward order across calls, and the phases keep it when one call holds
 * several (all of an environment's deletes). A failure stops its environment after the phase it
 * happened in: the rest there is reported as not attempted.
 */
export async function applyHeroku(
  client: HerokuClient,
  apps: AppNames,
  changes: readonly Change[],
  context: ApplyContext,
  options: HerokuApplyOptions = {},
): Promise<ApplyResult> {
  const ctx: StepContext = {
    client,
    apps,
    reporter: context.reporter,
    poll: options.poll ?? DEFAULT_POLL,
    outputs: new Map<Address, Record<string, Value>>(),
    seenAddons: options.seenAddons ?? new Map(),
  };
  const byEnvironment = new Map<string, Change[]>();
  for (const change of changes) byEnvironment.set(change.scope, [...(byEnvironment.get(change.scope) ?? []), change]);
  const results = await Promise.all([...byEnvironment.values()].map((list) => applyEnvironment(ctx, list)));
  return {
    applied: results.flatMap((r) => r.applied),
    failed: results.flatMap((r) => r.failed),
    notAttempted: results.flatMap((r) => r.notAttempted),
    outputs: ctx.outputs,
  };
}

/**
 * What applyHeroku must get in one call (`Provider.batchKey`): an environment's formation changes,
 * for one batch PATCH; and all of an environment's deletes, because live resources depend only on
 * their app while their deletes need more order, which the phases give within the call: formation
 * scaled down, then the coupling, then the app's other parts, then the app.
 */
export function herokuBatchKey(change: Change): string | undefined {
  if (change.action === 'delete') return `${change.scope} deletes`;
  return change.kind === 'heroku.formation' ? `${change.scope} formation` : undefined;
}

/**
 * Forward phase of each kind; deletes run after every forward phase, in reverse — except the
 * formation's (a pruned process type scaled to 0), which joins the formation's one batch PATCH.
 */
function phaseOf(kind: ResourceKind, action: Change['action']): number {
  const forward = forwardPhase(kind);
  return action === 'delete' && kind !== 'heroku.formation' ? 4 + (3 - forward) : forward;
}

function forwardPhase(kind: ResourceKind): number {
  switch (kind) {
    case 'heroku.app':
    case 'heroku.pipeline':
      return 0;
    case 'heroku.feature':
    case 'heroku.buildpacks':
    case 'heroku.config':
    case 'heroku.addon':
    case 'heroku.domain':
    case 'heroku.drain':
      return 1;
    case 'heroku.formation':
      return 2;
    case 'heroku.coupling':
      return 3;
    case 'cloudflare.dns':
    case 'cloudflare.settings':
    case 'cloudflare.ruleset':
      throw new InternalError(`the Heroku provider was given a ${kind} change`);
    default:
      return assertNever(kind, 'resource kind');
  }
}

/** The steps of one phase: the formation changes of an app form one step (one batch PATCH). */
function stepsOf(ctx: StepContext, changes: readonly Change[]): Step[] {
  const steps: Step[] = [];
  const formation = changes.filter((c) => c.kind === 'heroku.formation');
  if (formation.length > 0)
    steps.push({ addresses: formation.map((c) => c.address), run: () => applyFormation(ctx, formation), secrets: [] });
  for (const change of changes) {
    if (change.kind !== 'heroku.formation')
      steps.push({ addresses: [change.address], run: () => runChange(ctx, change), secrets: sensitiveValues(change) });
  }
  return steps;
}

function runChange(ctx: StepContext, change: Change): Promise<void> {
  switch (change.kind) {
    case 'heroku.app':
      return applyApp(ctx, change);
    case 'heroku.config':
      return applyConfig(ctx, change);
    case 'heroku.addon':
      return applyAddon(ctx, change);
    case 'heroku.buildpacks':
      return applyBuildpacks(ctx, change);
    case 'heroku.feature':
      return applyFeature(ctx, change);
    case 'heroku.domain':
      return applyDomain(ctx, change);
    case 'heroku.drain':
      return applyDrain(ctx, change);
    case 'heroku.pipeline':
      return applyPipeline(ctx, change);
    case 'heroku.coupling':
      return applyCoupling(ctx, change);
    case 'heroku.formation':
      return applyFormation(ctx, [change]);
    case 'cloudflare.dns':
    case 'cloudflare.settings':
    case 'cloudflare.ruleset':
      throw new InternalError(`the Heroku provider cannot apply ${change.address}`);
    default:
      return assertNever(change.kind, 'resource kind');
  }
}

async function applyEnvironment(ctx: StepContext, changes: readonly Change[]): Promise<EnvironmentResult> {
  const phases = new Map<number, Change[]>();
  for (const change of changes) {
    const phase = phaseOf(change.kind, change.action);
    phases.set(phase, [...(phases.get(phase) ?? []), change]);
  }
  const ordered = [...phases.entries()].sort(([a], [b]) => a - b).map(([, list]) => stepsOf(ctx, list));
  const result: EnvironmentResult = { applied: [], failed: [], notAttempted: [] };
  for (const [index, steps] of ordered.entries()) {
    const outcomes = await Promise.allSettled(
      steps.map(async (step) => {
        for (const address of step.addresses) ctx.reporter.progress(address, 'applying');
        await step.run();
      }),
    );
    for (const [i, outcome] of outcomes.entries()) {
      const step = steps[i] as Step;
      if (outcome.status === 'fulfilled') result.applied.push(...step.addresses);
      else
        for (const address of step.addresses)
          result.failed.push({ address, error: attributed(outcome.reason, address, step.secrets) });
    }
    if (result.failed.length > 0) {
      result.notAttempted.push(...ordered.slice(index + 1).flatMap((later) => later.flatMap((s) => s.addresses)));
      break;
    }
  }
  return result;
}

function attributed(error: unknown, address: Address, secrets: readonly string[]): DaffError {
  const daff = redacted(error instanceof DaffError ? error : new InternalError(String(error), error), secrets);
  return daff instanceof ProviderError && daff.address === undefined ? daff.at(address) : daff;
}
