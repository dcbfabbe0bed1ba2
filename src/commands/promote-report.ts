import type { Plan } from '../engine/types.js';
import type { JsonValue } from '../render/format-value.js';
import { JSON_FORMAT_VERSION, jsonText } from '../render/json.js';
import { assertNever, ExitCode } from '../runtime/errors.js';
import type { Converged } from '../workflows/converge.js';
import type { TargetResult } from '../workflows/promotion.js';
import type { PromotionDocument } from '../workflows/promotion-plan.js';
import { errorJson, failureOf, healthJson, journalInfrastructure, logsJson, purgeJson, releaseJson } from './run-report.js';

/**
 * Where a promotion is: app.yaml (and `--plan`'s file), connecting to the APIs, `--apply`'s
 * converging, the checks, `--plan`'s approval, consent, the promotion itself.
 */
export type PromoteWhere = 'config' | 'connect' | 'infrastructure' | 'checks' | 'approval' | 'confirmation' | 'promotion';

/** How far a promotion got, filled in as it runs: what its document reports also on failure. */
export interface PromoteJournal {
  where: PromoteWhere;
  /** With `--apply`: the plan converging showed; `converged` once it was applied. */
  plan?: Plan;
  converged?: Converged;
  /** What was examined: the document `--dry-run --format json` prints, and the checks' warnings. */
  promotion?: PromotionDocument;
  warnings?: readonly string[];
  results?: readonly TargetResult[];
}

/**
 * `promote --format json` (schemas/output.schema.json, `$defs/promote`): how the promotion ended and
 * its exit code; with `--apply`, the infrastructure as `apply --format json` reports it; what was
 * examined (the promotion document: source release, targets' current releases, every check); then
 * per target its release (with its release phase), health check, and rollback when it failed;
 * on failure, the error. Only what the run reached is present.
 */
export function promoteDocument(journal: PromoteJournal, error: unknown): string {
  const ended = error === undefined ? { outcome: 'promoted', exitCode: ExitCode.Ok } : failureOf(error);
  const infrastructure = journalInfrastructure(journal, error);
  const document: JsonValue = {
    formatVersion: JSON_FORMAT_VERSION,
    kind: 'promote',
    outcome: ended.outcome,
    exitCode: ended.exitCode,
    ...(infrastructure === undefined ? {} : { infrastructure }),
    ...(journal.promotion === undefined ? {} : { promotion: promotionJson(journal.promotion) }),
    ...(journal.warnings === undefined ? {} : { warnings: [...journal.warnings] }),
    ...(journal.results === undefined ? {} : { targets: journal.results.map(targetJson) }),
    ...(error === undefined ? {} : { error: errorJson(error, journal.where) }),
  };
  return jsonText(document);
}

function promotionJson(doc: PromotionDocument): JsonValue {
  return {
    formatVersion: doc.formatVersion,
    kind: doc.kind,
    pipeline: doc.pipeline,
    source: {
      environment: doc.source.environment,
      app: doc.source.app,
      release: doc.source.release === null ? null : { ...doc.source.release },
      commit: doc.source.commit,
    },
    targets: doc.targets.map((t) => ({
      environment: t.environment,
      app: t.app,
      currentRelease: t.currentRelease === null ? null : { ...t.currentRelease },
    })),
    checks: doc.checks.map((c) => ({ ...c })),
    passed: doc.passed,
  };
}

/** One target: `outcome` is how it came out; `rollbackPoint` the release it is (or would be) rolled back to. */
function targetJson(result: TargetResult): JsonValue {
  const common = {
    environment: result.environment.name,
    app: result.environment.app,
    outcome: result.kind,
    rollbackPoint: { id: result.rollbackTo.id, version: result.rollbackTo.version },
  };
  switch (result.kind) {
    case 'not-promoted':
      return { ...common, reason: result.reason };
    case 'released':
      return {
        ...common,
        release: releaseJson(result.release),
        origin: result.origin,
        health: healthJson(result.verdict),
        purge: purgeJson(result.purge),
      };
    case 'rolled-back':
    case 'rollback-failed': {
      const unhealthy = {
        ...common,
        release: releaseJson(result.release),
        origin: result.origin,
        health: healthJson({ kind: 'checked', outcome: result.outcome }),
        logs: logsJson(result.logs),
      };
      return result.kind === 'rolled-back'
        ? { ...unhealthy, rollback: { verified: true, release: releaseJson(result.rollback) } }
        : { ...unhealthy, rollback: { verified: false, error: result.reason } };
    }
    default:
      return assertNever(result, 'promotion result');
  }
}
