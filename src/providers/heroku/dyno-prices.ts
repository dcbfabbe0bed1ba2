/**
 * Monthly prices (cents) of Cedar dyno sizes, for sizes whose `GET /dyno-sizes` entry has no
 * `cost` (the schema types it `["null","object"]`). Source: heroku/cli `src/commands/ps/type.ts`
 * (`COST_MONTHLY`, USD per month), matching https://www.heroku.com/pricing. Private and Shield
 * sizes are priced by contract and stay unpriced.
 */
export const FALLBACK_DYNO_CENTS: ReadonlyMap<string, number> = new Map([
  ['eco', 0],
  ['basic', 700],
  ['standard-1x', 2500],
  ['standard-2x', 5000],
  ['performance-m', 25000],
  ['performance-l', 50000],
  ['performance-l-ram', 50000],
  ['performance-xl', 75000],
  ['performance-2xl', 150000],
]);

/**
 * Eco dynos cost nothing each: the account pays a flat $5 a month for a pool of 1,000 dyno hours
 * shared by all its Eco dynos (Dev Center "Eco Dyno Hours"), whatever the quantity.
 */
export const ECO_NOTE = 'Eco: flat $5/month per account, shared by all its Eco dynos';
