import type { WindowReport } from './pacing.js';

/**
 * Cloudflare's rate-limit headers (developers.cloudflare.com/fundamentals/api/reference/limits/,
 * IETF draft "RateLimit header fields for HTTP"): `Ratelimit` is a list of service-limit items,
 * `"default";r=50;t=30` (requests left, seconds to reset), and `Ratelimit-Policy` a list of policy
 * items, `"burst";q=100;w=60` (quota per window of seconds). Either may carry several items; the
 * pacer follows the tightest: the item with the fewest requests left (with the policy of the same
 * name), else the policy with the lowest quota per second. An older docs version has the legacy
 * `x-ratelimit-limit` / `x-ratelimit-remaining` / `x-ratelimit-reset` (an HTTP date, or seconds)
 * instead: used when the draft headers are absent.
 */
export interface HeaderSource {
  get(name: string): string | null;
}

interface Item {
  readonly name: string;
  readonly params: ReadonlyMap<string, number>;
}

/** The items of a structured-field list: `"name";key=number;…`, separated by commas. Malformed parts are skipped. */
export function parseItems(header: string | null | undefined): Item[] {
  if (!header) return [];
  const items: Item[] = [];
  for (const part of header.split(',')) {
    const [head, ...rest] = part.split(';').map((s) => s.trim());
    if (head === undefined) continue;
    const name = head.replace(/^"(.*)"$/, '$1');
    const params = new Map<string, number>();
    for (const param of rest) {
      const match = /^([a-z][a-z0-9_-]*)=(\d+)$/.exec(param);
      if (match !== null) params.set(match[1] as string, Number(match[2]));
    }
    if (params.size > 0) items.push({ name, params });
  }
  return items;
}

export function parseWindowHeaders(headers: HeaderSource | undefined, now: number = Date.now()): WindowReport {
  if (headers === undefined) return {};
  const limits = parseItems(headers.get('ratelimit')).filter((i) => i.params.has('r'));
  const policies = parseItems(headers.get('ratelimit-policy')).filter(
    (i) => (i.params.get('q') ?? 0) > 0 && (i.params.get('w') ?? 0) > 0,
  );
  if (limits.length === 0 && policies.length === 0) return legacy(headers, now);
  const tightest = [...limits].sort((a, b) => (a.params.get('r') as number) - (b.params.get('r') as number))[0];
  const rate = (p: Item) => (p.params.get('q') as number) / (p.params.get('w') as number);
  const policy = policies.find((p) => p.name === tightest?.name) ?? [...policies].sort((a, b) => rate(a) - rate(b))[0];
  const report: { -readonly [K in keyof WindowReport]: WindowReport[K] } = {};
  if (tightest !== undefined) {
    report.remaining = tightest.params.get('r') as number;
    const reset = tightest.params.get('t');
    if (reset !== undefined) report.resetSeconds = reset;
  }
  if (policy !== undefined) {
    report.quota = policy.params.get('q') as number;
    report.windowSeconds = policy.params.get('w') as number;
  }
  return report;
}

function legacy(headers: HeaderSource, now: number): WindowReport {
  const number = (name: string) => {
    const text = headers.get(name)?.trim();
    return text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined;
  };
  const report: { -readonly [K in keyof WindowReport]: WindowReport[K] } = {};
  const quota = number('x-ratelimit-limit');
  const remaining = number('x-ratelimit-remaining');
  if (quota !== undefined && quota > 0) report.quota = quota;
  if (remaining !== undefined) report.remaining = remaining;
  const reset = headers.get('x-ratelimit-reset')?.trim();
  if (reset) {
    const seconds = /^\d+$/.test(reset) ? Number(reset) : Math.ceil((Date.parse(reset) - now) / 1000);
    // Large numbers are Unix times, not delays.
    const delay = seconds > 1_000_000_000 ? Math.ceil(seconds - now / 1000) : seconds;
    if (Number.isFinite(delay) && delay >= 0) report.resetSeconds = delay;
  }
  return report;
}
