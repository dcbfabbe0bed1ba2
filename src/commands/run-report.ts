import type { Plan } from '../engine/types.js';
import type { BuildStatus, ReleaseStatus, ZonePurged } from '../providers/provider.js';
import type { JsonValue } from '../render/format-value.js';
import { diagnosticJson, planJson } from '../render/json.js';
import { toPlanView } from '../render/view-model.js';
import { assertNever, ConfigError, DaffError, describeError, ExitCode, ProviderError } from '../runtime/errors.js';
import type { Converged } from '../workflows/converge.js';
import type { HealthVerdict, RecentLogs } from '../workflows/health.js';
import type { PurgeOutcome } from '../workflows/purge.js';
import { applyResult } from './apply-report.js';

// The parts `deploy --format json` and `promote --format json` share (schemas/output.schema.json,
// `$defs`). Both print one document on stdout, also when they fail; exit codes are the human ones.

/** How a run ended, for its document: `refused` and `failed` carry the error. */
export type RunOutcome = 'refused' | 'failed';

/**
 * What `apply --format json` prints for the plan converged — the plan with its `result` (applied,
 * failed, not attempted) — which `deploy` and `promote --apply` report as their `infrastructure`.
 */
export function infrastructureJson(plan: Plan, outcome: Parameters<typeof applyResult>[1]): JsonValue {
  return planJson(toPlanView(plan, { mode: 'apply' }), { result: applyResult(plan, outcome) });
}

/**
 * A run's `infrastructure` from its journal: the converged plan with what was applied, else the plan
 * shown when converging failed (with `error`), else nothing (the run did not get that far).
 */
export function journalInfrastructure(
  journal: { readonly plan?: Plan; readonly converged?: Converged },
  error: unknown,
): JsonValue | undefined {
  if (journal.converged !== undefined) return infrastructureJson(journal.converged.plan, journal.converged);
  return journal.plan === undefined ? undefined : infrastructureJson(journal.plan, { error });
}

/** A release: `releasePhase` is `none` when its slug declares no `release` process, else how that phase ended. */
export function releaseJson(release: ReleaseStatus): JsonValue {
  return {
    id: release.id,
    version: release.version,
    status: release.status,
    slugId: release.slugId,
    description: release.description,
    releasePhase: release.outputStreamUrl === null ? 'none' : release.status,
  };
}

/** A build; `durationMs` and `origin` once it ended (see `ShipResult`). */
export function buildJson(
  build: BuildStatus,
  ended?: { readonly origin: 'built' | 'followed' | 'reused'; readonly durationMs: number },
): JsonValue {
  return { id: build.id, status: build.status, slugId: build.slugId, ...(ended === undefined ? {} : { origin: ended.origin, durationMs: Math.round(ended.durationMs) }) };
}

/**
 * A health check: not configured, skipped (and why), or what the app answered — the URL asked,
 * whether the answer was accepted, the HTTP status of an accepted one, the last answer in words,
 * how many GETs were made and how long it took.
 */
export function healthJson(verdict: HealthVerdict): JsonValue {
  switch (verdict.kind) {
    case 'not-configured':
      return { kind: 'not-configured' };
    case 'skipped':
      return { kind: 'skipped', reason: verdict.reason };
    case 'checked': {
      const { outcome } = verdict;
      const common = { kind: 'checked', url: outcome.url, attempts: outcome.attempts, durationMs: Math.round(outcome.ms) };
      return outcome.ok
        ? { ...common, ok: true, status: outcome.status, answer: `HTTP ${outcome.status}` }
        : { ...common, ok: false, answer: outcome.last };
    }
    default:
      return assertNever(verdict, 'health verdict');
  }
}

/** An app's newest log lines, read when a health check failed, or why they could not be read. */
export function logsJson(logs: RecentLogs): JsonValue {
  switch (logs.kind) {
    case 'read':
      return { app: logs.app, lines: [...logs.lines] };
    case 'unreadable':
      return { app: logs.app, unreadable: logs.reason };
    default:
      return assertNever(logs, 'recent logs');
  }
}

/**
 * What failed, at which step of the run (`where`), the resource when the API named one, what to do
 * next, and every problem of an invalid app.yaml.
 */
export function errorJson(error: unknown, where: string): JsonValue {
  const daff = error instanceof DaffError ? error : undefined;
  return {
    message: daff === undefined ? (error instanceof Error ? error.message : String(error)) : describeError(daff),
    where,
    ...(daff?.hint === undefined ? {} : { hint: daff.hint }),
    ...(error instanceof ProviderError && error.address !== undefined ? { address: error.address } : {}),
    ...(error instanceof ConfigError ? { diagnostics: error.diagnostics.map(diagnosticJson) } : {}),
  };
}

/** The exit code the CLI gives `error` (cli.ts `reportError`), and what it means for the document. */
export function failureOf(error: unknown): { readonly exitCode: ExitCode; readonly outcome: RunOutcome } {
  const exitCode = error instanceof DaffError ? error.exitCode : ExitCode.Error;
  return { exitCode, outcome: exitCode === ExitCode.Refused ? 'refused' : 'failed' };
}

/**
 * The purge of Cloudflare's cache after the release (`$defs/purge`): not declared in app.yaml,
 * held back (the release is not known healthy), done zone by zone, or failed at `zone` after the
 * zones before it.
 */
export function purgeJson(outcome: PurgeOutcome): JsonValue {
  switch (outcome.kind) {
    case 'not-declared':
      return { status: 'not-declared' };
    case 'held-back':
      return { status: 'held-back', reason: outcome.reason };
    case 'purged':
      return { status: 'purged', zones: outcome.zones.map(zonePurgedJson) };
    case 'failed':
      return {
        status: 'failed',
        zones: outcome.zones.map(zonePurgedJson),
        zone: outcome.zone,
        message: outcome.message,
        ...(outcome.hint === undefined ? {} : { hint: outcome.hint }),
      };
    default:
      return assertNever(outcome, 'purge outcome');
  }
}

function zonePurgedJson(purged: ZonePurged): JsonValue {
  const common = { zone: purged.zone, plan: purged.plan, requests: purged.requests };
  return purged.selection.kind === 'everything'
    ? { ...common, everything: true }
    : { ...common, hosts: [...purged.selection.hosts], prefixes: [...purged.selection.prefixes] };
}
