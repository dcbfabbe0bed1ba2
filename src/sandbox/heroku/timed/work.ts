import type { World } from '../../world.js';
import type { AppRecord } from '../model/state.js';

/** One transition that is pending: when it is due (epoch ms on the injected clock) and what it does. */
export interface Due {
  readonly at: number;
  readonly run: () => void;
}

/**
 * One timed behaviour of the emulated Heroku (add-on provisioning, builds, release phases…): it
 * lists the transitions it has pending, in state order, and the clock (clock.ts) applies the due
 * ones. `run` settles its item for good (a second `due` no longer yields it). Behaviours scoped
 * to an app are asked app by app; `world` ones once, after every app.
 */
export type TimedWork =
  | { readonly scope: 'app'; readonly name: string; due(world: World, app: AppRecord): Iterable<Due> }
  | { readonly scope: 'world'; readonly name: string; due(world: World): Iterable<Due> };
