import { isoSeconds } from '../../ids.js';
import type { World } from '../../world.js';
import { completeProvisioning } from '../api/addon-provision.js';
import { settleBuild } from '../api/builds.js';
import { settlePromotion } from '../api/promotions.js';
import { settleReleasePhase } from '../api/releases.js';

/**
 * Applies every timed transition that is due on the injected clock, earliest first (ties in state
 * order), each at its own due time, until none is left: add-on provisioning, builds, release
 * phases, domain DNS targets, ACM certificates, promotions. One transition may schedule another
 * (a build's release runs a release phase); those are applied in the same call when already due.
 * So the outcome depends only on the state and the clock, never on when requests happened to
 * arrive. Called before every Heroku request, by admin routes and by output-stream polls.
 * Returns whether anything changed (the server then persists even after a GET).
 */
export function advance(world: World): boolean {
  let changed = false;
  // Each step settles one pending item for good, so this ends; the bound guards against a bug.
  for (let step = 0; step < 100_000; step++) {
    const next = nextDue(world, world.clock().getTime());
    if (next === undefined) return changed;
    next.run();
    changed = true;
  }
  return changed;
}

interface Due {
  readonly at: number;
  readonly run: () => void;
}

function nextDue(world: World, now: number): Due | undefined {
  let best: Due | undefined;
  const consider = (at: number | null, run: () => void) => {
    if (at !== null && at <= now && (best === undefined || at < best.at)) best = { at, run };
  };
  const heroku = world.state.heroku;
  for (const app of heroku.apps) {
    for (const addon of app.addons) {
      if (addon.state === 'provisioning' && addon.provisionDueMs !== null) {
        const at = addon.provisionDueMs;
        consider(at, () => completeProvisioning(world, app, addon, at));
      }
    }
    for (const build of app.builds) {
      if (build.status === 'pending') consider(build.dueMs, () => settleBuild(world, app, build));
    }
    for (const release of app.releases) {
      if (release.status === 'pending' && release.phase !== null)
        consider(release.phase.dueMs, () => settleReleasePhase(world, app, release));
    }
    for (const domain of app.domains) {
      if (domain.status === 'pending' && domain.statusDueMs !== null) {
        const at = domain.statusDueMs;
        consider(at, () => {
          domain.status = 'succeeded';
          domain.statusDueMs = null;
          domain.updatedAt = isoSeconds(new Date(at));
        });
      }
      // A certificate waits for the DNS target; if that did not succeed, neither does ACM.
      if (domain.acmStatus === 'pending' && domain.acmDueMs !== null && domain.status !== 'pending') {
        const at = domain.acmDueMs;
        consider(at, () => {
          const ok = domain.status === 'succeeded';
          domain.acmStatus = ok ? 'ok' : 'failed';
          domain.acmStatusReason = ok ? null : `The DNS target of ${domain.hostname} is ${domain.status}.`;
          domain.acmDueMs = null;
          domain.updatedAt = isoSeconds(new Date(at));
        });
      }
    }
  }
  for (const promotion of heroku.promotions) {
    if (promotion.status === 'pending') consider(promotion.dueMs, () => settlePromotion(world, promotion));
  }
  return best;
}
