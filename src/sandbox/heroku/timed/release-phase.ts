import { settleReleasePhase } from '../api/releases.js';
import type { TimedWork } from './work.js';

/** A release running its release phase ends `releasePhaseMs` after it started (api/release-phase.ts). */
export const releasePhases: TimedWork = {
  scope: 'app',
  name: 'release phase',
  *due(world, app) {
    for (const release of app.releases) {
      if (release.status === 'pending' && release.phase !== null)
        yield { at: release.phase.dueMs, run: () => settleReleasePhase(world, app, release) };
    }
  },
};
