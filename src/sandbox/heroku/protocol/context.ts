import type { IncomingHttpHeaders } from 'node:http';
import type { Reply } from '../../http.js';
import type { Params, Router } from '../../router.js';
import type { World } from '../../world.js';
import type { RateLimiter } from './rate-limit.js';

/** What a Heroku route handler receives; the protocol checks (Accept, auth, rate limit) are done. */
export interface HerokuContext {
  readonly world: World;
  readonly params: Params;
  /** Parsed JSON body, `undefined` when the request had none. */
  readonly body: unknown;
  /** The `Range` header, for list endpoints. */
  readonly range: string | undefined;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  /** Where the client reached the sandbox (`http://127.0.0.1:5000`), for the URLs it hands out. */
  readonly baseUrl: string;
  readonly token: string;
  readonly rateLimiter: RateLimiter;
}

export interface HerokuRoute {
  readonly handler: (ctx: HerokuContext) => Reply;
  /** Costs no rate-limit token (only `GET /account/rate-limits`). */
  readonly free?: boolean;
}

export type HerokuRouter = Router<HerokuRoute>;
