import type { JsonValue } from '../render/format-value.js';
import { JSON_FORMAT_VERSION, jsonText } from '../render/json.js';
import { ExitCode } from '../runtime/errors.js';
import type { RollbackExamined, RollbackResult } from '../workflows/rollback.js';
import { errorJson, failureOf, healthJson, releaseJson } from './run-report.js';

/** Where a rollback is: app.yaml and `--to`, connecting, choosing and checking the release, consent, the rollback, its health check. */
export type RollbackWhere = 'config' | 'connect' | 'checks' | 'confirmation' | 'rollback' | 'health';

/** How far a rollback got, filled in as it runs: what its document reports also on failure. */
export interface RollbackJournal {
  where: RollbackWhere;
  readonly environment: string;
  app?: string;
  examined?: RollbackExamined;
  result?: RollbackResult;
}

/**
 * `rollback --format json` (schemas/output.schema.json, `$defs/rollback`): how it ended and its exit
 * code; the release rolled back from and to (with their commits) and the config var names the
 * rollback removes or brings back; once done, the new release (verified to run the target's slug)
 * and its health check; on failure, the error. Only what the run reached is present.
 */
export function rollbackDocument(journal: RollbackJournal, error: unknown): string {
  const { examined, result } = journal;
  const ended =
    error === undefined
      ? { outcome: 'rolled-back', exitCode: ExitCode.Ok }
      : result?.kind === 'rolled-back'
        ? { outcome: 'unhealthy', exitCode: failureOf(error).exitCode }
        : failureOf(error);
  const document: JsonValue = {
    formatVersion: JSON_FORMAT_VERSION,
    kind: 'rollback',
    environment: journal.environment,
    ...(journal.app === undefined ? {} : { app: journal.app }),
    outcome: ended.outcome,
    exitCode: ended.exitCode,
    ...(examined === undefined
      ? {}
      : {
          from: { release: releaseJson(examined.current), commit: examined.currentCommit },
          to: { release: releaseJson(examined.target), commit: examined.targetCommit },
          configVars: { removed: [...examined.keys.removed], restored: [...examined.keys.restored] },
        }),
    ...(result?.kind === 'rolled-back' ? { release: releaseJson(result.release), health: healthJson(result.verdict) } : {}),
    ...(error === undefined ? {} : { error: errorJson(error, journal.where) }),
  };
  return jsonText(document);
}
