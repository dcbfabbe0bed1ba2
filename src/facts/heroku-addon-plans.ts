/**
 * Add-on plan facts a disaster-recovery drill needs to pick the cheapest plans for a throwaway
 * copy of an environment (workflows/drill-environment.ts). Plain data, importing nothing.
 *
 * Postgres storage limits per plan, cheapest first: Heroku Dev Center "Choosing the Right Heroku
 * Postgres Plan" (devcenter.heroku.com/articles/heroku-postgres-plans), Essential and Standard
 * tiers. Plans beyond the last row are not picked: the drill then uses the environment's own plan.
 */
export const POSTGRES_PLANS_BY_STORAGE: readonly { readonly plan: string; readonly bytes: number }[] = [
  { plan: 'heroku-postgresql:essential-0', bytes: 1 * 2 ** 30 },
  { plan: 'heroku-postgresql:essential-1', bytes: 10 * 2 ** 30 },
  { plan: 'heroku-postgresql:essential-2', bytes: 32 * 2 ** 30 },
  { plan: 'heroku-postgresql:standard-0', bytes: 64 * 2 ** 30 },
  { plan: 'heroku-postgresql:standard-2', bytes: 256 * 2 ** 30 },
  { plan: 'heroku-postgresql:standard-3', bytes: 512 * 2 ** 30 },
  { plan: 'heroku-postgresql:standard-4', bytes: 768 * 2 ** 30 },
  { plan: 'heroku-postgresql:standard-5', bytes: 1024 * 2 ** 30 },
];

/**
 * The cheapest plan of services whose data a drill does not restore (it starts empty), from each
 * service's Elements marketplace page: Heroku Key-Value Store `mini`, New Relic `wayne` (free),
 * Heroku Scheduler `standard` (its only plan). Other services keep the environment's own plan.
 */
export const CHEAPEST_PLAN: Readonly<Record<string, string>> = {
  'heroku-redis': 'heroku-redis:mini',
  newrelic: 'newrelic:wayne',
  scheduler: 'scheduler:standard',
};
