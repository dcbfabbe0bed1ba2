/**
 * Heroku PGBackups per Postgres plan: whether a database can have a backup schedule and how many
 * backups Heroku keeps. The one table daffeinated's plan-time check (providers/heroku/desired-
 * backups.ts) and the sandbox's Postgres API (sandbox/heroku/pg) both read. Plain data.
 *
 * Sources (docs/SANDBOX.md, "Heroku Postgres backups"): Dev Center "Choosing the Right Heroku
 * Postgres Plan" (2024: every tier — Essential, Standard, Premium, Private, Shield — includes
 * "daily logical database backups with PG Backups"); Dev Center "Heroku PGBackups", scheduled
 * backups retention (quoted in codeforamerica/intake#609: 7 daily backups on every plan; weekly
 * 1 on the entry tier, 4 on Standard, 8 on Premium and above; monthly 12 on Premium and above);
 * manual backups kept: 5 on the entry tier (RefugeRestrooms/refugerestrooms#319, hobby-basic),
 * 25 on Standard (ZcashFoundation/zcash-grant-system#143, ossf/best-practices-badge#237), 50 on
 * Premium and above (Dev Center table, unverified here). The legacy `dev` plan had no automatic
 * backups (2012 Heroku notice); plans of tiers not listed (e.g. `advanced`, which is sized by
 * configuration) are not known to take schedules, so daffeinated refuses them rather than guess.
 */
export interface PostgresBackupFacts {
  readonly schedules: boolean;
  /** Manual backups kept; the oldest goes when a capture passes it. */
  readonly manualKept: number;
  readonly dailyKept: number;
  readonly weeklyKept: number;
  readonly monthlyKept: number;
}

const ENTRY: PostgresBackupFacts = { schedules: true, manualKept: 5, dailyKept: 7, weeklyKept: 1, monthlyKept: 0 };
const STANDARD: PostgresBackupFacts = { schedules: true, manualKept: 25, dailyKept: 7, weeklyKept: 4, monthlyKept: 0 };
const PREMIUM: PostgresBackupFacts = { schedules: true, manualKept: 50, dailyKept: 7, weeklyKept: 8, monthlyKept: 12 };

/** Plan name prefixes (after `heroku-postgresql:`) by tier; `hobby`, `mini`, `basic` are the entry tier's older names. */
const TIERS: readonly (readonly [RegExp, PostgresBackupFacts])[] = [
  [/^(essential|hobby|mini$|basic$)/, ENTRY],
  [/^standard-/, STANDARD],
  [/^(premium|private|shield)-/, PREMIUM],
];

/**
 * The facts of a `heroku-postgresql:<plan>` plan (either the full name or the plan part);
 * undefined for a plan of no tier known to take backup schedules.
 */
export function postgresBackupFacts(plan: string): PostgresBackupFacts | undefined {
  const name = plan.toLowerCase().replace(/^heroku-postgresql:/, '');
  return TIERS.find(([pattern]) => pattern.test(name))?.[1];
}

/** The Postgres tiers that take schedules, for messages. */
export const SCHEDULED_BACKUP_TIERS = 'essential, standard, premium, private and shield';
