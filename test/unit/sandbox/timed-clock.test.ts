import { describe, expect, it } from 'vitest';
import type { AppRecord } from '../../../src/sandbox/heroku/model/state.js';
import { advance } from '../../../src/sandbox/heroku/timed/clock.js';
import type { TimedWork } from '../../../src/sandbox/heroku/timed/work.js';
import { initialState } from '../../../src/sandbox/state.js';
import { World } from '../../../src/sandbox/world.js';

/** A world at `now` with apps that have only an id (all the clock looks at). */
function worldAt(now: number, appIds: string[]): World {
  const world = new World(
    initialState(1, () => new Date(now), []),
    () => new Date(now),
  );
  world.state.heroku.apps.push(...appIds.map((id) => ({ id }) as AppRecord));
  return world;
}

/** Timed work whose items (per app id) are due at the given times and record their order when run. */
function work(name: string, scope: 'app' | 'world', due: Record<string, number[]>, ran: string[]): TimedWork {
  const pending = new Map(Object.entries(due).map(([key, times]) => [key, [...times]]));
  const items = (key: string) =>
    (pending.get(key) ?? []).map((at) => ({
      at,
      run: () => {
        ran.push(`${name}:${key}@${at}`);
        pending.set(
          key,
          (pending.get(key) ?? []).filter((t) => t !== at),
        );
      },
    }));
  return scope === 'app'
    ? { scope, name, due: (_world, app) => items(app.id) }
    : { scope, name, due: () => items('world') };
}

describe('timed work clock', () => {
  it('applies every due transition earliest first and leaves the future ones', () => {
    const ran: string[] = [];
    const world = worldAt(100, ['a', 'b']);
    const changed = advance(world, [work('build', 'app', { a: [50, 150], b: [20] }, ran)]);
    expect(changed).toBe(true);
    expect(ran).toEqual(['build:b@20', 'build:a@50']);
    expect(advance(world, [work('build', 'app', {}, ran)])).toBe(false);
  });

  it('breaks ties by state order: app by app, the registry order within an app, world-scoped work last', () => {
    const ran: string[] = [];
    const world = worldAt(100, ['a', 'b']);
    advance(world, [
      work('promotion', 'world', { world: [10] }, ran),
      work('addon', 'app', { b: [10] }, ran),
      work('build', 'app', { a: [10], b: [10] }, ran),
    ]);
    expect(ran).toEqual(['build:a@10', 'addon:b@10', 'build:b@10', 'promotion:world@10']);
  });
});
