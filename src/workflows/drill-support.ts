import type { EnvironmentConfig } from '../model/config.js';
import type { DrillHealth } from '../model/drill.js';
import type { TransferProgress } from '../model/backups.js';
import { assertNever, DaffError } from '../runtime/errors.js';
import type { Connection } from './connection.js';
import { healthCheckEnvironment } from './health.js';
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

/**
 * Progress of a backup transfer as info lines when its status changes; its last processed bytes
 * kept. Once `stop` aborts it throws, which ends the transfer's wait at its next poll (the
 * transfer itself goes on at Heroku and ends with the drill's database).
 */
export function transferProgress(progress: Progress, what: string, stop: AbortSignal): { readonly bytes: () => number | null; readonly onProgress: (p: TransferProgress) => void } {
  let last: string | undefined;
  let bytes: number | null = null;
  return {
    bytes: () => bytes,
    onProgress: (p) => {
      if (stop.aborted) throw interrupted();
      bytes = p.processedBytes;
      if (p.status === last) return;
      last = p.status;
      progress.info(`${what}: ${p.id} ${p.status}`);
    },
  };
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
