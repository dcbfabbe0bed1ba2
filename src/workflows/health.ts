import type { EnvironmentConfig } from '../model/config.js';
import type { WebProbe } from '../runtime/http-probe.js';
import type { Connection } from './connection.js';
import { formatDuration, pollDelay, type Progress, type Timing } from './progress.js';
import { awaitWebOnCurrentRelease } from './web-release.js';

/** Where an environment's app can be reached. */
export interface HealthTarget {
  readonly app: string;
  /** The environment's first custom domain, when it declares one. */
  readonly domain: string | undefined;
  /** The app's own URL (`https://<app>-<hex>.herokuapp.com/`). */
  readonly webUrl: string | null;
}

/** app.yaml's `healthcheck`. */
export interface HealthSpec {
  readonly path: string;
  readonly timeoutSeconds: number;
  /** Accepted statuses; undefined means any 2xx. */
  readonly expectStatus: readonly number[] | undefined;
}

/** `attempts`: how many GETs were answered or failed (0 when the check could not start). */
export type HealthOutcome =
  | { readonly ok: true; readonly url: string; readonly status: number; readonly ms: number; readonly attempts: number }
  | { readonly ok: false; readonly url: string; readonly last: string; readonly ms: number; readonly attempts: number };

/** Longest single request; a slow answer is retried until the overall timeout. */
const ATTEMPT_MS = 10_000;

/**
 * Asked when the app answers HTTP 503 (what Heroku's router answers for H10 "App crashed"): a
 * description of the crash when the web process has crashed on the release being checked — a
 * final answer — or undefined while it may still come up (starting, restarting, another error).
 */
export type CrashCheck = () => Promise<string | undefined>;

/**
 * Cloudflare's own 52x answers (cloudflare-docs `support/troubleshooting/http-status-codes/
 * cloudflare-5xx-errors/`): the edge is up but cannot use the origin yet — a DNS target still being
 * provisioned, a certificate still being issued. Retried within the timeout, and said so.
 */
const CLOUDFLARE_5XX: Readonly<Record<number, string>> = {
  520: 'the origin returned an unknown error',
  521: 'the origin refused the connection',
  522: 'the connection to the origin timed out',
  523: 'the origin is unreachable',
  524: 'the origin did not answer in time',
  525: 'the SSL handshake with the origin failed',
  526: "the origin's certificate is not valid for the hostname (Full (strict))",
  530: 'the origin could not be resolved',
};

/** What an answer means for a check that goes on: a Cloudflare 52x is "not ready yet". */
function describeAnswer(status: number, body: string): string {
  const cloudflare = CLOUDFLARE_5XX[status];
  if (cloudflare !== undefined) return `Cloudflare ${status} (${cloudflare}): not ready yet`;
  return `HTTP ${status}${snippet(body)}`;
}

/**
 * GETs the health path until it answers an accepted status or `timeoutSeconds` pass. The URL is
 * the first custom domain over HTTPS when its name resolves (what users reach), else the app's
 * web URL; when the domain cannot even be connected to (DNS not pointed yet, certificate still
 * being issued), the web URL is used instead, and that is said (a slow answer is waited for). Every verdict comes from a real
 * answer: no answer within the timeout is a failure.
 */
export async function checkHealth(
  probe: WebProbe,
  target: HealthTarget,
  spec: HealthSpec,
  progress: Progress,
  timing: Timing,
  crashed?: CrashCheck,
): Promise<HealthOutcome> {
  const urls: URL[] = [];
  if (target.domain !== undefined && (await probe.resolves(target.domain))) urls.push(new URL(`https://${target.domain}${spec.path}`));
  if (target.webUrl !== null) urls.push(new URL(spec.path, target.webUrl));
  const started = timing.now();
  const first = urls[0];
  if (first === undefined) {
    return { ok: false, url: '(none)', last: `${target.app} has no web URL and no custom domain that resolves`, ms: 0, attempts: 0 };
  }
  const expected = spec.expectStatus === undefined ? '2xx' : spec.expectStatus.join(' or ');
  const step = progress.step(`Health check of ${target.app}: GET ${first.href} (expecting ${expected}, up to ${spec.timeoutSeconds} s, ${probe.route})`);
  const deadline = started + spec.timeoutSeconds * 1000;
  let url = first;
  let last = 'no attempt made';
  const told = new Set<number>();
  let attempts = 0;
  for (let attempt = 0; ; attempt++) {
    const remaining = deadline - timing.now();
    const result = await probe.get(url, Math.max(1_000, Math.min(ATTEMPT_MS, remaining)));
    attempts++;
    if (result.ok && accepted(result.status, spec.expectStatus)) {
      const ms = timing.now() - started;
      step.done(`Healthy: ${target.app} answered HTTP ${result.status} at ${url.href} after ${formatDuration(ms)}`);
      return { ok: true, url: url.href, status: result.status, ms, attempts };
    }
    last = result.ok ? describeAnswer(result.status, result.body) : result.error;
    step.update(last);
    if (result.ok && CLOUDFLARE_5XX[result.status] !== undefined && !told.has(result.status)) {
      told.add(result.status);
      progress.info(`${url.host}: ${last}; retrying until the ${spec.timeoutSeconds} s timeout`);
    }
    const crash = result.ok && result.status === 503 && crashed !== undefined ? await crashed() : undefined;
    if (crash !== undefined) {
      const ms = timing.now() - started;
      last = `HTTP 503: ${crash}`;
      step.fail(`Unhealthy: ${crash} — a crash is a final answer, not waiting out the ${spec.timeoutSeconds} s`);
      return { ok: false, url: url.href, last, ms, attempts };
    }
    const fallback = urls[1];
    if (!result.ok && result.reason === 'unreachable' && url === first && fallback !== undefined) {
      progress.info(`${first.host} gave no HTTP answer (${result.error}); checking ${fallback.href} instead`);
      url = fallback;
      continue;
    }
    if (timing.now() >= deadline) break;
    await timing.sleep(Math.min(pollDelay(attempt), Math.max(0, deadline - timing.now())));
  }
  const ms = timing.now() - started;
  step.fail(`Unhealthy: ${url.href} did not answer ${expected} within ${spec.timeoutSeconds} s (last: ${last})`);
  return { ok: false, url: url.href, last, ms, attempts };
}

function accepted(status: number, expect: readonly number[] | undefined): boolean {
  return expect === undefined ? status >= 200 && status < 300 : expect.includes(status);
}

function snippet(body: string): string {
  const text = body.replace(/\s+/g, ' ').trim();
  return text === '' ? '' : `: ${text.length > 120 ? `${text.slice(0, 117)}...` : text}`;
}

/** A health check's verdict: not asked for, impossible here (and why), or what the app answered. */
export type HealthVerdict =
  | { readonly kind: 'not-configured' }
  | { readonly kind: 'skipped'; readonly reason: string }
  | { readonly kind: 'checked'; readonly outcome: HealthOutcome };

/**
 * Runs app.yaml's `healthcheck` of one environment against its live app: the first custom domain
 * over HTTPS when it resolves, else the app's web URL (see `checkHealth`), once its web dynos run
 * the current release (`awaitWebOnCurrentRelease`, within the same timeout). Where apps cannot be
 * reached at all (a sandbox that runs no processes) the check is skipped with a notice saying why
 * — it is never reported as passed.
 */
export async function healthCheckEnvironment(
  connection: Connection,
  environment: EnvironmentConfig,
  progress: Progress,
  timing: Timing,
): Promise<HealthVerdict> {
  const spec = environment.healthcheck;
  if (spec === undefined) return { kind: 'not-configured' };
  const access = await connection.web();
  if (access.kind === 'unavailable') {
    progress.warn(`health check of ${environment.app} skipped: ${access.reason}`);
    return { kind: 'skipped', reason: access.reason };
  }
  const app = await connection.delivery.app(environment.app);
  // Probe the release just made, not the process it is replacing; the wait counts against the timeout.
  const web = await awaitWebOnCurrentRelease(connection.delivery, environment.app, progress, timing, spec.timeoutSeconds * 1000);
  if (!web.ok) {
    progress.warn(`health check of ${environment.app} not run: ${web.last}`);
    return { kind: 'checked', outcome: { ok: false, url: app.webUrl ?? '(no web URL)', last: web.last, ms: web.waitedMs, attempts: 0 } };
  }
  const timeoutSeconds = Math.max(1, spec.timeoutSeconds - Math.floor(web.waitedMs / 1000));
  const outcome = await checkHealth(
    access.probe,
    { app: environment.app, domain: environment.domains[0], webUrl: app.webUrl },
    { path: spec.path, timeoutSeconds, expectStatus: spec.expectStatus },
    progress,
    timing,
    () => webCrash(connection, environment.app),
  );
  return { kind: 'checked', outcome };
}

/**
 * Whether the app's web process has crashed on its current release: every web dyno `crashed`
 * (Heroku's router then answers H10), and running the current release — a crashed dyno of an
 * older release is about to be replaced, so it says nothing yet. Never throws: when the dynos
 * cannot be read, the check simply goes on.
 */
export async function webCrash(connection: Connection, app: string): Promise<string | undefined> {
  try {
    const [dynos, releases] = await Promise.all([connection.delivery.dynos(app), connection.delivery.releases(app, 5)]);
    const current = releases.find((r) => r.current);
    const web = dynos.filter((d) => d.type === 'web');
    if (current === undefined || web.length === 0) return undefined;
    if (!web.every((d) => d.state === 'crashed' && d.releaseVersion === current.version)) return undefined;
    return `the web process of ${app} crashed on v${current.version} (${web.map((d) => d.name).join(', ')} crashed, H10)`;
  } catch {
    return undefined;
  }
}

/** An app's newest log lines for a failure report, or why they could not be read. */
export type RecentLogs =
  | { readonly app: string; readonly kind: 'read'; readonly lines: readonly string[] }
  | { readonly app: string; readonly kind: 'unreadable'; readonly reason: string };

/**
 * The app's newest `count` log lines. Router lines (one per request, the health check's own
 * included) are thinned to the last two so the app's output and dyno state changes stay in view.
 * Never throws: a failure report must not fail for want of logs.
 */
export async function recentLogs(connection: Connection, app: string, count = 30): Promise<RecentLogs> {
  try {
    const all = await connection.delivery.recentLogs(app, 200);
    const router = all.filter((l) => l.includes(' heroku[router]: '));
    const keep = new Set(router.slice(-2));
    return { app, kind: 'read', lines: all.filter((l) => !l.includes(' heroku[router]: ') || keep.has(l)).slice(-count) };
  } catch (error) {
    return { app, kind: 'unreadable', reason: (error as Error).message };
  }
}

/** What one GET of an environment's health path answered just now (`promote` asks its source). */
export type HealthNow =
  | { readonly kind: 'not-configured' }
  | { readonly kind: 'skipped'; readonly reason: string }
  | { readonly kind: 'answered'; readonly ok: boolean; readonly url: string; readonly answer: string };

/**
 * One GET of app.yaml's `healthcheck` path, now, without waiting for a better answer: the first
 * custom domain over HTTPS when it resolves and connects, else the app's web URL. Skipped (with
 * the reason) where apps cannot be reached, as `healthCheckEnvironment` is.
 */
export async function healthNow(connection: Connection, environment: EnvironmentConfig): Promise<HealthNow> {
  const spec = environment.healthcheck;
  if (spec === undefined) return { kind: 'not-configured' };
  const access = await connection.web();
  if (access.kind === 'unavailable') return { kind: 'skipped', reason: access.reason };
  const { probe } = access;
  const app = await connection.delivery.app(environment.app);
  const domain = environment.domains[0];
  const urls: URL[] = [];
  if (domain !== undefined && (await probe.resolves(domain))) urls.push(new URL(`https://${domain}${spec.path}`));
  if (app.webUrl !== null) urls.push(new URL(spec.path, app.webUrl));
  let answer = `${environment.app} has no web URL and no custom domain that resolves`;
  for (const url of urls) {
    const result = await probe.get(url, ATTEMPT_MS);
    if (result.ok) {
      const ok = accepted(result.status, spec.expectStatus);
      return { kind: 'answered', ok, url: url.href, answer: describeAnswer(result.status, result.body) };
    }
    answer = result.error;
    if (result.reason !== 'unreachable') return { kind: 'answered', ok: false, url: url.href, answer };
  }
  return { kind: 'answered', ok: false, url: urls.at(-1)?.href ?? '(none)', answer };
}
