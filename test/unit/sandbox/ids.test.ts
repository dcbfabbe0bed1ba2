import { describe, expect, it } from 'vitest';
import { Ids, type RngState } from '../../../src/sandbox/ids.js';
import { addonName } from '../../../src/sandbox/heroku/model/names.js';

const source = (seed: number) => {
  const state: RngState = { seed, counter: 0 };
  return { ids: new Ids(() => state), state };
};

describe('sandbox ids', () => {
  it('draws the same sequence from the same seed and counter', () => {
    expect(source(7).ids.uuid()).toBe(source(7).ids.uuid());
    expect(source(7).ids.uuid()).not.toBe(source(8).ids.uuid());
  });

  it('gives an add-on the same generated name whatever was drawn before (request order)', () => {
    const first = source(42);
    const second = source(42);
    second.ids.bytes(100);
    const name = (ids: Ids) => addonName(ids.keyed('addon:shop:DATABASE'), 'heroku-postgresql', () => false);
    expect(name(first.ids)).toBe(name(second.ids));
    expect(name(first.ids)).toMatch(/^postgresql-[a-z]+-\d{5}$/);
    expect(addonName(first.ids.keyed('addon:shop:REDIS'), 'heroku-postgresql', () => false)).not.toBe(name(first.ids));
  });

  it('leaves the shared sequence where it was, and a taken name moves to the next draw', () => {
    const { ids, state } = source(42);
    const taken = addonName(ids.keyed('addon:shop:DATABASE'), 'heroku-redis', () => false);
    expect(state.counter).toBe(0);
    const next = addonName(ids.keyed('addon:shop:DATABASE'), 'heroku-redis', (n) => n === taken);
    expect(next).not.toBe(taken);
    expect(next).toMatch(/^redis-[a-z]+-\d{5}$/);
  });
});
