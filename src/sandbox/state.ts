import { type CloudflareState, newCloudflareState, seedZones, type ZoneSeed } from './cloudflare/model.js';
import type { HerokuState } from './heroku/model/state.js';
import { normalizeHerokuState } from './heroku/model/normalize.js';
import { Ids, isoSeconds, type RngState } from './ids.js';

/**
 * Everything the sandbox knows, as one JSON-serialisable object. Handlers mutate it in place,
 * synchronously, within one request (so concurrent requests never see half a change); the server
 * then persists it when a state file is configured.
 */
export interface SandboxState {
  formatVersion: typeof STATE_FORMAT_VERSION;
  /** Where the deterministic id generator stands (see ids.ts). */
  rng: RngState;
  heroku: HerokuState;
  cloudflare: CloudflareState;
}

export const STATE_FORMAT_VERSION = 1;

export function initialState(seed: number, clock: () => Date, zones: readonly ZoneSeed[]): SandboxState {
  const rng: RngState = { seed, counter: 0 };
  const ids = new Ids(() => rng);
  const now = isoSeconds(clock());
  const state: SandboxState = {
    formatVersion: STATE_FORMAT_VERSION,
    rng,
    heroku: {
      account: {
        id: ids.uuid(),
        email: 'developer@example.com',
        name: 'Sandbox Developer',
        createdAt: now,
        updatedAt: now,
      },
      teams: [],
      apps: [],
      pipelines: [],
      couplings: [],
      promotions: [],
      sources: [],
    },
    cloudflare: newCloudflareState(ids),
  };
  seedZones(state.cloudflare, zones, ids, now);
  return state;
}

/** Parses a persisted state, refusing anything that is not one (rather than silently starting over). */
export function parseState(text: string, source: string): SandboxState {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(
      `sandbox state ${source} is not valid JSON (${(error as Error).message}); move it away to start afresh`,
    );
  }
  const v = value as Partial<SandboxState> | null;
  if (
    typeof v !== 'object' ||
    v === null ||
    v.formatVersion !== STATE_FORMAT_VERSION ||
    typeof v.rng?.seed !== 'number' ||
    typeof v.rng.counter !== 'number' ||
    !Array.isArray(v.heroku?.apps) ||
    !Array.isArray(v.heroku.teams) ||
    typeof v.heroku.account?.id !== 'string' ||
    !Array.isArray(v.cloudflare?.zones)
  ) {
    throw new Error(
      `sandbox state ${source} is not a format-${STATE_FORMAT_VERSION} sandbox state; move it away to start afresh`,
    );
  }
  // States saved before a resource existed lack its (empty) collections.
  normalizeHerokuState((v as SandboxState).heroku);
  return v as SandboxState;
}
