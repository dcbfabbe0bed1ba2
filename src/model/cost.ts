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

/** A budget app.yaml declares against what the plan leaves running. */
export interface BudgetCheck {
  /** The environment whose budget it is; undefined for the top-level budget of all environments. */
  readonly environment: string | undefined;
  readonly budgetCents: number;
  /** What runs now costs a month. */
  readonly nowCents: number;
  /** What it will cost once the plan is applied (now plus the plan's priced changes). */
  readonly afterCents: number;
  /** Changes the price data cannot price: `afterCents` leaves them out. */
  readonly unpriced: number;
}
