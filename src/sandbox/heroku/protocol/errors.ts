import type { Reply } from '../../http.js';

/**
 * A Heroku API error: HTTP status plus the `{id, message}` body every Heroku error has. Extra
 * fields (e.g. `resource` on not_found) are merged into the body as the real API does.
 */
export class HerokuError extends Error {
  constructor(
    readonly status: number,
    readonly id: string,
    message: string,
    readonly extra: Readonly<Record<string, unknown>> = {},
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }

  toReply(): Reply {
    return { status: this.status, body: { id: this.id, message: this.message, ...this.extra }, headers: this.headers };
  }
}

/** 404 in Heroku's wording: `Couldn't find that app.` */
export function notFound(resource: string, detail?: string): HerokuError {
  const message =
    detail === undefined ? `Couldn't find that ${resource}.` : `Couldn't find that ${resource} (${detail}).`;
  return new HerokuError(404, 'not_found', message, { resource: resource.replace(/ /g, '_') });
}

export function invalidParams(message: string): HerokuError {
  return new HerokuError(422, 'invalid_params', message);
}

export const ROUTE_NOT_FOUND =
  'The requested API endpoint was not found. Are you using the right HTTP verb (i.e. `GET` vs. `POST`), and did you specify your intended version with the `Accept` header?';
