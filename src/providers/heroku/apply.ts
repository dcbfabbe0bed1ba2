import type { Change } from '../../engine/types.js';
import { CERTIFICATE_STEP } from '../../model/certificate.js';
import type { Address } from '../../model/resource.js';
import type { Value } from '../../model/value.js';
import { assertNever, DaffError, InternalError, ProviderError, redacted } from '../../runtime/errors.js';
import type { ApplyContext, ApplyResult } from '../provider.js';
import { applyAddon } from './apply-addons.js';
import { applyApp, applyConfig, applyFormation } from './apply-app.js';
import { applyCoupling, applyPipeline } from './apply-pipeline.js';
import { applyBuildpacks, applyDomain, applyDrain, applyFeature } from './apply-resources.js';
import { type AppNames, DEFAULT_POLL, type PollOptions, type StepContext, sensitiveValues } from './apply-support.js';
import { applyBackupSchedule } from './backup-schedules.js';
import { awaitCertificate } from './certificate.js';
import type { HerokuClient } from './client.js';

export type { AppNames } from './apply-support.js';

export interface HerokuApplyOptions {
  readonly poll?: PollOptions;
  /** Add-on ids per environment seen by the last read. */
  readonly seenAddons?: ReadonlyMap<string, ReadonlySet<string>>;
  /** The live add-ons the last read tied to app.yaml (backup-schedules.ts). */
  readonly liveAddons?: StepContext['liveAddons'];
  /** The Heroku Postgres API, for backup schedules. */
  readonly postgres?: HerokuClient;
}

/** One change, or every formation change of an environment (one batch PATCH). */
interface Unit {
  readonly addresses: Address[];
  readonly run: () => Promise<void>;
  /** The unit's secret values, redacted from its errors. */
  readonly secrets: string[];
}

/**
 * Applies Heroku changes in the order given, which is the engine's (`Provider.apply`): one after
 * another, an environment's formation changes together in one batch PATCH at the place of the
 * first of them. The engine hands over one change, or one environment's formation batch
 * (`herokuOrdering`), at a time; in a domain's later `certificate` step, the wait for its ACM
 * certificate (certificate.ts). After a failure the rest are reported not attempted.
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
    earlierOutputs: context.outputs,
    seenAddons: options.seenAddons ?? new Map(),
    liveAddons: options.liveAddons ?? new Map(),
    postgres: options.postgres,
  };
  const units = unitsOf(ctx, changes, context.step);
  const applied: Address[] = [];
  for (const [index, unit] of units.entries()) {
    for (const address of unit.addresses) ctx.reporter.progress(address, context.step === undefined ? 'applying' : `applying (${context.step})`);
    try {
      await unit.run();
    } catch (error) {
      return {
        applied,
        failed: unit.addresses.map((address) => ({ address, error: attributed(error, address, unit.secrets) })),
        notAttempted: units.slice(index + 1).flatMap((later) => later.addresses),
        outputs: ctx.outputs,
      };
    }
    applied.push(...unit.addresses);
  }
  return { applied, failed: [], notAttempted: [], outputs: ctx.outputs };
}

function unitsOf(ctx: StepContext, changes: readonly Change[], step: string | undefined): Unit[] {
  if (step === CERTIFICATE_STEP) return changes.map((change) => ({ addresses: [change.address], run: () => awaitCertificate(ctx, change), secrets: [] }));
  if (step !== undefined) throw new InternalError(`the Heroku provider has no step ${step}`);
  const units: Unit[] = [];
  const formations = new Map<string, { changes: Change[]; unit: Unit }>();
  for (const change of changes) {
    if (change.kind !== 'heroku.formation') {
      units.push({ addresses: [change.address], run: () => runChange(ctx, change), secrets: sensitiveValues(change) });
      continue;
    }
    const batch = formations.get(change.scope);
    if (batch !== undefined) {
      batch.changes.push(change);
      batch.unit.addresses.push(change.address);
      continue;
    }
    const list = [change];
    const unit: Unit = { addresses: [change.address], run: () => applyFormation(ctx, list), secrets: [] };
    formations.set(change.scope, { changes: list, unit });
    units.push(unit);
  }
  return units;
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
    case 'heroku.backup-schedule':
      return applyBackupSchedule(ctx, change);
    case 'cloudflare.dns':
    case 'cloudflare.settings':
    case 'cloudflare.ruleset':
      throw new InternalError(`the Heroku provider cannot apply ${change.address}`);
    default:
      return assertNever(change.kind, 'resource kind');
  }
}

function attributed(error: unknown, address: Address, secrets: readonly string[]): DaffError {
  const daff = redacted(error instanceof DaffError ? error : new InternalError(String(error), error), secrets);
  return daff instanceof ProviderError && daff.address === undefined ? daff.at(address) : daff;
}
