/**
 * What `cost` reports: the monthly cost of what runs now, per environment and in total, read by
 * workflows/cost.ts and laid out by render/cost-report.ts. Amounts in US cents a month.
 */
export interface CostReport {
  /** In pipeline order. */
  readonly environments: readonly EnvironmentCost[];
  /** Sum of the environments' `totalCents` (unpriced items excluded). */
  readonly totalCents: number;
}

export interface EnvironmentCost {
  readonly name: string;
  readonly app: string;
  /** Dyno formations, add-ons and (for the zone's owner environment) Cloudflare zone plans; sorted by address. */
  readonly lines: readonly CostItem[];
  /** Things that run but have no price in the API's data, with why. */
  readonly unpriced: readonly { readonly address: string; readonly reason: string }[];
  readonly totalCents: number;
}

export interface CostItem {
  readonly address: string;
  /** What is priced: `2 × standard-2x`, `heroku-postgresql:standard-0`, `pro plan`. */
  readonly what: string;
  readonly cents: number;
}
