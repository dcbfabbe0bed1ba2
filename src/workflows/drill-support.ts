import type { EnvironmentConfig } from '../model/config.js';
import type { DrillHealth } from '../model/drill.js';
import type { DatabaseRef, TransferWait } from '../model/drill-databases.js';
import { makeAddress, type Resource } from '../model/resource.js';
import { assertNever, DaffError, InternalError } from '../runtime/errors.js';
import type { Connection } from './connection.js';
import type { DrillDerivation } from './drill-environment.js';
import { healthCheckEnvironment } from './health.js';
import { type Prepared, prepareEnvironments } from './prepare.js';
import type { Progress, Timing } from './progress.js';

/** How long an interrupted drill waits for the request in flight to end before tearing down. */
const SETTLE_MS = 30_000;

/** The error an interrupted drill ends with (after its teardown). */
export function interrupted(): DaffError {
  return new DaffError('The drill was interrupted (SIGINT or SIGTERM); the drill environment was torn down', {
    hint: 'Run the drill again when it can finish; a later run also removes anything an interrupted one left.',
  });
}

/** `timing` whose waits end the drill once `stop` aborts: every poll loop of the drill stops at its next wait. */
export function interruptible(timing: Timing, stop: AbortSignal): Timing {
  return {
    now: timing.now,
    sleep: async (ms, signal) => {
      if (stop.aborted) throw interrupted();
      await timing.sleep(ms, signal === undefined ? stop : AbortSignal.any([signal, stop]));
      if (stop.aborted) throw interrupted();
    },
  };
}

/** `work`'s outcome, or the interruption as soon as `stop` aborts (`work` then goes on until its next wait). */
export function untilStopped<T>(work: Promise<T>, stop: AbortSignal): Promise<T> {
  // The work's own failure after an interruption is not anyone's to report.
  work.catch(() => undefined);
  if (stop.aborted) return Promise.reject(interrupted());
  return Promise.race([
    work,
    new Promise<never>((_, reject) => stop.addEventListener('abort', () => reject(interrupted()), { once: true })),
  ]);
}

/** Waits (up to SETTLE_MS) for interrupted work to stop, so teardown does not race a request still creating something. */
export async function settled(work: Promise<unknown>, timing: Timing): Promise<void> {
  const done = new AbortController();
  await Promise.race([work.then(() => undefined, () => undefined), timing.sleep(SETTLE_MS, done.signal)]);
  done.abort();
}

/** A transfer's wait on the drill's (interruptible) clock, its progress as info lines. */
export function transferWait(timing: Timing, progress: Progress): TransferWait {
  return { now: timing.now, sleep: (ms) => timing.sleep(ms), progress: (message) => progress.info(message) };
}

/**
 * ENV's database add-on as live state has it (one read of ENV's app and add-ons): its id, name
 * and attachment. The read is asked for the add-on's name by declaring one no add-on has (a
 * declared `name` is what makes live state carry it); matching goes by attachment first.
 */
export async function sourceDatabase(connection: Connection, derivation: DrillDerivation): Promise<DatabaseRef> {
  const heroku = connection.providers.get('heroku');
  if (heroku === undefined) throw new InternalError('the drill needs the Heroku provider');
  const { source, database } = derivation;
  const address = makeAddress('heroku.addon', source.name, database);
  const all = prepareEnvironments(derivation.config, { names: [source.name], all: false, defaultAll: false }, undefined).desired.resources;
  const desired = all.flatMap((r): Resource[] =>
    r.kind === 'heroku.app' ? [r] : r.address === address ? [{ ...r, attributes: { ...r.attributes, name: r.attributes['name'] ?? '' } }] : [],
  );
  const live = (await heroku.read({ scopes: [source.name], desired })).resources.find((r) => r.address === address);
  const attachment = source.addons[database]?.as ?? 'DATABASE';
  const name = live?.attributes['name'];
  if (live?.liveId === undefined || typeof name !== 'string') {
    throw new DaffError(`${source.name} (${source.app}) has no live database ${address} (attached as ${attachment}) to drill a recovery of`, {
      hint: `Apply ${source.name} first (\`daffeinated apply ${source.name}\`), then run the drill again.`,
    });
  }
  return { id: live.liveId, name, attachment };
}

/** The Heroku id of the drill's database add-on, read back from live state after the environment was created. */
export async function drillAddonId(connection: Connection, prepared: Prepared, derivation: DrillDerivation): Promise<string> {
  const heroku = connection.providers.get('heroku');
  if (heroku === undefined) throw new InternalError('the drill needs the Heroku provider');
  const address = makeAddress('heroku.addon', derivation.drill.name, derivation.database);
  const desired = prepared.desired.resources.filter((r) => r.address === address || r.kind === 'heroku.app');
  const live = await heroku.read({ scopes: [derivation.drill.name], desired });
  const id = live.resources.find((r) => r.address === address)?.liveId;
  if (id === undefined) throw new DaffError(`The drill's database ${address} is not there after creating the drill environment`, {
    hint: `Check \`heroku addons -a ${derivation.drill.app}\`; the drill environment is torn down either way.`,
  });
  return id;
}

/**
 * The drill environment's health check (app.yaml's, against the drill app's own web URL: it has
 * no custom domain), with what the app answered: a passing check is asked once more for the body
 * its answer carried, so the report shows what the recovered app said (e.g. its row count).
 */
export async function drillHealth(connection: Connection, drill: EnvironmentConfig, progress: Parameters<typeof healthCheckEnvironment>[2], timing: Timing): Promise<DrillHealth> {
  const verdict = await healthCheckEnvironment(connection, drill, progress, timing);
  switch (verdict.kind) {
    case 'not-configured':
      return { kind: 'not-configured' };
    case 'skipped':
      return { kind: 'skipped', reason: verdict.reason };
    case 'checked': {
      const { outcome } = verdict;
      if (!outcome.ok) return { kind: 'failed', url: outcome.url, answer: outcome.last };
      return { kind: 'passed', url: outcome.url, answer: await answerOf(connection, outcome.url, outcome.status) };
    }
    default:
      return assertNever(verdict, 'health verdict');
  }
}

async function answerOf(connection: Connection, url: string, status: number): Promise<string> {
  const access = await connection.web();
  if (access.kind !== 'probe') return `HTTP ${status}`;
  const again = await access.probe.get(new URL(url), 10_000);
  if (!again.ok) return `HTTP ${status}`;
  const body = again.body.replace(/\s+/g, ' ').trim();
  return `HTTP ${again.status}${body === '' ? '' : `: ${body.length > 200 ? `${body.slice(0, 197)}...` : body}`}`;
}
