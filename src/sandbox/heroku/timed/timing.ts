/**
 * How long Heroku's asynchronous work takes in the sandbox, in milliseconds on the injected clock.
 * Each transition is due at (start + duration) and is applied by clock.ts on the first request
 * (or output-stream poll) at or after that moment, so a test that controls the clock controls the
 * outcome exactly, and a test that sets a duration to 0 sees the work done on its next request.
 * The defaults are short but non-zero, so clients must poll as they must against Heroku.
 */
export interface HerokuTimings {
  /** Data add-ons (heroku-postgresql, heroku-redis): `provisioning` → `provisioned`. */
  readonly addonProvisionMs: number;
  /** A build: `pending` → `succeeded`/`failed`; its output is spread over this time. */
  readonly buildMs: number;
  /**
   * From a release's creation to its `release` command starting: its `output_stream_url` answers
   * 404 this long (Heroku's does until the one-off dyno runs; its CLI retries the 404).
   */
  readonly releaseStartMs: number;
  /** A Procfile `release` command, once started: the release stays `pending` this long more. */
  readonly releasePhaseMs: number;
  /** A pipeline promotion: `pending` → `completed`, targets released. */
  readonly promotionMs: number;
  /** A custom domain's DNS target: `pending` → `succeeded`. */
  readonly domainMs: number;
  /** An ACM check, once the domain succeeded and ACM is on (and between retries while `failing`). */
  readonly acmMs: number;
  /** How long ACM keeps retrying a `failing` domain before it is `failed` (until refreshed). */
  readonly acmFailingMs: number;
  /** A Heroku Postgres transfer (backup, restore): `pending` → `running`. */
  readonly pgTransferStartMs: number;
  /** A transfer without a real database behind it: `running` → `completed` (a real one ends with its job). */
  readonly pgTransferMs: number;
}

export type HerokuTimingOptions = Partial<HerokuTimings>;

export const DEFAULT_HEROKU_TIMINGS: HerokuTimings = {
  addonProvisionMs: 1500,
  buildMs: 3000,
  releaseStartMs: 1000,
  releasePhaseMs: 1500,
  promotionMs: 1000,
  domainMs: 1500,
  acmMs: 3000,
  acmFailingMs: 12_000,
  pgTransferStartMs: 500,
  pgTransferMs: 2000,
};

/** The options merged over the defaults; throws naming the first bad field. */
export function resolveHerokuTimings(options: HerokuTimingOptions = {}): HerokuTimings {
  const known = Object.keys(DEFAULT_HEROKU_TIMINGS);
  for (const [key, value] of Object.entries(options)) {
    if (!known.includes(key)) throw new Error(`unknown Heroku timing option "${key}" (one of ${known.join(', ')})`);
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value) || value < 0))
      throw new Error(`heroku.${key} must be a number >= 0`);
  }
  const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  return { ...DEFAULT_HEROKU_TIMINGS, ...defined };
}
