import type { ServerResponse } from 'node:http';
import { payloadOf, type Reply } from './http.js';

/**
 * Fault injection. Every decision is a pure function of (seed, request number) — and, for
 * `failRequests` entries with a `path`, of the number of requests to that path so far — so a run
 * with the same seed and the same request order fails the same requests, however requests
 * interleave in time. Request numbers start at 1 with the first non-admin request after start,
 * reset or a change of fault options; admin routes are never counted or faulted.
 */
export const FAULT_KINDS = [
  'rate_limit',
  'server_error',
  'unavailable',
  'reset',
  'reset_after',
  'error_200',
  'cut_length',
  'cut_chunked',
  'empty_body',
  'no_content',
  'slow_body',
] as const;
/**
 * - `rate_limit`: 429 with `Retry-After`; `server_error`: 500; `unavailable`: 503 with `Retry-After`
 *   (the request is not processed).
 * - `reset`: the socket is destroyed before the request is processed.
 * - `reset_after`: the request is processed (and persisted), then the socket is destroyed before any
 *   response is written: the "did my POST happen?" case clients must reconcile.
 * - `error_200`: the API's own error answer (as for `server_error`) sent with status 200; the
 *   request is not processed.
 * The rest process the request (and persist it), then spoil the answer (`BodyFault`):
 * - `cut_length`: the headers announce the whole body's `Content-Length`, half of it is sent, then
 *   the socket is destroyed; `cut_chunked`: the same without `Content-Length` (chunked), the last
 *   chunk never sent.
 * - `empty_body`: status 200 and no body at all; `no_content`: 204.
 * - `slow_body`: the answer as it is, one byte every `trickleMs`.
 */
export type FaultKind = (typeof FAULT_KINDS)[number];

/** The faults that answer a processed request with a spoiled body. */
export type BodyFault = 'cut_length' | 'cut_chunked' | 'empty_body' | 'no_content' | 'slow_body';

export interface FaultOptions {
  /** Added to every non-admin request before it is processed. */
  latencyMs?: number;
  /** Extra latency drawn uniformly from [0, jitterMs) per request (seeded). */
  jitterMs?: number;
  /** Probability (0..1) of each fault kind per request; their sum must not exceed 1. */
  rates?: Partial<Record<FaultKind, number>>;
  /**
   * Fail these request numbers (1-based); a bare number means `server_error`. With `path`, the
   * number counts only requests to that path (exactly as sent, without the query string): the
   * n-th read of an app's config vars, whatever the order of the reads around it.
   */
  failRequests?: ReadonlyArray<number | FailRequest>;
  /** `Retry-After` seconds sent with injected 429 and 503 responses (default 1). */
  retryAfterSeconds?: number;
  /** Milliseconds between two bytes of a `slow_body` answer (default 1,000). */
  trickleMs?: number;
}

export interface FailRequest {
  request: number;
  kind?: FaultKind;
  path?: string;
}

export interface FaultDecision {
  readonly delayMs: number;
  readonly kind: FaultKind | undefined;
}

export class FaultPlan {
  private readonly failAt = new Map<number, FaultKind>();
  /** By path: the request numbers (counted per path) to fail, and how many requests it has had. */
  private readonly failAtPath = new Map<string, { readonly at: Map<number, FaultKind>; seen: number }>();

  constructor(
    readonly options: FaultOptions,
    private readonly seed: number,
  ) {
    for (const entry of options.failRequests ?? []) {
      if (typeof entry === 'number') this.failAt.set(entry, 'server_error');
      else if (entry.path === undefined) this.failAt.set(entry.request, entry.kind ?? 'server_error');
      else {
        const byPath = this.failAtPath.get(entry.path) ?? { at: new Map<number, FaultKind>(), seen: 0 };
        byPath.at.set(entry.request, entry.kind ?? 'server_error');
        this.failAtPath.set(entry.path, byPath);
      }
    }
  }

  get retryAfterSeconds(): number {
    return this.options.retryAfterSeconds ?? 1;
  }

  get trickleMs(): number {
    return this.options.trickleMs ?? 1_000;
  }

  /** The fate of request `requestNumber`, to `path`; called once per request, in order. */
  decide(requestNumber: number, path = ''): FaultDecision {
    const jitter = this.options.jitterMs ?? 0;
    const delayMs =
      (this.options.latencyMs ?? 0) + (jitter > 0 ? Math.floor(unit(this.seed, requestNumber, 1) * jitter) : 0);
    const byPath = this.failAtPath.get(path);
    if (byPath !== undefined) byPath.seen += 1;
    const forced = this.failAt.get(requestNumber) ?? byPath?.at.get(byPath.seen);
    if (forced !== undefined) return { delayMs, kind: forced };
    const draw = unit(this.seed, requestNumber, 0);
    let threshold = 0;
    for (const kind of FAULT_KINDS) {
      threshold += this.options.rates?.[kind] ?? 0;
      if (draw < threshold) return { delayMs, kind };
    }
    return { delayMs, kind: undefined };
  }
}

/**
 * Checks fault options coming from JSON (admin route) or code. Throws an Error whose message says
 * which field is wrong.
 */
export function validateFaultOptions(input: unknown): FaultOptions {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new Error('fault options must be an object');
  const o = input as Record<string, unknown>;
  const known = new Set(['latencyMs', 'jitterMs', 'rates', 'failRequests', 'retryAfterSeconds', 'trickleMs']);
  for (const key of Object.keys(o)) if (!known.has(key)) throw new Error(`unknown fault option "${key}"`);
  const out: FaultOptions = {};
  for (const key of ['latencyMs', 'jitterMs', 'retryAfterSeconds', 'trickleMs'] as const) {
    const v = o[key];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new Error(`${key} must be a number >= 0`);
    out[key] = v;
  }
  if (o['rates'] !== undefined) {
    const rates = o['rates'];
    if (typeof rates !== 'object' || rates === null || Array.isArray(rates)) throw new Error('rates must be an object');
    const parsed: Partial<Record<FaultKind, number>> = {};
    let sum = 0;
    for (const [kind, rate] of Object.entries(rates)) {
      if (!isFaultKind(kind)) throw new Error(`unknown fault kind "${kind}" (one of ${FAULT_KINDS.join(', ')})`);
      if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1))
        throw new Error(`rates.${kind} must be a number from 0 to 1`);
      parsed[kind] = rate;
      sum += rate;
    }
    if (sum > 1 + 1e-9) throw new Error('fault rates add up to more than 1');
    out.rates = parsed;
  }
  if (o['failRequests'] !== undefined) {
    const list = o['failRequests'];
    if (!Array.isArray(list)) throw new Error('failRequests must be an array');
    out.failRequests = list.map((entry: unknown, i) => {
      if (isRequestNumber(entry)) return entry;
      if (typeof entry === 'object' && entry !== null) {
        const e = entry as Record<string, unknown>;
        if (!isRequestNumber(e['request'])) throw new Error(`failRequests[${i}].request must be an integer >= 1`);
        const path = e['path'];
        if (path !== undefined && (typeof path !== 'string' || !path.startsWith('/')))
          throw new Error(`failRequests[${i}].path must be a path starting with /`);
        const at = path === undefined ? { request: e['request'] } : { request: e['request'], path };
        if (e['kind'] === undefined) return at;
        if (typeof e['kind'] !== 'string' || !isFaultKind(e['kind']))
          throw new Error(`failRequests[${i}].kind must be one of ${FAULT_KINDS.join(', ')}`);
        return { ...at, kind: e['kind'] };
      }
      throw new Error(`failRequests[${i}] must be a request number or {request, kind}`);
    });
  }
  return out;
}

/**
 * Sends `reply` (the processed request's answer) spoiled as `fault` says. The socket is destroyed
 * after a cut; a slow body stops when the client goes away.
 */
export function sendSpoiled(res: ServerResponse, reply: Reply, fault: BodyFault, trickleMs: number): void {
  if (res.destroyed) return;
  const payload = payloadOf(reply) ?? '';
  const headers: Record<string, string> = { 'Content-Type': 'application/json; charset=utf-8', ...reply.headers };
  const half = payload.slice(0, Math.floor(payload.length / 2));
  const cut = () => res.socket?.destroy();
  switch (fault) {
    case 'cut_length':
      res.writeHead(reply.status, { ...headers, 'Content-Length': String(Buffer.byteLength(payload)) });
      res.write(half, cut);
      return;
    case 'cut_chunked':
      res.writeHead(reply.status, headers);
      res.write(half, cut);
      return;
    case 'empty_body':
      res.writeHead(200, { ...headers, 'Content-Length': '0' }).end();
      return;
    case 'no_content': {
      const { 'Content-Type': _type, ...rest } = headers;
      res.writeHead(204, rest).end();
      return;
    }
    case 'slow_body': {
      const bytes = Buffer.from(payload);
      res.writeHead(reply.status, { ...headers, 'Content-Length': String(bytes.length) });
      let sent = 0;
      const drip = setInterval(() => {
        if (res.destroyed || sent >= bytes.length) {
          clearInterval(drip);
          if (!res.destroyed) res.end();
          return;
        }
        res.write(bytes.subarray(sent, sent + 1));
        sent += 1;
      }, trickleMs);
      res.on('close', () => clearInterval(drip));
      return;
    }
    default:
      assertNeverFault(fault);
  }
}

function assertNeverFault(fault: never): never {
  throw new Error(`unknown body fault ${String(fault)}`);
}

function isFaultKind(value: string): value is FaultKind {
  return (FAULT_KINDS as readonly string[]).includes(value);
}

function isRequestNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1;
}

/** A uniform number in [0, 1) from (seed, n, salt): murmur3's finaliser over the mixed inputs. */
function unit(seed: number, n: number, salt: number): number {
  let h = (seed ^ Math.imul(n, 0x9e3779b1) ^ Math.imul(salt + 1, 0x85ebca6b)) >>> 0;
  h = fmix(h ^ fmix(n >>> 0));
  return h / 0x1_0000_0000;
}

function fmix(input: number): number {
  let h = input >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
