/**
 * The configs the benchmark runs: the repository's reference `config/app.yaml`, and a large one
 * generated here with no randomness at all (same text on every run): 20 environments, one zone
 * holding 3,500 DNS records in all (the most a paid zone holds), its TLS settings and the 3 WAF
 * phases (managed, custom, rate limits).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';

export interface BenchConfig {
  /** `reference`, `large` (20 environments) or `large-N` (the same shape with N environments). */
  readonly name: string;
  readonly yaml: string;
  /** Zones the sandbox is seeded with (daffeinated never creates zones). */
  readonly zones: readonly { readonly name: string; readonly plan: 'pro' | 'business' }[];
  /** Environment variables the config reads (`from_env`). */
  readonly env: Readonly<Record<string, string>>;
  /** The environments, in app.yaml's order (generated configs only). */
  readonly environments?: readonly string[];
  /**
   * How the rate-budget section sets the account up: `apply` (the default), or `create-apps`: a
   * `POST /apps` per environment, all a config that declares nothing but its apps needs.
   */
  readonly setUp?: 'apply' | 'create-apps';
  /** The environment and config var the "one change" scenario edits. */
  readonly oneChange: { readonly environment: string; readonly key: string };
}

export const LARGE_ENVIRONMENTS = 20;
/**
 * Records in the large zone once applied: declared ones plus one CNAME per environment domain. A
 * paid zone holds at most 3,500 records (src/facts/cloudflare-plans.ts), refused at plan time above.
 */
export const LARGE_ZONE_RECORDS = 3_500;
export const LARGE_ZONE = 'bench-daff.com';

export function referenceConfig(root: string): BenchConfig {
  return {
    name: 'reference',
    yaml: readFileSync(join(root, 'config/app.yaml'), 'utf8'),
    zones: [{ name: 'daffeinated.com', plan: 'pro' }],
    env: { STRIPE_KEY: 'sk_test_bench' },
    oneChange: { environment: 'staging', key: 'NODE_ENV' },
  };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * `env01` … `env20` (`env001` … `env200` for 200): env01 is production and owns the zone, env02–04
 * staging, the rest development. Other counts than 20 (the rate-budget section's 200) keep the
 * zone's 3,500 records in all.
 */
export function largeConfig(count = LARGE_ENVIRONMENTS): BenchConfig {
  const environments: Record<string, unknown> = {};
  const width = Math.max(2, String(count).length);
  for (let i = 1; i <= count; i++) {
    const name = `env${pad(i, width)}`;
    const stage = i === 1 ? 'production' : i <= 4 ? 'staging' : 'development';
    environments[name] = {
      app: `daff-bench-${name}`,
      stage,
      domains: [`${name}.${LARGE_ZONE}`],
      // Preboot needs standard or performance dynos (Heroku's rule, refused at plan time).
      ...(i % 2 === 1
        ? {
            features: ['preboot'],
            formation: { web: { quantity: 1, size: 'standard-1x' }, worker: { quantity: 1, size: 'standard-1x' } },
          }
        : {}),
      ...(i % 5 === 0 ? { log_drains: [`syslog+tls://logs.example.net:${6000 + i}`] } : {}),
      config: { ENV_NAME: name, SHARD: String(i) },
    };
  }
  const dnsCount = LARGE_ZONE_RECORDS - count;
  const dns: Record<string, unknown>[] = [];
  for (let i = 0; i < dnsCount; i++) {
    // A mix of types, every record distinct by type, name and content.
    const host = `h${pad(i, 4)}`;
    if (i % 10 === 9) dns.push({ name: host, type: 'TXT', content: `bench-verification=${pad(i, 4)}` });
    else if (i % 10 === 8) dns.push({ name: host, type: 'CNAME', content: `target-${pad(i % 97)}.example.net` });
    else if (i % 10 === 7) dns.push({ name: host, type: 'AAAA', content: `2001:db8::${(i % 65_535).toString(16)}` });
    else dns.push({ name: host, type: 'A', content: `198.51.100.${i % 250}`, ttl: 300 });
  }
  const document = {
    version: 1,
    name: 'daff-bench',
    pipeline: 'daff-bench',
    region: 'us',
    stack: 'heroku-24',
    buildpacks: ['heroku/nodejs'],
    defaults: {
      formation: { web: { quantity: 1, size: 'basic' }, worker: { quantity: 1, size: 'basic' } },
      addons: {
        database: { plan: 'heroku-postgresql:essential-0', as: 'DATABASE' },
        cache: { plan: 'heroku-redis:mini' },
        monitoring: { plan: 'newrelic:wayne' },
      },
      config: {
        NODE_ENV: 'production',
        LOG_LEVEL: 'info',
        SESSION_SECRET: { generate: 'secret' },
        STRIPE_KEY: { from_env: 'STRIPE_KEY' },
        FEATURE_A: 'on',
        FEATURE_B: 'off',
        API_BASE: 'https://api.example.net',
        CACHE_TTL: '300',
      },
      acm: true,
    },
    environments,
    cloudflare: {
      zones: {
        [LARGE_ZONE]: {
          owner: `env${pad(1, width)}`,
          tls: {
            mode: 'strict',
            min_version: '1.2',
            always_use_https: true,
            automatic_https_rewrites: true,
            hsts: { max_age: 31536000, include_subdomains: true },
          },
          dns,
          waf: {
            managed: ['cloudflare', 'owasp'],
            custom: [1, 2, 3, 4, 5].map((n) => ({
              ref: `block-${n}`,
              description: `Block probe ${n}`,
              action: 'block',
              expression: `(http.request.uri.path contains "/probe-${n}")`,
            })),
            rate_limits: [
              {
                ref: 'login',
                description: 'Login attempts',
                expression: '(http.request.uri.path eq "/login")',
                requests: 10,
                period: 60,
                timeout: 600,
                action: 'block',
              },
              {
                ref: 'api',
                description: 'API bursts',
                expression: '(http.request.uri.path contains "/api/")',
                requests: 100,
                period: 60,
                timeout: 60,
                action: 'block',
              },
            ],
          },
        },
      },
    },
  };
  return {
    name: count === LARGE_ENVIRONMENTS ? 'large' : `large-${count}`,
    environments: Object.keys(environments),
    yaml: stringify(document, { lineWidth: 0 }),
    zones: [{ name: LARGE_ZONE, plan: 'business' }],
    env: { STRIPE_KEY: 'sk_test_bench' },
    oneChange: { environment: `env${pad(7, width)}`, key: 'LOG_LEVEL' },
  };
}

/**
 * `count` environments that declare nothing but their app (`bare-N`): the reads no listing holds
 * are then the four every app needs (config vars, formation, domains, log drains). Set up with a
 * `POST /apps` each: an apply of 200 large environments takes about an hour on a loaded 2-core
 * machine.
 */
export function bareConfig(count: number): BenchConfig {
  const environments = Array.from({ length: count }, (_, i) => `env${pad(i + 1, Math.max(2, String(count).length))}`);
  const document = {
    version: 1,
    name: 'daff-bare',
    region: 'us',
    stack: 'heroku-24',
    environments: Object.fromEntries(environments.map((e) => [e, { app: `daff-bare-${e}` }])),
  };
  return {
    name: `bare-${count}`,
    yaml: stringify(document, { lineWidth: 0 }),
    zones: [],
    env: {},
    environments,
    setUp: 'create-apps',
    oneChange: { environment: environments[0] ?? 'env01', key: 'LOG_LEVEL' },
  };
}
