import { json } from '../../http.js';
import type { AccountRecord } from '../model/state.js';
import type { HerokuRouter } from '../protocol/context.js';

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
  // Free: reading the limit does not spend a token (Platform API reference).
  router.add('GET', '/account/rate-limits', {
    free: true,
    handler: (ctx) => json(200, { remaining: ctx.rateLimiter.remaining(ctx.token) }),
  });
}
