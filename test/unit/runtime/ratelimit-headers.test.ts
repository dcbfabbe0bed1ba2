import { describe, expect, it } from 'vitest';
import { parseItems, parseWindowHeaders } from '../../../src/runtime/ratelimit-headers.js';

// Cloudflare's rate-limit headers: developers.cloudflare.com/fundamentals/api/reference/limits/
// (IETF-draft `Ratelimit` / `Ratelimit-Policy` lists) and its older version (legacy x-ratelimit-*).
const headers = (entries: Record<string, string>) => new Headers(entries);
const NOW = Date.parse('2026-12-06T08:00:00Z');

describe('Cloudflare rate-limit headers', () => {
  it('reads one item of each', () => {
    const report = parseWindowHeaders(
      headers({ Ratelimit: '"default";r=42;t=17', 'Ratelimit-Policy': '"default";q=1200;w=300' }),
      NOW,
    );
    expect(report).toEqual({ remaining: 42, resetSeconds: 17, quota: 1200, windowSeconds: 300 });
  });

  it('reads every item of the lists and paces on the tightest, with the policy of the same name', () => {
    const report = parseWindowHeaders(
      headers({
        Ratelimit: '"default";r=900;t=200, "burst";r=3;t=20',
        'Ratelimit-Policy': '"default";q=1200;w=300, "burst";q=100;w=60',
      }),
      NOW,
    );
    expect(report).toEqual({ remaining: 3, resetSeconds: 20, quota: 100, windowSeconds: 60 });
  });

  it('without remaining counts, follows the policy with the lowest quota per second', () => {
    const report = parseWindowHeaders(
      headers({ 'Ratelimit-Policy': '"a";q=1200;w=300, "b";q=100;w=60, "c";q=10;w=1' }),
      NOW,
    );
    expect(report).toEqual({ quota: 100, windowSeconds: 60 });
  });

  it('accepts the legacy x-ratelimit-* headers, the reset as an HTTP date or seconds', () => {
    const date = headers({
      'x-ratelimit-limit': '1200',
      'x-ratelimit-remaining': '7',
      'x-ratelimit-reset': new Date(NOW + 45_000).toUTCString(),
    });
    expect(parseWindowHeaders(date, NOW)).toEqual({ quota: 1200, remaining: 7, resetSeconds: 45 });
    expect(parseWindowHeaders(headers({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '30' }), NOW)).toEqual({
      remaining: 0,
      resetSeconds: 30,
    });
  });

  it('skips what it cannot read', () => {
    expect(parseWindowHeaders(undefined)).toEqual({});
    expect(parseWindowHeaders(headers({ Ratelimit: 'garbage', 'Ratelimit-Policy': 'q=abc' }), NOW)).toEqual({});
    expect(parseItems('"x";r=1;t=oops, ;;')).toEqual([{ name: 'x', params: new Map([['r', 1]]) }]);
  });
});
