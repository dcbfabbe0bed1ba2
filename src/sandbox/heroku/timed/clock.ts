import type { World } from '../../world.js';
import { TIMED_WORK } from './registry.js';
import type { Due, TimedWork } from './work.js';

/**
 * Applies every timed transition that is due on the injected clock, earliest first, each at its
 * own due time, until none is left. Ties go to state order: app by app, within an app in the
 * registry's order (registry.ts), then the `world`-scoped work. One transition may schedule
 * another (a build's release runs a release phase); those are applied in the same call when
 * already due. So the outcome depends only on the state and the clock, never on when requests
 * happened to arrive. Called before every Heroku request, by admin routes and by output-stream
 * polls. Returns whether anything changed (the server then persists even after a GET).
 */
export function advance(world: World, work: readonly TimedWork[] = TIMED_WORK): boolean {
  let changed = false;
  // Each step settles one pending item for good, so this ends; the bound guards against a bug.
  for (let step = 0; step < 100_000; step++) {
    const next = nextDue(world, work, world.clock().getTime());
    if (next === undefined) return changed;
    next.run();
    changed = true;
  }
  return changed;
}

function nextDue(world: World, work: readonly TimedWork[], now: number): Due | undefined {
  let best: Due | undefined;
  const consider = (candidates: Iterable<Due>) => {
    for (const due of candidates) if (due.at <= now && (best === undefined || due.at < best.at)) best = due;
  };
  for (const app of world.state.heroku.apps) {
    for (const timed of work) if (timed.scope === 'app') consider(timed.due(world, app));
  }
  for (const timed of work) if (timed.scope === 'world') consider(timed.due(world));
  return best;
}
