import type { Plan } from '../engine/types.js';
import type { BuildStatus, ReleaseStatus } from '../providers/provider.js';
import type { JsonValue } from '../render/format-value.js';
import { JSON_FORMAT_VERSION, jsonText } from '../render/json.js';
import { ExitCode } from '../runtime/errors.js';
import type { GitCommit } from '../runtime/exec.js';
import type { Converged } from '../workflows/converge.js';
import type { Deployed, DeployObserver, DeployStep } from '../workflows/deployment.js';
import { buildJson, errorJson, failureOf, healthJson, journalInfrastructure, logsJson, purgeJson, releaseJson } from './run-report.js';

/** Where a deploy is: reading app.yaml, reading the code, connecting to the APIs, the steps of `deployEnvironment`, then purging. */
export type DeployWhere = 'config' | 'code' | 'connect' | DeployStep | 'purge';

/** How far a deploy got, filled in as it runs (`journalObserver`): what its document reports also on failure. */
export interface DeployJournal {
  where: DeployWhere;
  readonly environment: string;
  app?: string;
  commit?: GitCommit;
  /** The plan converging showed; `converged` once it was applied. */
  plan?: Plan;
  converged?: Converged;
  build?: BuildStatus;
  release?: ReleaseStatus;
}

/** The observer that keeps `journal` up to date. */
export function journalObserver(journal: DeployJournal): DeployObserver {
  return {
    step: (step) => {
      journal.where = step;
    },
    converged: (converged) => {
      journal.converged = converged;
    },
    build: (build) => {
      journal.build = build;
    },
    release: (release) => {
      // A release read back may not repeat its release-phase stream; the first answer named it.
      const known = journal.release?.id === release.id ? journal.release.outputStreamUrl : null;
      journal.release = { ...release, outputStreamUrl: release.outputStreamUrl ?? known };
    },
  };
}

/**
 * `deploy --format json` (schemas/output.schema.json, `$defs/deploy`): how the deploy ended and its
 * exit code; the commit; the infrastructure as `apply --format json` reports it; the build, the
 * release (with its release phase), the formation applied after it, the health check, the URL, the
 * release to roll back to, the purge of Cloudflare's cache; on failure, the error and, for a failed health check, the app's logs.
 * Only what the run reached is present. `deployed` is the finished deploy (also when its health
 * check failed); `error` what the command throws (for a failed health check too).
 */
export function deployDocument(journal: DeployJournal, deployed: Deployed | undefined, error: unknown): string {
  const ended =
    error === undefined
      ? { outcome: 'deployed', exitCode: ExitCode.Ok }
      : deployed === undefined
        ? failureOf(error)
        : { outcome: deployed.purge.kind === 'failed' ? 'purge-failed' : 'unhealthy', exitCode: failureOf(error).exitCode };
  const infrastructure = journalInfrastructure(journal, error);
  const shipped = deployed?.shipped;
  const document: JsonValue = {
    formatVersion: JSON_FORMAT_VERSION,
    kind: 'deploy',
    environment: journal.environment,
    ...(journal.app === undefined ? {} : { app: journal.app }),
    outcome: ended.outcome,
    exitCode: ended.exitCode,
    ...(journal.commit === undefined ? {} : { commit: { sha: journal.commit.sha, subject: journal.commit.subject } }),
    ...(infrastructure === undefined ? {} : { infrastructure }),
    ...(journal.build === undefined
      ? {}
      : { build: buildJson(journal.build, shipped === undefined ? undefined : { origin: shipped.origin, durationMs: shipped.buildMs }) }),
    ...(journal.release === undefined ? {} : { release: releaseJson(journal.release) }),
    ...(deployed === undefined ? {} : deployedJson(deployed)),
    ...(error === undefined ? {} : { error: errorJson(error, journal.where) }),
  };
  return jsonText(document);
}

/** What only a finished deploy has. */
function deployedJson(deployed: Deployed): { readonly [key: string]: JsonValue } {
  return {
    formation: {
      applied: [...deployed.formation.applied],
      deferred: deployed.formation.stillDeferred.map((d) => ({ address: d.address, reason: d.reason })),
    },
    health: healthJson(deployed.verdict),
    url: deployed.url,
    purge: purgeJson(deployed.purge),
    ...(deployed.before === undefined ? {} : { rollbackPoint: { id: deployed.before.id, version: deployed.before.version } }),
    ...(deployed.logs === undefined ? {} : { logs: logsJson(deployed.logs) }),
  };
}
