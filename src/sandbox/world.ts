import { defaultHerokuRuntime, type HerokuRuntime } from './heroku/runtime.js';
import { Ids, isoSeconds } from './ids.js';
import type { SandboxState } from './state.js';

/**
 * What every handler works with: the current state (replaced wholesale by a reset, so always read
 * through `world.state`), the injected clock, the deterministic id source, and the Heroku runtime
 * (durations of asynchronous work, uploaded bytes).
 */
export class World {
  readonly ids: Ids;

  constructor(
    public state: SandboxState,
    readonly clock: () => Date,
    readonly heroku: HerokuRuntime = defaultHerokuRuntime(),
  ) {
    this.ids = new Ids(() => this.state.rng);
  }

  /** The clock's time as a Heroku timestamp. */
  now(): string {
    return isoSeconds(this.clock());
  }
}
