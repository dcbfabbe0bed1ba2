import { settleReleasePhase } from '../api/releases.js';
import type { TimedWork } from './work.js';

/**
 * A clock-run release phase ends at its `dueMs` (api/release-phase.ts), failing when a failure was
 * armed. A process-run one is ended by its process (runner/release-phases.ts); when this sandbox
 * runs no processes (it was restarted without them), nothing will end it, so it fails at once.
 */
export const releasePhases: TimedWork = {
  scope: 'app',
  name: 'release phase',
  *due(world, app) {
    for (const release of app.releases) {
      const phase = release.phase;
      if (release.status !== 'pending' || phase === null) continue;
      if (phase.runner === 'clock' && phase.dueMs !== null) {
        const at = phase.dueMs;
        const result = phase.failure === null ? { ok: true as const } : { ok: false as const, reason: phase.failure };
        yield { at, run: () => settleReleasePhase(world, app, release, result, at) };
      } else if (phase.runner === 'process' && world.heroku.runsReleasePhases !== true) {
        const at = world.clock().getTime();
        const reason = 'The sandbox stopped running processes before the release command ended.';
        yield { at, run: () => settleReleasePhase(world, app, release, { ok: false, reason }, at) };
      }
    }
  },
};
