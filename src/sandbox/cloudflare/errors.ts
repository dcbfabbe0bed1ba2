import type { Reply } from '../http.js';

/**
 * Cloudflare's v4 envelope and errors. Every answer is
 * `{success, errors: [{code, message, error_chain?, source?}], messages, result, result_info?}`;
 * failures carry `result: null` and a 4xx/5xx status (reference/cloudflare-api.md §2).
 */
export interface ErrorEntry {
  readonly code: number;
  readonly message: string;
  readonly error_chain?: readonly ErrorEntry[];
  /** JSON pointer into the request body (batch items, ruleset rules). */
  readonly source?: { readonly pointer: string };
}

export class CloudflareError extends Error {
  readonly errors: readonly ErrorEntry[];

  constructor(
    readonly status: number,
    errors: ErrorEntry | readonly ErrorEntry[],
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    const list: readonly ErrorEntry[] = Array.isArray(errors) ? errors : [errors as ErrorEntry];
    super(list.map((e) => `${e.message} (${e.code})`).join('; '));
    this.errors = list;
  }

  toReply(): Reply {
    return { status: this.status, body: failureBody(this.errors), headers: this.headers };
  }

  /** The same errors with `pointer` prefixed to each source pointer (a batch item's position). */
  at(pointer: string): CloudflareError {
    const errors = this.errors.map((e) => ({ ...e, source: { pointer: `${pointer}${e.source?.pointer ?? ''}` } }));
    return new CloudflareError(this.status, errors, this.headers);
  }
}

export function failureBody(errors: readonly ErrorEntry[]): Record<string, unknown> {
  return { success: false, errors, messages: [], result: null };
}

/** Page counts of a paged listing. */
export interface ResultInfo {
  readonly page: number;
  readonly per_page: number;
  readonly count: number;
  readonly total_count: number;
  readonly total_pages: number;
}

/** A successful answer: 200 with the envelope around `result`. */
export function ok(result: unknown, resultInfo?: ResultInfo | { readonly cursor?: string }): Reply {
  const body: Record<string, unknown> = { success: true, errors: [], messages: [], result };
  if (resultInfo !== undefined) body['result_info'] = resultInfo;
  return { status: 200, body };
}

export const ROUTE_NOT_FOUND: ErrorEntry = { code: 7000, message: 'No route for that URI' };

/** 400 for an identifier that cannot be one (both errors, as the API sends them). */
export function invalidIdentifier(path: string): CloudflareError {
  return new CloudflareError(400, [
    { code: 7003, message: `Could not route to ${path}, perhaps your object identifier is invalid?` },
    ROUTE_NOT_FOUND,
  ]);
}

/** 404 for a well-formed identifier of nothing the caller can see. */
export function unknownObject(path: string): CloudflareError {
  return new CloudflareError(404, {
    code: 7003,
    message: `Could not route to ${path}, perhaps your object identifier is invalid?`,
  });
}

/** A bad query parameter or request shape (code 1004, the API's generic validation code). */
export function invalidRequest(message: string, status = 400): CloudflareError {
  return new CloudflareError(status, { code: 1004, message });
}

export const HEX32 = /^[0-9a-f]{32}$/;
