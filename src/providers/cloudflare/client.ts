import type { APIPromise } from 'cloudflare/core/api-promise';
import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'cloudflare/core/error';
import { BaseCache, type CachePurgeParams } from 'cloudflare/resources/cache/cache';
import { BaseRecords, type RecordBatchParams } from 'cloudflare/resources/dns/records';
import { BasePhases, type PhaseUpdateParams } from 'cloudflare/resources/rulesets/phases/phases';
import { BaseSettings } from 'cloudflare/resources/zones/settings';
import { BaseZones } from 'cloudflare/resources/zones/zones';
import { createClient } from 'cloudflare/tree-shakable';
import { budgetSpent, waitTooLong } from '../../runtime/budget.js';
import { errorShows, NotFoundError, ProviderError, scrubSecrets } from '../../runtime/errors.js';
import { createLimiter, type Limiter } from '../../runtime/limit.js';
import { WindowPacer } from '../../runtime/pacing.js';
import { parseWindowHeaders } from '../../runtime/ratelimit-headers.js';
import type { ClientHooks } from '../../runtime/transport.js';
import { DEFAULT_RETRY_POLICY, parseRetryAfter, withRetry } from '../../runtime/retry.js';
import { type Shape, shapeProblem } from '../../runtime/shape.js';
import type { ApiBatch, ApiPurge, ApiRecord, ApiRule, ApiRuleset, ApiSetting, ApiZone } from './api-types.js';
import type { RulesetPhase } from './desired.js';
import {
  type ApiErrorEntry,
  type ApiFailure,
  badBody,
  CLOUDFLARE_BLOCK_MS,
  classifyCloudflareError,
  hasCode,
  NO_ENTRYPOINT_CODE,
  PERMISSION,
  toProviderError,
} from './errors.js';
import { inspectEnvelope } from './envelope.js';
import { PHASE, PURGED, RECORD_PAGE, SETTING, SETTINGS, ZONE_PAGE } from './shapes.js';

export type { HttpLogEntry } from '../../runtime/transport.js';

/** Cache rules need their own token permission (developers.cloudflare.com/cache/how-to/cache-rules/create-api). */
const phasePermission = (phase: RulesetPhase): string =>
  phase === 'http_request_cache_settings' ? PERMISSION.cacheRules : PERMISSION.waf;

/**
 * Concurrency defaults to 6. `timeoutMs` (default 60 s) is the deadline of each exchange, headers
 * and whole body (the body is read inside the SDK's timeout, envelope.ts): Cloudflare's edge gives
 * an answer up to 100 s, and a DNS batch of thousands of records takes longer than a Heroku read.
 */
export interface CloudflareClientOptions extends ClientHooks {
  /** API base URL: `https://api.cloudflare.com/client/v4`, or a sandbox's `http://127.0.0.1:PORT/client/v4`. */
  readonly baseUrl: string;
  readonly apiToken: string;
  /** Records per DNS listing page (default `DNS_PAGE_MAX`; the API may return fewer per page, which is followed). */
  readonly dnsPageSize?: number;
}

interface Request {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH';
  readonly path: string;
  /** Whether resending after a 5xx or a lost connection is safe. */
  readonly idempotent: boolean;
  readonly permission: string;
  /** What the response envelope must look like (shapes.ts). */
  readonly shape?: Shape<unknown>;
}

type FetchInput = Parameters<typeof globalThis.fetch>[0];

/**
 * The SDK's resources this client calls, and only those: `createClient` builds the base client
 * with them alone, so the build's bundle of this file (scripts/bundle-packages.mjs) holds a
 * small part of the SDK instead of its ~1,100 modules, the bulk of a zone command's start.
 */
const RESOURCES = [BaseZones, BaseSettings, BaseRecords, BasePhases, BaseCache] as const;
type Cloudflare = ReturnType<typeof createClient<typeof RESOURCES>>;

type ResultInfo = { readonly per_page?: number; readonly total_count?: number; readonly total_pages?: number };

/**
 * `per_page` of `GET /zones/{id}/dns_records`. The 2024 schema allows up to 5,000,000, but the
 * documented maximum was 100 until 2020 and 5,000 after, and nothing says the API serves pages
 * anywhere near the schema's figure: a page size it refuses would break every read. 5,000 is the
 * largest page known to be served; a larger zone costs one more round (pages 2… go at once).
 */
export const DNS_PAGE_MAX = 5_000;

interface RecordPage {
  readonly items: ApiRecord[];
  readonly info: ResultInfo;
}

/**
 * Requests in flight at once. A zone's read sends its requests together, 7 for the reference config
 * (records, settings, SSL mode, four ruleset phases): 8 carries them in one round with room for the
 * next zone's lookup, where 6 left the seventh a round of its own. Cloudflare documents no limit on
 * concurrent requests, only rates (developers.cloudflare.com/fundamentals/api/reference/limits):
 * 1,200 per 5 minutes per token, which the pacer keeps to (runtime/pacing.ts), and 200 a second
 * per IP, which 8 in flight reach only if answers take under 40 ms.
 */
const DEFAULT_CONCURRENCY = 8;

/**
 * The only importer of the `cloudflare` SDK. Configures it so nothing implicit happens — explicit
 * token, `apiKey`/`apiEmail`/`userServiceKey` null (so CLOUDFLARE_API_KEY and friends in the
 * environment are never sent), `maxRetries: 0` (runtime/retry.ts is the one retry layer), SDK
 * logging off — and adds what it lacks: a fetch hook that paces requests and sees every envelope
 * (envelope.ts: `success: false` and bodies that are no envelope fail instead of resolving to
 * null); result shapes checked (shapes.ts); the `cf-ray` of every exchange; error translation
 * (errors.ts); bounded concurrency; DNS listing that stops on `total_pages` instead of the SDK's
 * extra empty page; the bulk settings calls the SDK does not wrap; zones looked up once.
 *
 * Connections are fetch's (undici's) keep-alive pool: idle ones close after 4 s, or after a
 * server's `Keep-Alive: timeout=N` less 2 s. A request written to a pooled connection the server
 * closes at that moment fails with "other side closed" whatever its method: undici resends
 * nothing and does not say the connection was reused, and the SDK would resend every connection
 * failure, POSTs included (its default `maxRetries` is 2). Here it is a lost connection for the
 * retry layer: idempotent requests are resent after its backoff, the DNS batch never (dns-apply.ts
 * re-reads instead). Unlike Heroku's client (connections.ts) there is no resend at once on a new
 * connection: nothing tells a stale connection from any other lost one.
 */
export class CloudflareClient {
  private readonly cf: Cloudflare;
  private readonly limiter: Limiter;
  private readonly options: CloudflareClientOptions;
  private readonly zones = new Map<string, Promise<ApiZone>>();
  /** Per 2xx response (as the SDK sees it), `inspectEnvelope`'s findings: shapes are checked on the envelope as sent. */
  private readonly envelopes = new WeakMap<Response, { readonly body?: unknown; readonly errors?: readonly ApiErrorEntry[] }>();
  private readonly pacer: WindowPacer;

  constructor(options: CloudflareClientOptions) {
    this.options = options;
    this.limiter = createLimiter(options.concurrency ?? DEFAULT_CONCURRENCY);
    this.pacer = new WindowPacer({
      ...(options.sleep === undefined ? {} : { sleep: options.sleep }),
      ...(options.now === undefined ? {} : { now: () => (options.now as () => Date)().getTime() }),
      ...(options.onPace === undefined ? {} : { onWait: options.onPace }),
    });
    this.cf = createClient({
      resources: RESOURCES,
      baseURL: options.baseUrl,
      apiToken: options.apiToken,
      apiKey: null,
      apiEmail: null,
      userServiceKey: null,
      maxRetries: 0,
      timeout: options.timeoutMs ?? 60_000,
      logLevel: 'off',
      fetch: (input, init) => this.inspectingFetch(input as FetchInput, init as RequestInit | undefined),
    });
  }

  /** The zone called `name` (`GET /zones?name=`), looked up once; NotFoundError naming the token scope when absent. */
  findZone(name: string): Promise<ApiZone> {
    const known = this.zones.get(name);
    if (known !== undefined) return known;
    const lookup = this.lookupZone(name);
    this.zones.set(name, lookup);
    lookup.catch(() => this.zones.delete(name));
    return lookup;
  }

  private async lookupZone(name: string): Promise<ApiZone> {
    const request = { method: 'GET', path: `/zones?name=${name}`, idempotent: true, permission: PERMISSION.zone, shape: ZONE_PAGE } as const;
    const page = await this.call(request, (cf) => cf.zones.list({ name, per_page: 50 }));
    const matches = (page.result as ApiZone[]).filter((zone) => zone.name.toLowerCase() === name);
    const zone = matches.find((z) => z.status === 'active') ?? matches[0];
    if (zone !== undefined) {
      // Not shape-checked (ZONE_PAGE): a plan that is missing or odd reads as unknown.
      const raw = (zone as { plan?: Record<string, unknown> | null }).plan ?? {};
      const text = (key: string): string | undefined => (typeof raw[key] === 'string' ? raw[key] : undefined);
      const [legacyId, planName, currency, frequency] = ['legacy_id', 'name', 'currency', 'frequency'].map(text);
      const plan: NonNullable<ApiZone['plan']> = {
        ...(legacyId === undefined ? {} : { legacy_id: legacyId }),
        ...(planName === undefined ? {} : { name: planName }),
        ...(currency === undefined ? {} : { currency }),
        ...(frequency === undefined ? {} : { frequency }),
        ...(typeof raw['price'] === 'number' ? { price: raw['price'] } : {}),
      };
      return {
        id: zone.id,
        name: zone.name,
        ...(zone.status === undefined ? {} : { status: zone.status }),
        ...(typeof plan.legacy_id === 'string' ? { plan } : {}),
        ...(typeof zone.created_on === 'string' ? { created_on: zone.created_on } : {}),
      };
    }
    const permissions = `${PERMISSION.zone}, ${PERMISSION.dnsWrite}, ${PERMISSION.settingsWrite} and ${PERMISSION.waf}`;
    throw new NotFoundError('cloudflare', `The Cloudflare zone ${name} does not exist or the API token cannot see it`, {
      hint: `Add ${name} to the Cloudflare account (or fix cloudflare.zones in app.yaml); CLOUDFLARE_API_TOKEN needs ${permissions} for it.`,
    });
  }

  /**
   * Every DNS record of a zone, in page order. The first page says how many there are
   * (`total_pages`); the rest are then fetched at once (within the concurrency limit). Without
   * `total_pages`, pages follow one another until `total_count` is reached or a page is short or empty.
   */
  async listRecords(zoneId: string): Promise<ApiRecord[]> {
    const perPage = this.options.dnsPageSize ?? DNS_PAGE_MAX;
    const first = await this.recordPage(zoneId, 1, perPage);
    if (first.items.length === 0) return first.items;
    if (first.info.total_pages !== undefined) {
      const rest = Array.from({ length: Math.max(0, first.info.total_pages - 1) }, (_, i) => this.recordPage(zoneId, i + 2, perPage));
      return [first, ...(await Promise.all(rest))].flatMap((page) => page.items);
    }
    const records = [...first.items];
    const done = ({ items, info }: RecordPage) => (info.total_count !== undefined ? records.length >= info.total_count : items.length < (info.per_page ?? perPage));
    for (let page = 2, last = first; !done(last); page++) {
      last = await this.recordPage(zoneId, page, perPage);
      if (last.items.length === 0) break;
      records.push(...last.items);
    }
    return records;
  }

  private async recordPage(zoneId: string, page: number, perPage: number): Promise<RecordPage> {
    const path = `/zones/${zoneId}/dns_records?page=${page}&per_page=${perPage}`;
    const request = { method: 'GET', path, idempotent: true, permission: PERMISSION.dnsRead, shape: RECORD_PAGE } as const;
    const listing = await this.call(request, (cf) => cf.dns.records.list({ zone_id: zoneId, page, per_page: perPage }));
    return { items: listing.result as unknown as ApiRecord[], info: (listing.result_info ?? {}) as ResultInfo };
  }

  /**
   * One `POST /zones/{id}/dns_records/batch` (deletes → patches → puts → posts, all or nothing).
   * Never resent after a 5xx or a lost connection: the caller re-reads and reconciles.
   */
  async batchRecords(zoneId: string, batch: ApiBatch): Promise<void> {
    const body = Object.fromEntries(Object.entries(batch).filter(([, items]) => (items as unknown[]).length > 0));
    const request = { method: 'POST', path: `/zones/${zoneId}/dns_records/batch`, idempotent: false, permission: PERMISSION.dnsWrite } as const;
    await this.call(request, (cf) => cf.dns.records.batch({ zone_id: zoneId, ...body } as RecordBatchParams));
  }

  /** `GET /zones/{id}/settings`: every setting of the zone in one request. */
  async getSettings(zoneId: string): Promise<ApiSetting[]> {
    const request = { method: 'GET', path: `/zones/${zoneId}/settings`, idempotent: true, permission: PERMISSION.settingsRead, shape: SETTINGS } as const;
    const envelope = await this.call(request, (cf) => cf.get<{ result: ApiSetting[] }>(`/zones/${zoneId}/settings`));
    return envelope.result;
  }

  /** One setting (for those the bulk listing leaves out, such as `ssl_automatic_mode`); undefined on 404. */
  async getSetting(zoneId: string, id: string): Promise<ApiSetting | undefined> {
    const request = { method: 'GET', path: `/zones/${zoneId}/settings/${id}`, idempotent: true, permission: PERMISSION.settingsRead, shape: SETTING } as const;
    try {
      return (await this.call(request, (cf) => cf.zones.settings.get(id, { zone_id: zoneId }))) as ApiSetting;
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }

  /** `PATCH /zones/{id}/settings` with `{items}`: absolute values, so safe to resend. */
  async patchSettings(zoneId: string, items: readonly { id: string; value: unknown }[]): Promise<ApiSetting[]> {
    const request = { method: 'PATCH', path: `/zones/${zoneId}/settings`, idempotent: true, permission: PERMISSION.settingsWrite, shape: SETTINGS } as const;
    const envelope = await this.call(request, (cf) => cf.patch<{ result: ApiSetting[] }>(`/zones/${zoneId}/settings`, { body: { items } }));
    return envelope.result;
  }

  /**
   * `PATCH /zones/{id}/settings/{setting}` with `{value}`: for a setting the bulk edit does not
   * know (`ssl_automatic_mode`; the bulk PATCH answers 1006 for it and fails as a whole). Absolute
   * value, so safe to resend.
   */
  async patchSetting(zoneId: string, id: string, value: unknown): Promise<ApiSetting> {
    const request = { method: 'PATCH', path: `/zones/${zoneId}/settings/${id}`, idempotent: true, permission: PERMISSION.settingsWrite, shape: SETTING } as const;
    const envelope = await this.call(request, (cf) => cf.patch<{ result: ApiSetting }>(`/zones/${zoneId}/settings/${id}`, { body: { value } }));
    return envelope.result;
  }

  /** A phase's entrypoint ruleset; undefined while the phase has none (404 with code 10003). */
  async getPhase(zoneId: string, phase: RulesetPhase): Promise<ApiRuleset | undefined> {
    const path = `/zones/${zoneId}/rulesets/phases/${phase}/entrypoint`;
    try {
      const request = { method: 'GET', path, idempotent: true, permission: phasePermission(phase), shape: PHASE } as const;
      return (await this.call(request, (cf) => cf.rulesets.phases.get(phase, { zone_id: zoneId }))) as unknown as ApiRuleset;
    } catch (error) {
      if (error instanceof NotFoundError && hasCode(error, [NO_ENTRYPOINT_CODE])) return undefined;
      throw error;
    }
  }

  /** `PUT …/phases/{phase}/entrypoint`: replaces the phase's whole rule list (creating the entrypoint if needed). */
  async putPhase(zoneId: string, phase: RulesetPhase, rules: readonly ApiRule[]): Promise<ApiRuleset> {
    const path = `/zones/${zoneId}/rulesets/phases/${phase}/entrypoint`;
    const request = { method: 'PUT', path, idempotent: true, permission: phasePermission(phase), shape: PHASE } as const;
    const params = { zone_id: zoneId, rules } as unknown as PhaseUpdateParams;
    return (await this.call(request, (cf) => cf.rulesets.phases.update(phase, params))) as unknown as ApiRuleset;
  }

  /**
   * `POST /zones/{id}/purge_cache` with one kind of purge (one request; the caller batches within
   * the plan's items per request). Purging again is harmless, so a lost answer is resent; a 429
   * waits out its Retry-After in the retry layer, as every 429 does. Returns the purge's id.
   */
  async purgeCache(zoneId: string, body: ApiPurge): Promise<string> {
    const request = { method: 'POST', path: `/zones/${zoneId}/purge_cache`, idempotent: true, permission: PERMISSION.cachePurge, shape: PURGED } as const;
    const result = await this.call(request, (cf) => cf.cache.purge({ zone_id: zoneId, ...body } as CachePurgeParams));
    return result?.id ?? '';
  }

  /** Runs one SDK call under the limiter and the retry layer, translating every failure once. */
  private call<T>(request: Request, run: (cf: Cloudflare) => APIPromise<T>): Promise<T> {
    const what = `${request.method} ${request.path}`;
    const url = `${this.options.baseUrl}${request.path}`;
    const budget = this.options.budget;
    let exchangeBegan: number | undefined;
    return withRetry(
      (attempt) =>
        this.limiter.run(async () => {
          const started = performance.now();
          exchangeBegan = budget?.time();
          let status: number | undefined;
          let requestId: string | undefined;
          try {
            const { data, response } = await run(this.cf).withResponse();
            status = response.status;
            requestId = response.headers.get('cf-ray') ?? undefined;
            const envelope = this.envelopes.get(response);
            const failed = envelope?.errors;
            const problem = failed === undefined && request.shape !== undefined ? shapeProblem(envelope?.body, request.shape) : undefined;
            const errors = failed ?? (problem === undefined ? undefined : [badBody(problem)]);
            if (errors !== undefined) {
              const failure: ApiFailure = { kind: 'envelope', status, errors, requestId, retryAfterMs: undefined };
              throw toProviderError(failure, what, request.permission, undefined, url);
            }
            return data;
          } catch (error) {
            if (error instanceof ProviderError) throw error;
            const failure = this.describe(error);
            status = failure.status;
            requestId = failure.requestId;
            // What the SDK or the network stack threw may quote the request, Authorization included.
            const secrets = [this.options.apiToken];
            const detail = failure.detail === undefined ? {} : { detail: scrubSecrets(failure.detail, secrets) };
            throw toProviderError({ ...failure, ...detail }, what, request.permission, errorShows(error, secrets) ? undefined : error, url);
          } finally {
            const ms = Math.round(performance.now() - started);
            this.options.onHttp?.({ method: request.method, path: request.path, status, requestId, ms, attempt });
          }
        }),
      {
        idempotent: request.idempotent,
        classify: classifyCloudflareError,
        onWaitTooLong: (error, wait) => waitTooLong(error, wait, this.options.now?.() ?? new Date()),
        ...(budget === undefined
          ? {}
          : { budget, onBudgetSpent: (error: unknown) => budgetSpent(error, budget), attemptStartedAt: () => exchangeBegan }),
        // A 429 blocks the token for the next five minutes (developers.cloudflare.com/fundamentals/api/reference/limits):
        // waited out with a notice when Retry-After says so, raised with when to retry when it asks for more.
        policy: { ...(this.options.retryPolicy ?? DEFAULT_RETRY_POLICY), maxRetryAfterMs: CLOUDFLARE_BLOCK_MS },
        ...(this.options.sleep === undefined ? {} : { sleep: this.options.sleep }),
        onRetry: ({ attempt, delayMs, error, reason }) => {
          const status = error instanceof ProviderError && error.status !== undefined ? ` (HTTP ${error.status})` : '';
          const why = reason === 'rate-limited' ? 'was rate limited' : 'failed';
          const block =
            reason === 'rate-limited' && delayMs >= 60_000
              ? ` (Cloudflare blocks a token's API calls for up to 5 minutes after 1,200 requests in 5 minutes: waiting ${Math.round(delayMs / 1000)} s)`
              : '';
          this.options.onRetry?.(`${what} ${why}${status}; retry ${attempt} in ${Math.round(delayMs)} ms${block}`, delayMs);
        },
      },
    );
  }

  /** The facts of an SDK failure: `instanceof` on the SDK's classes, nowhere else. */
  private describe(error: unknown): ApiFailure {
    if (error instanceof APIConnectionTimeoutError || error instanceof APIConnectionError) {
      const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
      const detail = error instanceof APIConnectionTimeoutError ? 'timed out' : `${error.message}${cause}`;
      return { kind: 'network', status: undefined, errors: [], requestId: undefined, retryAfterMs: undefined, detail };
    }
    if (error instanceof APIError && error.status !== undefined) {
      const headers = error.headers as Headers | undefined;
      const retryAfterMs = retryAfter(headers, this.options.now?.() ?? new Date());
      const requestId = headers?.get('cf-ray') ?? undefined;
      // A body that is not JSON (a proxy's or load balancer's HTML page) leaves `error.error` unset.
      const html = error.error === undefined && /<\s*(!doctype|html|head|body)/i.test(error.message);
      const detail = html ? 'an HTML page, not an API answer: a proxy or an outage in between' : undefined;
      const errors = Array.isArray(error.errors) ? (error.errors as ApiErrorEntry[]) : [];
      return { kind: 'http', status: error.status, errors, requestId, retryAfterMs, ...(detail === undefined ? {} : { detail }) };
    }
    if (error instanceof SyntaxError) {
      const errors = [badBody('the body is not valid JSON (cut short?)')];
      return { kind: 'envelope', status: undefined, errors, requestId: undefined, retryAfterMs: undefined };
    }
    const detail = error instanceof Error ? error.message : String(error);
    return { kind: 'local', status: undefined, errors: [], requestId: undefined, retryAfterMs: undefined, detail };
  }

  /**
   * The SDK's fetch: paces the request (see `WindowPacer`), passes the exchange through, and
   * remembers what `inspectEnvelope` found wrong with a 2xx body for `call` to raise.
   */
  private async inspectingFetch(input: FetchInput, init?: RequestInit): Promise<Response> {
    await this.pacer.acquire();
    let response: Response | undefined;
    try {
      response = await globalThis.fetch(input, init);
    } finally {
      this.pacer.release(parseWindowHeaders(response?.headers, this.options.now?.().getTime() ?? Date.now()));
    }
    const inspected = await inspectEnvelope(response);
    this.envelopes.set(inspected.response, inspected);
    return inspected.response;
  }
}

function retryAfter(headers: Headers | undefined, now: Date): number | undefined {
  const ms = Number(headers?.get('retry-after-ms'));
  if (headers?.get('retry-after-ms') && Number.isFinite(ms) && ms >= 0) return ms;
  return parseRetryAfter(headers?.get('retry-after') ?? undefined, now);
}
