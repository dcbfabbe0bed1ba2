import type { WebProbe } from '../runtime/http-probe.js';
import { formatDuration, pollDelay, type Progress, type Timing } from './progress.js';

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

export type HealthOutcome =
  | { readonly ok: true; readonly url: string; readonly status: number; readonly ms: number }
  | { readonly ok: false; readonly url: string; readonly last: string; readonly ms: number };

/** Longest single request; a slow answer is retried until the overall timeout. */
const ATTEMPT_MS = 10_000;

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
): Promise<HealthOutcome> {
  const urls: URL[] = [];
  if (target.domain !== undefined && (await probe.resolves(target.domain))) urls.push(new URL(`https://${target.domain}${spec.path}`));
  if (target.webUrl !== null) urls.push(new URL(spec.path, target.webUrl));
  const started = timing.now();
  const first = urls[0];
  if (first === undefined) {
    return { ok: false, url: '(none)', last: `${target.app} has no web URL and no custom domain that resolves`, ms: 0 };
  }
  const expected = spec.expectStatus === undefined ? '2xx' : spec.expectStatus.join(' or ');
  const step = progress.step(`Health check of ${target.app}: GET ${first.href} (expecting ${expected}, up to ${spec.timeoutSeconds} s, ${probe.route})`);
  const deadline = started + spec.timeoutSeconds * 1000;
  let url = first;
  let last = 'no attempt made';
  for (let attempt = 0; ; attempt++) {
    const remaining = deadline - timing.now();
    const result = await probe.get(url, Math.max(1_000, Math.min(ATTEMPT_MS, remaining)));
    if (result.ok && accepted(result.status, spec.expectStatus)) {
      const ms = timing.now() - started;
      step.done(`Healthy: ${target.app} answered HTTP ${result.status} at ${url.href} after ${formatDuration(ms)}`);
      return { ok: true, url: url.href, status: result.status, ms };
    }
    last = result.ok ? `HTTP ${result.status}${snippet(result.body)}` : result.error;
    step.update(last);
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
  return { ok: false, url: url.href, last, ms };
}

function accepted(status: number, expect: readonly number[] | undefined): boolean {
  return expect === undefined ? status >= 200 && status < 300 : expect.includes(status);
}

function snippet(body: string): string {
  const text = body.replace(/\s+/g, ' ').trim();
  return text === '' ? '' : `: ${text.length > 120 ? `${text.slice(0, 117)}...` : text}`;
}
