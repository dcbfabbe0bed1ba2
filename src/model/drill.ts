/**
 * What `dr-drill ENV` reports (workflows/drill.ts builds it, render/drill.ts lays it out): the
 * recovery plan run for real against a throwaway copy of ENV, with what it measured.
 */
export interface DrillReport {
  /** The environment drilled and its app. */
  readonly environment: string;
  readonly app: string;
  /** The throwaway environment the drill created (and tore down). */
  readonly drill: { readonly environment: string; readonly app: string; readonly webUrl: string | null };
  readonly backup: {
    readonly name: string;
    /** When it finished (ISO 8601). */
    readonly finishedAt: string;
    /** Captured by this drill (`--capture`) rather than found. */
    readonly captured: boolean;
  };
  /** Recovery point: the backup's age when the drill started, in whole seconds. */
  readonly rpoSeconds: number;
  /** Recovery time: from the start of creating the environment to a healthy answer (or to the failed check), in milliseconds. */
  readonly rtoMs: number;
  readonly database: {
    /** The drill's database plan (`service:plan`). */
    readonly plan: string;
    /** The restored database's size; null when the API does not say. */
    readonly bytes: number | null;
  };
  /** The release of ENV whose slug the drill runs, and the drill app's release of it. */
  readonly release: { readonly sourceVersion: number; readonly slugId: string; readonly drillVersion: number };
  readonly health: DrillHealth;
  /** Time each step took, in milliseconds, in the order run. */
  readonly steps: readonly { readonly step: DrillStep; readonly ms: number }[];
  /** What the drill environment costs while it exists, from the price lists. */
  readonly cost: DrillCost;
  /** Addresses the teardown deleted, add-ons first; the leftover of an earlier run's removed first, if any. */
  readonly teardown: { readonly deleted: readonly string[]; readonly leftoverRemoved: readonly string[] };
  /** Recovered: restored, released and healthy (or the health check could not run here, and why is said). */
  readonly outcome: 'recovered' | 'unhealthy';
}

export type DrillStep = 'leftover' | 'capture' | 'create' | 'restore' | 'release' | 'health' | 'teardown';

export type DrillHealth =
  | { readonly kind: 'not-configured' }
  | { readonly kind: 'skipped'; readonly reason: string }
  | { readonly kind: 'passed'; readonly url: string; readonly answer: string }
  | { readonly kind: 'failed'; readonly url: string; readonly answer: string };

export interface DrillCost {
  /** The drill environment's dynos and add-ons at their monthly prices, sorted by address. */
  readonly lines: readonly { readonly address: string; readonly what: string; readonly cents: number }[];
  readonly monthlyCents: number;
  /** Heroku prorates by the second up to the monthly price (a month counted as 720 hours): an hour of the drill. */
  readonly hourlyCents: number;
  /** What the price lists could not price, with why. */
  readonly unpriced: readonly { readonly address: string; readonly reason: string }[];
}

/** Hours in the month Heroku prorates monthly prices over. */
export const HOURS_PER_MONTH = 720;
