import type { Delivery } from '../providers/provider.js';
import { formatDuration, pollDelay, type Progress, type Timing } from './progress.js';

export type WebRelease =
  | { readonly ok: true; readonly waitedMs: number }
  | { readonly ok: false; readonly waitedMs: number; readonly last: string };

/**
 * Waits, up to `timeoutMs`, until every web dyno of `app` runs the app's current release. A new
 * release restarts the dynos after it is created, not with it (Dev Center "Dynos and the Dyno
 * Manager": a release restarts them), so right after a deploy — above all of a commit already
 * built, or after a config change — the router may still reach a process of the release before,
 * and a health check would judge old code. Dynos that cannot be read, no current release and no
 * web dyno are not waited for: the probe then answers for itself.
 */
export async function awaitWebOnCurrentRelease(
  delivery: Delivery,
  app: string,
  progress: Progress,
  timing: Timing,
  timeoutMs: number,
): Promise<WebRelease> {
  const started = timing.now();
  let told = false;
  for (let attempt = 0; ; attempt++) {
    let behind: string;
    try {
      const [dynos, releases] = await Promise.all([delivery.dynos(app), delivery.releases(app, 5)]);
      const current = releases.find((r) => r.current);
      const lagging = dynos.filter((d) => d.type === 'web' && d.releaseVersion !== null && d.releaseVersion !== current?.version);
      if (current === undefined || lagging.length === 0) return { ok: true, waitedMs: timing.now() - started };
      behind = `${lagging.map((d) => `${d.name} runs v${d.releaseVersion}`).join(', ')}, not the current v${current.version}`;
    } catch {
      return { ok: true, waitedMs: timing.now() - started };
    }
    const waited = timing.now() - started;
    if (waited >= timeoutMs) {
      return { ok: false, waitedMs: waited, last: `after ${formatDuration(waited)} the web dynos of ${app} still run an older release (${behind})` };
    }
    if (!told) {
      progress.info(`waiting for the web dynos of ${app} to restart on the new release before the health check (${behind})`);
      told = true;
    }
    await timing.sleep(Math.min(pollDelay(attempt), Math.max(0, timeoutMs - waited)));
  }
}
