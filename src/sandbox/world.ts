import { Ids, isoSeconds } from './ids.js';
import type { SandboxState } from './state.js';

/**
 * What every handler works with: the current state (replaced wholesale by a reset, so always read
 * through `world.state`), the injected clock, and the deterministic id source.
 */
export class World {
  readonly ids: Ids;

  constructor(
    public state: SandboxState,
    readonly clock: () => Date,
  ) {
    this.ids = new Ids(() => this.state.rng);
  }

  /** The clock's time as a Heroku timestamp. */
  now(): string {
    return isoSeconds(this.clock());
  }
}
