import { AuthError, assertNever, ConflictError, NotFoundError, ProviderError, RateLimitedError } from '../../runtime/errors.js';
import type { FailureClass } from '../../runtime/retry.js';

/** One entry of a Cloudflare envelope's `errors[]`. */
export interface ApiErrorEntry {
  readonly code?: number;
  readonly message?: string;
  readonly error_chain?: readonly ApiErrorEntry[];
}

/**
 * What client.ts learns from a failed request, independent of the SDK's classes:
 * - `http`: a 4xx/5xx response (the SDK's APIError subclasses);
 * - `envelope`: a 2xx response whose body says `success: false` (the SDK would resolve to null);
 * - `network`: no response at all (connection refused or reset, timeout);
 * - `local`: the SDK refused before sending anything.
 */
export interface ApiFailure {
  readonly kind: 'http' | 'envelope' | 'network' | 'local';
  readonly status: number | undefined;
  readonly errors: readonly ApiErrorEntry[];
  /** Cloudflare's `cf-ray` response header. */
  readonly requestId: string | undefined;
  readonly retryAfterMs: number | undefined;
  /** For `network` and `local`: what went wrong. */
  readonly detail?: string;
}

/** Error codes meaning "a record like this already exists" (reference/cloudflare-api.md §2). */
export const RECORD_EXISTS_CODES: readonly number[] = [81053, 81054, 81057, 81058];
/** Code of the 404 for a phase that has no entrypoint ruleset yet. */
export const NO_ENTRYPOINT_CODE = 10003;

/** The token permission each kind of request needs, for error hints. */
export const PERMISSION = {
  zone: 'Zone › Zone › Read',
  dnsRead: 'Zone › DNS › Read',
  dnsWrite: 'Zone › DNS › Edit',
  settingsRead: 'Zone › Zone Settings › Read',
  settingsWrite: 'Zone › Zone Settings › Edit',
  waf: 'Zone › Zone WAF › Edit',
  cacheRules: 'Zone › Cache Rules › Edit',
  cachePurge: 'Zone › Cache Purge › Purge',
} as const;

/**
 * Going over the API limit (1,200 requests per 5 minutes per token) blocks "all API calls for the
 * next five minutes" (developers.cloudflare.com/fundamentals/api/reference/limits/): the longest
 * 429 worth waiting out, and the wait when a 429 has no Retry-After.
 */
export const CLOUDFLARE_BLOCK_MS = 300_000;
const DEFAULT_RETRY_AFTER_MS = CLOUDFLARE_BLOCK_MS;
/** Marks `errors[]` entries client.ts makes for a body that is no usable answer (`badBody`). */
const UNEXPECTED = 'unexpected response: ';

/** An `errors[]` entry saying what was wrong with a response body (not JSON, cut short, a field missing). */
export function badBody(problem: string): ApiErrorEntry {
  return { message: `${UNEXPECTED}${problem}` };
}
const classes = new WeakMap<ProviderError, FailureClass>();

/**
 * Turns a failure into the ProviderError subclass users see, exactly once: 401 and 403 (and
 * Cloudflare's auth codes) → AuthError naming the token permission `permission`; 404 →
 * NotFoundError; 409 and "already exists" codes → ConflictError; 429 → RateLimitedError; other
 * statuses, `success: false` bodies and network failures → ProviderError. The retry class is
 * remembered for `classifyCloudflareError`.
 */
export function toProviderError(failure: ApiFailure, what: string, permission: string, cause?: unknown, url?: string): ProviderError {
  const first = failure.errors[0];
  const apiCode = first?.code === undefined ? (failure.kind === 'network' ? 'network error' : undefined) : String(first.code);
  const details = {
    ...(failure.status === undefined ? {} : { status: failure.status }),
    ...(failure.requestId === undefined ? {} : { requestId: failure.requestId }),
    ...(apiCode === undefined ? {} : { apiCode }),
    ...(cause === undefined ? {} : { cause }),
    ...(url === undefined ? {} : { url }),
  };
  const error = build(failure, what, permission, details);
  classes.set(error, classify(failure));
  return error;
}

type Details = { status?: number; requestId?: string; apiCode?: string; cause?: unknown; url?: string };

function build(failure: ApiFailure, what: string, permission: string, details: Details): ProviderError {
  const said = describeEntries(failure.errors);
  switch (failure.kind) {
    case 'network':
      return new ProviderError('cloudflare', `Could not reach the Cloudflare API for ${what}: ${failure.detail ?? 'no response'}`, {
        ...details,
        hint: 'Check the network and the API URL, then run the command again.',
      });
    case 'local':
      return new ProviderError('cloudflare', `The Cloudflare SDK refused ${what}: ${failure.detail ?? 'invalid request'}`, details);
    case 'envelope':
      if (said.startsWith(UNEXPECTED)) {
        return new ProviderError('cloudflare', `Cloudflare answered ${what} with an unexpected body: ${said.slice(UNEXPECTED.length)}`, {
          ...details,
          apiCode: 'unexpected_body',
          hint: 'The API or a proxy in between returned something daffeinated does not understand; nothing was changed because of it. Run the command again, and check www.cloudflarestatus.com if it persists.',
        });
      }
      return new ProviderError('cloudflare', `Cloudflare answered ${what} with success: false${said ? `: ${said}` : ''}`, {
        ...details,
        hint: 'The request was not carried out; run the command again, and check www.cloudflarestatus.com if it persists.',
      });
    case 'http':
      return fromStatus(failure, `Cloudflare rejected ${what}: ${said || `HTTP ${failure.status}${failure.detail ? ` (${failure.detail})` : ''}`}`, permission, details);
    default:
      return assertNever(failure.kind, 'failure kind');
  }
}

function fromStatus(failure: ApiFailure, message: string, permission: string, details: Details): ProviderError {
  const codes = failure.errors.map((e) => e.code);
  const status = failure.status ?? 0;
  if (status === 401) {
    return new AuthError('cloudflare', message, {
      ...details,
      hint: 'Set CLOUDFLARE_API_TOKEN to a valid API token (Cloudflare dashboard › My Profile › API Tokens).',
    });
  }
  if (status === 403 || codes.includes(9109) || codes.includes(10000)) {
    return new AuthError('cloudflare', message, {
      ...details,
      hint: `The API token lacks a permission or this zone: give it ${permission} for the zone.`,
    });
  }
  if (status === 404) return new NotFoundError('cloudflare', message, details);
  if (status === 409 || codes.some((code) => code !== undefined && RECORD_EXISTS_CODES.includes(code))) {
    return new ConflictError('cloudflare', message, {
      ...details,
      hint: 'A record of that name exists and daffeinated does not manage it: declare it in app.yaml to adopt it, or remove it in Cloudflare.',
    });
  }
  if (status === 429) {
    return new RateLimitedError('cloudflare', message, {
      ...details,
      hint: 'Cloudflare allows 1,200 API requests per 5 minutes per token; wait a few minutes and run again.',
    });
  }
  return new ProviderError('cloudflare', message, details);
}

/** `message (code)` for each entry, with its error chain; empty when there is none. */
function describeEntries(entries: readonly ApiErrorEntry[]): string {
  return entries
    .map((entry) => {
      const own = entry.code === undefined ? (entry.message ?? '') : `${entry.message ?? 'error'} (${entry.code})`;
      const chain = describeEntries(entry.error_chain ?? []);
      return chain ? `${own}: ${chain}` : own;
    })
    .filter((text) => text !== '')
    .join('; ');
}

function classify(failure: ApiFailure): FailureClass {
  switch (failure.kind) {
    case 'network':
      return { kind: 'transient' };
    case 'local':
    case 'envelope':
      return { kind: 'fatal' };
    case 'http':
      if (failure.status === 429) return { kind: 'rate-limited', retryAfterMs: failure.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS };
      return failure.status !== undefined && failure.status >= 500 ? { kind: 'transient' } : { kind: 'fatal' };
    default:
      return assertNever(failure.kind, 'failure kind');
  }
}

/**
 * How the one retry layer treats an error: 429 waits out Retry-After for any request (Cloudflare
 * refused before doing anything); 5xx and network failures are `transient` (resent only when the
 * request is idempotent); everything else — including errors not made by `toProviderError` — is fatal.
 */
export function classifyCloudflareError(error: unknown): FailureClass {
  return error instanceof ProviderError ? (classes.get(error) ?? { kind: 'fatal' }) : { kind: 'fatal' };
}

/** Whether a failure leaves it unknown if the request took effect (a 5xx or no response). */
export function isAmbiguous(error: unknown): boolean {
  return classifyCloudflareError(error).kind === 'transient';
}

/** Whether an error carries one of `codes` as its API code. */
export function hasCode(error: unknown, codes: readonly number[]): boolean {
  return error instanceof ProviderError && error.apiCode !== undefined && codes.includes(Number(error.apiCode));
}
