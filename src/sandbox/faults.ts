/**
 * Fault injection. Every decision is a pure function of (seed, request number), so a run with the
 * same seed and the same request order fails the same requests, however requests interleave in
 * time. Request numbers start at 1 with the first non-admin request after start, reset or a
 * change of fault options; admin routes are never counted or faulted.
 */
export const FAULT_KINDS = ['rate_limit', 'server_error', 'unavailable', 'reset', 'reset_after'] as const;
/**
 * - `rate_limit`: 429 with `Retry-After`; `server_error`: 500; `unavailable`: 503 with `Retry-After`
 *   (the request is not processed).
 * - `reset`: the socket is destroyed before the request is processed.
 * - `reset_after`: the request is processed (and persisted), then the socket is destroyed before any
 *   response is written: the "did my POST happen?" case clients must reconcile.
 */
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultOptions {
  /** Added to every non-admin request before it is processed. */
  latencyMs?: number;
  /** Extra latency drawn uniformly from [0, jitterMs) per request (seeded). */
  jitterMs?: number;
  /** Probability (0..1) of each fault kind per request; their sum must not exceed 1. */
  rates?: Partial<Record<FaultKind, number>>;
  /** Fail these request numbers (1-based); a bare number means `server_error`. */
  failRequests?: ReadonlyArray<number | { request: number; kind?: FaultKind }>;
  /** `Retry-After` seconds sent with injected 429 and 503 responses (default 1). */
  retryAfterSeconds?: number;
}

export interface FaultDecision {
  readonly delayMs: number;
  readonly kind: FaultKind | undefined;
}

export class FaultPlan {
  private readonly failAt = new Map<number, FaultKind>();

  constructor(
    readonly options: FaultOptions,
    private readonly seed: number,
  ) {
    for (const entry of options.failRequests ?? []) {
      if (typeof entry === 'number') this.failAt.set(entry, 'server_error');
      else this.failAt.set(entry.request, entry.kind ?? 'server_error');
    }
  }

  get retryAfterSeconds(): number {
    return this.options.retryAfterSeconds ?? 1;
  }

  decide(requestNumber: number): FaultDecision {
    const jitter = this.options.jitterMs ?? 0;
    const delayMs =
      (this.options.latencyMs ?? 0) + (jitter > 0 ? Math.floor(unit(this.seed, requestNumber, 1) * jitter) : 0);
    const forced = this.failAt.get(requestNumber);
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
  const known = new Set(['latencyMs', 'jitterMs', 'rates', 'failRequests', 'retryAfterSeconds']);
  for (const key of Object.keys(o)) if (!known.has(key)) throw new Error(`unknown fault option "${key}"`);
  const out: FaultOptions = {};
  for (const key of ['latencyMs', 'jitterMs', 'retryAfterSeconds'] as const) {
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
        if (e['kind'] === undefined) return { request: e['request'] };
        if (typeof e['kind'] !== 'string' || !isFaultKind(e['kind']))
          throw new Error(`failRequests[${i}].kind must be one of ${FAULT_KINDS.join(', ')}`);
        return { request: e['request'], kind: e['kind'] };
      }
      throw new Error(`failRequests[${i}] must be a request number or {request, kind}`);
    });
  }
  return out;
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
