import { json } from '../../http.js';
import type { AccountRecord } from '../model/state.js';
import type { HerokuContext, HerokuRouter } from '../protocol/context.js';
import { notFound } from '../protocol/errors.js';

export function accountJson(account: AccountRecord): Record<string, unknown> {
  return {
    allow_tracking: true,
    beta: false,
    country_of_residence: null,
    created_at: account.createdAt,
    default_organization: null,
    default_team: null,
    delinquent_at: null,
    email: account.email,
    federated: false,
    id: account.id,
    identity_provider: null,
    last_login: account.createdAt,
    name: account.name,
    sms_number: null,
    suspended_at: null,
    two_factor_authentication: false,
    updated_at: account.updatedAt,
    verified: true,
  };
}

export function registerAccount(router: HerokuRouter): void {
  router.add('GET', '/account', { handler: (ctx) => json(200, accountJson(ctx.world.state.heroku.account)) });
  // The official CLI's `pipelines:create` reads its owner this way (heroku/cli src/lib/api.ts
  // `getAccountInfo`, `GET /users/~`); the sandbox's one account answers to `~`, its id and email.
  router.add('GET', '/users/:account', { handler: (ctx) => json(200, accountJson(accountOf(ctx))) });
  // Free: reading the limit does not spend a token (Platform API reference).
  router.add('GET', '/account/rate-limits', {
    free: true,
    handler: (ctx) => json(200, { remaining: ctx.rateLimiter.remaining(ctx.token) }),
  });
}

/** The account `:account` names: `~` (the caller), or the sandbox account's id or email; else 404. */
export function accountOf(ctx: HerokuContext): AccountRecord {
  const account = ctx.world.state.heroku.account;
  const who = ctx.params['account'] as string;
  if (who !== '~' && who !== account.id && who !== account.email) throw notFound('user');
  return account;
}
