/**
 * What `status` reports of each environment: read by workflows/status.ts, laid out by
 * render/status.ts. Plain data; every list in a stable order (environments in pipeline order,
 * the rest sorted by name).
 */
export interface StatusReport {
  readonly environments: readonly EnvironmentStatus[];
  /** Each adjacent pair of stages whose current releases run different commits, in pipeline order. */
  readonly comparisons: readonly CommitComparison[];
}

export interface EnvironmentStatus {
  readonly name: string;
  readonly stage: string | undefined;
  readonly app: string;
  /** False when the app does not exist (nothing else is then known). */
  readonly exists: boolean;
  readonly release: CurrentRelease | undefined;
  /** Sorted by process type. */
  readonly formation: readonly { readonly type: string; readonly quantity: number; readonly size: string }[];
  /** Dyno counts by state (`up`, `crashed`, `starting`, …), sorted by state. */
  readonly dynos: readonly { readonly state: string; readonly count: number }[];
  /** Sorted by add-on name. */
  readonly addons: readonly { readonly name: string; readonly plan: string; readonly state: string }[];
  /** Sorted by hostname. */
  readonly domains: readonly DomainState[];
  readonly health: HealthAnswer;
}

export interface CurrentRelease {
  readonly version: number;
  readonly status: string;
  readonly description: string;
  /** The slug's commit; null when the release has no slug or the slug names none. */
  readonly commit: string | null;
  readonly user: string | null;
  readonly createdAt: string | null;
}

export interface DomainState {
  readonly hostname: string;
  /** Where Heroku wants the hostname's DNS to point. */
  readonly target: string | null;
  /** ACM's certificate state; null without ACM. */
  readonly certificate: string | null;
  readonly dns: DnsPointing;
}

/** Whether the hostname's record in a zone app.yaml declares points at the Heroku target. */
export type DnsPointing =
  | { readonly kind: 'points'; readonly content: string }
  | { readonly kind: 'elsewhere'; readonly content: string }
  | { readonly kind: 'missing' }
  /** The hostname is in no zone app.yaml declares: daffeinated cannot see its DNS. */
  | { readonly kind: 'unmanaged' }
  /** The zone's records could not be read (the rest of the status still is). */
  | { readonly kind: 'unreadable'; readonly reason: string };

export type HealthAnswer =
  | { readonly kind: 'not-configured' }
  | { readonly kind: 'skipped'; readonly reason: string }
  | { readonly kind: 'answered'; readonly ok: boolean; readonly url: string; readonly answer: string };

/** How the commit of a later stage relates to the earlier stage's. */
export interface CommitComparison {
  readonly from: string;
  readonly to: string;
  readonly fromCommit: string;
  readonly toCommit: string;
  /**
   * Commits `to` lacks of `from`'s history (git rev-list --count to..from) when the local clone has
   * both; undefined when it cannot tell (only that they differ).
   */
  readonly behind: number | undefined;
}

/** One release as `releases` lists it, newest first. */
export interface ReleaseEntry {
  readonly version: number;
  readonly status: string;
  readonly current: boolean;
  /** What the release did, as Heroku or daffeinated described it (`Deploy 1a2b3c4d`, `Set GREETING config vars`). */
  readonly description: string;
  readonly commit: string | null;
  readonly user: string | null;
  readonly createdAt: string | null;
}
