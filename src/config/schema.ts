/**
 * The raw app.yaml language as a zod schema: the single source of both validation and the editor
 * JSON Schema (`config/app.schema.json`). The only file that imports `zod`; the rules it applies
 * live in plain modules (`constants.ts`, `checks.ts`, `hostname.ts`).
 *
 * The schema describes one file *as written*: environment settings may be split between `defaults`
 * and an environment, so keys that are required only after that merge (formation `size`/`quantity`,
 * add-on `plan`, healthcheck `path`) are optional here and checked by `rules-environments.ts`.
 * There are no transforms or defaults in the schema (defaults are documented in descriptions):
 * parsing returns the input unchanged, and `normalize.ts` applies defaults.
 */
import * as z from 'zod';
import {
  configVarProblems,
  dnsRecordProblems,
  isCalendarDate,
  isDnsTtl,
  isLogDrainUrl,
  isPurgePrefix,
  type Problem,
} from './checks.js';
import { backupScheduleProblem, parseBackupSchedule } from '../model/backup-schedule.js';
import {
  cacheTtlProblems,
  queryStringListProblems,
  queryStringProblems,
  statusCodeTtlProblems,
} from './cache-checks.js';
import * as c from './constants.js';
import { isHostname, isRecordName } from './hostname.js';

const quote = (value: unknown): string => JSON.stringify(value);
const text = (description: string) => z.string().min(1).describe(description);
const bool = (description: string) => z.boolean().describe(description);
const int = (min: number, max: number, description: string) => z.number().int().min(min).max(max).describe(description);
const list = <T extends z.ZodType>(item: T, description: string) => z.array(item).describe(description);
const named = (name: c.NameRule, description: string) =>
  z
    .string()
    .regex(name.pattern, { error: (issue) => `${quote(issue.input)} is not a valid ${name.what}: ${name.rule}` })
    .describe(description);
/** A string accepted by `test`; the message gets the value quoted. */
const checked = (
  test: (v: string) => boolean,
  message: (quoted: string) => string,
  description: string,
  hint?: string,
) =>
  z
    .string()
    .refine(test, {
      error: (issue) => message(quote(issue.input)),
      ...(hint === undefined ? {} : { params: { hint } }),
    })
    .describe(description);
/** Dyno sizes in any case, keeping editor completion (`examples`) and a did-you-mean (`suggest`). */
const dynoSize = (description: string) =>
  z
    .string()
    .refine((v) => c.DYNO_SIZES.includes(v.toLowerCase()), {
      error: (issue) =>
        c.RETIRED_DYNO_SIZES.includes(String(issue.input).toLowerCase())
          ? `${quote(issue.input)} dynos no longer exist: Heroku retired free and hobby dynos`
          : `unknown dyno size ${quote(issue.input)}`,
      params: { suggest: c.DYNO_SIZES },
    })
    .meta({ description, examples: [...c.DYNO_SIZES] });
const hostname = (description: string, wildcard = false) =>
  checked(
    (v) => isHostname(v, { wildcard }),
    (v) => `${v} is not a valid hostname`,
    description,
    'use dot-separated labels of letters, digits and inner dashes, e.g. www.example.com',
  );
/** Reports `checks.ts` problems as issues of the entry (or of one of its keys). */
const report =
  <T>(check: (value: T) => Problem[]) =>
  (value: T, ctx: z.RefinementCtx<T>) => {
    for (const p of check(value)) {
      ctx.addIssue({
        code: 'custom',
        message: p.message,
        ...(p.key === undefined ? {} : { path: [p.key] }),
        ...(p.hint === undefined ? {} : { params: { hint: p.hint } }),
      });
    }
  };

const REQUIRED_AFTER_MERGE = 'Required here or in `defaults`.';

const inherited = {
  team: named(c.NAMES.team, 'Heroku team owning the app(s). Apps are personal when absent.').optional(),
  region: named(
    c.NAMES.region,
    'Heroku region, e.g. `us` or `eu` (default `us`). Fixed once the app exists.',
  ).optional(),
  stack: named(c.NAMES.stack, 'Heroku stack (default `heroku-24`).').optional(),
  buildpacks: list(
    named(c.NAMES.buildpack, 'Buildpack name or URL.'),
    'Buildpacks in order; unmanaged when absent.',
  ).optional(),
  features: list(
    named(c.NAMES.feature, 'App feature.'),
    'App features to enable, e.g. `preboot`; others are left alone.',
  ).optional(),
};

const Formation = z
  .strictObject({
    quantity: int(0, 10_000, `Number of dynos; 0 stops the process type. ${REQUIRED_AFTER_MERGE}`).optional(),
    size: dynoSize(`Dyno size, any case (\`standard-2x\`). ${REQUIRED_AFTER_MERGE}`).optional(),
  })
  .meta({ title: 'Process type', description: 'Dynos of one process type (from the Procfile).' });

const Addon = z
  .strictObject({
    plan: checked(
      (v) => c.ADDON_PLAN.test(v),
      (v) => `${v} is not an add-on plan: write service:plan, e.g. heroku-postgresql:essential-0`,
      `\`service:plan\`; a plan change upgrades in place. ${REQUIRED_AFTER_MERGE}`,
    ).optional(),
    as: named(c.NAMES.attachment, 'Attachment name, upper-cased: `DATABASE` sets `DATABASE_URL`.').optional(),
    name: named(c.NAMES.addonName, 'Globally unique add-on name; Heroku picks one when absent.').optional(),
    options: z
      .record(z.string(), z.string())
      .describe('Provisioning options as strings: `{version: "16"}`.')
      .optional(),
    protect: bool('Deleting or replacing needs --allow-destroy (default true for Postgres and Redis).').optional(),
    backups: z
      .strictObject({
        schedule: z
          .string()
          .refine((v) => parseBackupSchedule(v) !== undefined, {
            error: (issue) => backupScheduleProblem(String(issue.input)),
          })
          .describe(
            'Daily backup at `"HH:00 Zone"` (`"02:00 Europe/Berlin"`, `"03:00 UTC"`), or `off` to remove a schedule.',
          ),
      })
      .describe('Heroku Postgres only: scheduled backups (PGBackups).')
      .optional(),
  })
  .meta({ title: 'Add-on', description: 'An add-on, keyed by a local name (e.g. `database`).' });

const ConfigVarObject = z
  .strictObject({
    value: z.union([z.string(), z.number(), z.boolean()]).describe('The value (made a string).').optional(),
    sensitive: bool('Never print the value (default false).').optional(),
    generate: z.literal('secret').describe('Generated once on first apply; never rotated.').optional(),
    bytes: int(16, 512, 'Random bytes in a generated secret (default 32).').optional(),
    from_env: named(c.NAMES.envVar, 'Environment variable read at plan/apply time (sensitive).').optional(),
    optional: bool(
      'With from_env: when unset, leave the var unmanaged (with a warning) instead of failing.',
    ).optional(),
  })
  .superRefine(report(configVarProblems))
  .meta({
    title: 'Config var',
    description: '{value, sensitive?}, {generate: secret, bytes?} or {from_env, optional?}.',
  });

const ConfigVar = z.union([z.string(), z.number(), z.boolean(), ConfigVarObject]);

const Healthcheck = z
  .strictObject({
    path: checked(
      (v) => v.startsWith('/'),
      (v) => `healthcheck path ${v} must start with /`,
      `Path requested after a release, e.g. \`/health\`. ${REQUIRED_AFTER_MERGE}`,
    ).optional(),
    timeout: int(1, 600, 'Seconds to wait for a healthy answer (default 30).').optional(),
    expect_status: z
      .union([int(100, 599, 'Status code.'), z.array(int(100, 599, 'Status code.')).min(1)])
      .describe('Accepted status code(s); default any 2xx.')
      .optional(),
  })
  .meta({ title: 'Health check' });

const Prune = z
  .strictObject({
    config: bool('Remove undeclared config vars (add-on vars are never touched).').optional(),
    addons: bool('Remove undeclared add-ons (protected ones still need --allow-destroy).').optional(),
    domains: bool('Remove undeclared custom domains.').optional(),
    log_drains: bool('Remove undeclared log drains.').optional(),
    formation: bool('Scale undeclared process types to 0.').optional(),
  })
  .meta({
    title: 'Prune',
    description: 'Delete live things of these kinds that app.yaml does not declare (default false).',
  });

const environmentFields = {
  stage: z.enum(c.STAGES).describe('Pipeline stage of the app.').optional(),
  ...inherited,
  maintenance: bool('Maintenance mode (default false).').optional(),
  formation: z
    .record(named(c.NAMES.processType, 'Process type.'), Formation)
    .describe('Dyno formation keyed by process type (`web`, `worker`).')
    .optional(),
  addons: z
    .record(named(c.NAMES.addonLocal, 'Local name.'), Addon)
    .describe('Add-ons keyed by a local name.')
    .optional(),
  config: z
    .record(named(c.NAMES.configKey, 'Config var name.'), ConfigVar)
    .describe('Config vars: string/number/boolean, {value}, {generate: secret} or {from_env: VAR}.')
    .optional(),
  domains: list(hostname('Hostname (lower-cased); `*.` wildcards allowed.', true), 'Custom domains.').optional(),
  acm: bool('Automated certificate management (default false).').optional(),
  healthcheck: Healthcheck.optional(),
  log_drains: list(
    checked(
      isLogDrainUrl,
      (v) => `${v} is not a log drain URL: write syslog+tls://host:port or https://…`,
      'Drain URL.',
    ),
    'Log drain URLs (syslog+tls:// or https://).',
  ).optional(),
  prune: Prune.optional(),
};

const Budget = z
  .strictObject({
    monthly: z
      .number()
      .positive()
      .describe('US dollars a month: `plan` shows the cost after a change against it, `apply` refuses to exceed it.'),
  })
  .meta({ title: 'Budget' });

const Purge = z
  .strictObject({
    hosts: list(hostname('Hostname inside one of `cloudflare.zones`.'), 'Purge everything cached for these hostnames.')
      .min(1)
      .optional(),
    prefixes: list(
      checked(
        isPurgePrefix,
        (v) => `${v} is not a purge prefix: write host/path (e.g. www.example.com/assets), without scheme, query or fragment`,
        'URL prefix `host/path`, the host inside one of `cloudflare.zones`.',
      ),
      'Purge everything cached under these URL prefixes.',
    )
      .min(1)
      .optional(),
    everything: z
      .literal(true)
      .describe("Purge everything cached in the zones holding this environment's domains (alone: not with hosts or prefixes).")
      .optional(),
  })
  .meta({
    title: 'Purge',
    description:
      "What `deploy` and `promote` purge from Cloudflare's cache once the new release is healthy (never after a failed health check or a rollback). Absent: nothing is purged.",
  });

const Environment = z
  .strictObject({
    app: named(c.NAMES.app, 'Heroku app name.'),
    ...environmentFields,
    budget: Budget.describe("This environment's monthly budget (not inherited from `defaults`).").optional(),
    purge: Purge.describe("Cloudflare cache to purge after a healthy release (not inherited from `defaults`).").optional(),
  })
  .meta({ title: 'Environment', description: 'One Heroku app; settings merge over `defaults`.' });

const Defaults = z.strictObject(environmentFields).meta({
  title: 'Defaults',
  description: 'Deep-merged into every environment: maps merge, lists replace, scalars override.',
});

const DnsRecord = z
  .strictObject({
    name: checked(isRecordName, (v) => `${v} is not a DNS record name`, 'Name relative to the zone; `@` is the apex.'),
    type: z.enum(c.DNS_TYPES).describe('Record type.'),
    content: text('Address, target hostname or text.'),
    ttl: z
      .number()
      .int()
      .refine(isDnsTtl, { error: 'ttl must be 1 (automatic) or between 60 and 86400' })
      .describe('Seconds; 1 means automatic (default).')
      .optional(),
    proxied: bool('Proxy through Cloudflare (A, AAAA and CNAME only).').optional(),
    priority: int(0, 65_535, 'Priority; required for MX and SRV.').optional(),
    comment: checked(
      (v) => !/[\r\n]/.test(v),
      () => 'a record comment must be one line',
      'Comment.',
    ).optional(),
  })
  .superRefine(report(dnsRecordProblems))
  .meta({ title: 'DNS record' });

const ref = named(c.NAMES.wafRef, 'Stable id of the rule, unique in the zone.');
const ruleDescription = z.string().describe('Shown in the Cloudflare dashboard.').optional();

const CustomRule = z
  .strictObject({
    ref,
    description: ruleDescription,
    action: z.enum(c.WAF_ACTIONS).describe('What to do with matching requests.'),
    expression: text('Cloudflare rules-language expression.'),
    enabled: bool('Default true.').optional(),
  })
  .meta({ title: 'WAF custom rule' });

const RateLimit = z
  .strictObject({
    ref,
    description: ruleDescription,
    expression: text('Requests counted (Cloudflare rules language).'),
    requests: int(1, 1_000_000, 'Requests allowed per period.'),
    period: int(1, 86_400, 'Counting period in seconds (allowed values depend on the plan).'),
    timeout: int(0, 86_400, 'Seconds the action lasts; 0 throttles instead.'),
    action: z.enum(c.RATE_LIMIT_ACTIONS).describe('What to do once over the limit.'),
    characteristics: z
      .array(text('A characteristic, e.g. `ip.src`.'))
      .refine((v) => v.includes(c.REQUIRED_CHARACTERISTIC), {
        error: `characteristics must include ${c.REQUIRED_CHARACTERISTIC}`,
        params: { hint: `Cloudflare counts per data centre: e.g. [ip.src, ${c.REQUIRED_CHARACTERISTIC}]` },
      })
      .describe('What requests are counted by (default [ip.src, cf.colo.id]).')
      .optional(),
    enabled: bool('Default true.').optional(),
  })
  .meta({ title: 'WAF rate-limiting rule' });

const Hsts = z
  .strictObject({
    enabled: bool('Default true.').optional(),
    max_age: int(0, 2 ** 31 - 1, 'Seconds browsers remember to use HTTPS.'),
    include_subdomains: bool('Default false.').optional(),
    preload: bool('Default false.').optional(),
    nosniff: bool('Send X-Content-Type-Options: nosniff (default false).').optional(),
  })
  .meta({ title: 'HSTS' });

const Tls = z
  .strictObject({
    mode: z.enum(c.SSL_MODES).describe('SSL/TLS encryption mode.').optional(),
    min_version: z.enum(c.TLS_VERSIONS).describe('Minimum TLS version, quoted: "1.2".').optional(),
    always_use_https: bool('Redirect http to https.').optional(),
    automatic_https_rewrites: bool('Rewrite http links to https.').optional(),
    hsts: Hsts.optional(),
  })
  .meta({ title: 'TLS' });

const Waf = z
  .strictObject({
    managed: list(z.enum(c.MANAGED_RULESETS), 'Managed rulesets to deploy.').optional(),
    custom: list(CustomRule, 'Custom rules.').optional(),
    rate_limits: list(RateLimit, 'Rate-limiting rules.').optional(),
  })
  .meta({ title: 'WAF' });

const names = (description: string) => list(text('A name.'), description);
const seconds = (description: string, min = 0) => int(min, 2 ** 31 - 1, description);
const ttlMode = z.enum(c.CACHE_TTL_MODES).describe('respect_origin, bypass_by_default or override_origin.');

const StatusCodeTtl = z
  .strictObject({
    status_code_value: int(100, 599, 'One status code.').optional(),
    status_code_range: z
      .strictObject({ from: int(100, 599, 'Lowest status code.'), to: int(100, 599, 'Highest status code.') })
      .describe('A range of status codes, both ends included.')
      .optional(),
    value: int(-1, 2 ** 31 - 1, 'Seconds to cache; 0 means no-cache, -1 no-store.'),
  })
  .superRefine(report(statusCodeTtlProblems))
  .meta({ title: 'Status code TTL' });

const EdgeTtl = z
  .strictObject({
    mode: ttlMode,
    default: seconds('Seconds, with override_origin (the plan sets the minimum: Free 7200, Pro 3600).').optional(),
    status_code_ttl: list(StatusCodeTtl, 'TTLs by origin status code (Enterprise).').optional(),
  })
  .superRefine(report(cacheTtlProblems))
  .meta({ title: 'Edge TTL' });

const BrowserTtl = z
  .strictObject({ mode: ttlMode, default: seconds('Seconds (at least 1), with override_origin.', 1).optional() })
  .superRefine(report(cacheTtlProblems))
  .meta({ title: 'Browser TTL' });

const QueryStringList = (description: string) =>
  z
    .strictObject({
      all: z.literal(true).describe('Every parameter.').optional(),
      list: names('These parameters.').optional(),
    })
    .superRefine(report(queryStringListProblems))
    .describe(description);

const CustomKey = z
  .strictObject({
    query_string: z
      .strictObject({
        include: QueryStringList('Only these parameters are in the key.').optional(),
        exclude: QueryStringList('All parameters but these are in the key.').optional(),
      })
      .superRefine(report(queryStringProblems))
      .describe('Query string parameters in the key.')
      .optional(),
    header: z
      .strictObject({
        include: names('Headers whose values are in the key.').optional(),
        check_presence: names('Headers whose presence is in the key.').optional(),
        exclude_origin: bool('Leave the Origin header out.').optional(),
      })
      .describe('Request headers in the key.')
      .optional(),
    cookie: z
      .strictObject({
        include: names('Cookies whose values are in the key.').optional(),
        check_presence: names('Cookies whose presence is in the key.').optional(),
      })
      .describe('Cookies in the key.')
      .optional(),
    host: z
      .strictObject({ resolved: bool('Use the resolved host, not the original.') })
      .describe('Which host is in the key.')
      .optional(),
    user: z
      .strictObject({
        device_type: bool('Device type.').optional(),
        geo: bool('Country.').optional(),
        lang: bool('Language.').optional(),
      })
      .describe("The visitor's device type, country and language in the key.")
      .optional(),
  })
  .meta({ title: 'Custom cache key', description: 'Enterprise only.' });

const CacheKey = z
  .strictObject({
    ignore_query_strings_order: bool('Sort query parameters before matching.').optional(),
    cache_deception_armor: bool('Cache only when the extension matches the content type.').optional(),
    cache_by_device_type: bool('Separate caches for mobile, tablet and desktop.').optional(),
    custom_key: CustomKey.optional(),
  })
  .meta({ title: 'Cache key' });

const CacheRule = z
  .strictObject({
    ref,
    description: ruleDescription,
    expression: text('Requests the rule applies to (Cloudflare rules language).'),
    enabled: bool('Default true.').optional(),
    cache: bool('Eligible for cache (default true); false bypasses the cache.').optional(),
    edge_ttl: EdgeTtl.optional(),
    browser_ttl: BrowserTtl.optional(),
    cache_key: CacheKey.optional(),
    serve_stale: z
      .strictObject({ disable_stale_while_updating: bool('Do not serve stale content while revalidating.') })
      .describe('Serving stale content while revalidating (on unless disabled).')
      .optional(),
    respect_strong_etags: bool('Keep strong ETags (byte-for-byte validation).').optional(),
    origin_error_page_passthru: bool("Serve the origin's error pages.").optional(),
  })
  .meta({
    title: 'Cache rule',
    description: "Keys after `cache` are Cloudflare's set_cache_settings action parameters, as its docs name them.",
  });

const Cache = z
  .strictObject({
    browser_ttl: z
      .number()
      .int()
      .refine((v) => c.BROWSER_CACHE_TTLS.includes(v), {
        error: (issue) => `browser_ttl ${quote(issue.input)} is not a value Cloudflare offers`,
        params: { hint: `one of ${c.BROWSER_CACHE_TTLS.join(', ')} (0 respects the origin's headers)` },
      })
      .describe("Zone Browser Cache TTL in seconds; 0 respects the origin's headers.")
      .optional(),
    level: z.enum(c.CACHE_LEVELS).describe('Zone cache level.').optional(),
    always_online: bool('Serve archived pages when the origin is down.').optional(),
    development_mode: bool('Bypass the cache (Cloudflare turns it off after 3 hours).').optional(),
    sort_query_string: bool('Sort query strings before caching (Enterprise).').optional(),
    rules: list(CacheRule, 'Cache rules, in order (later rules override earlier ones).').optional(),
  })
  .meta({ title: 'Cache', description: 'Zone cache settings and cache rules.' });

const Zone = z
  .strictObject({
    owner: text('Environment whose scope carries the zone settings, WAF and extra records.'),
    proxied: bool('Proxy the automatic environment CNAMEs (default true).').optional(),
    tls: Tls.optional(),
    dns: list(DnsRecord, 'Records beyond the automatic environment CNAMEs.').optional(),
    waf: Waf.optional(),
    cache: Cache.optional(),
  })
  .meta({ title: 'Cloudflare zone' });

const DriftIgnore = z
  .strictObject({
    target: named(c.NAMES.driftTarget, 'Address or address.attribute.'),
    reason: text('Why this drift is accepted.'),
    expires: z
      .string()
      .regex(c.ISO_DATE, { error: (issue) => `${quote(issue.input)} is not a date: write YYYY-MM-DD` })
      .refine(isCalendarDate, { error: (issue) => `${quote(issue.input)} is not a calendar date` })
      .describe('YYYY-MM-DD after which the drift counts again.')
      .optional(),
  })
  .meta({ title: 'Ignored drift' });

export const AppConfigSchema = z
  .strictObject({
    version: z
      .number()
      .refine((v) => v === 1, {
        error: (issue) => `unsupported version ${quote(issue.input)}: this daffeinated reads version 1`,
        params: { hint: 'write `version: 1`' },
      })
      .meta({ const: 1, description: 'Config language version; always 1.' }),
    name: named(c.NAMES.project, 'Project name.'),
    pipeline: named(c.NAMES.pipeline, 'Heroku pipeline coupling the environments by stage.').optional(),
    ...inherited,
    defaults: Defaults.optional(),
    environments: z
      .record(named(c.NAMES.environment, 'Environment name.'), Environment)
      .refine((v) => Object.keys(v).length > 0, { error: 'declare at least one environment' })
      .describe('Environments keyed by name (`staging`, `production`), in order.'),
    cloudflare: z
      .strictObject({
        zones: z
          .record(hostname('Zone apex, e.g. `daffeinated.com`.'), Zone)
          .describe('Zones by apex name.')
          .optional(),
      })
      .meta({ title: 'Cloudflare' })
      .optional(),
    drift: z
      .strictObject({ ignore: list(DriftIgnore, 'Known drift to accept.').optional() })
      .meta({ title: 'Drift' })
      .optional(),
    promote: z
      .strictObject({
        allow_missing_config: list(
          named(c.NAMES.configKey, 'Config var name.'),
          'Config vars the source environment may have without the target (checked by `daffeinated promote`).',
        ).optional(),
      })
      .meta({ title: 'Promotion' })
      .optional(),
    budget: Budget.describe('Monthly budget of all environments together.').optional(),
  })
  .meta({
    title: 'daffeinated app.yaml',
    description: 'Declarative Heroku + Cloudflare configuration for daffeinated. See DESIGN.md §1.',
  });

export type RawConfig = z.output<typeof AppConfigSchema>;
export type RawEnvironmentFields = z.output<typeof Defaults>;
export type RawZone = z.output<typeof Zone>;
export type RawCacheRule = z.output<typeof CacheRule>;
export type RawPurge = z.output<typeof Purge>;
export type RawConfigVar = z.output<typeof ConfigVar>;

/** Keys of an environment body (for hints about settings misplaced at the top level). */
export const ENVIRONMENT_KEYS: readonly string[] = Object.keys(Environment.shape);

/** The structural view of a zod issue that this module works with (no zod types leak out). */
export interface RawIssue {
  readonly code: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly expected?: string;
  readonly keys?: readonly string[];
  readonly errors?: readonly (readonly RawIssue[])[];
  readonly issues?: readonly RawIssue[];
  readonly values?: readonly unknown[];
  readonly origin?: string;
  readonly minimum?: number | bigint;
  readonly maximum?: number | bigint;
  readonly params?: { readonly hint?: string; readonly suggest?: readonly string[] };
}

/**
 * Validates the shape of a whole document; `data` is the (unchanged) input when valid. Without
 * zod's JIT: a command validates app.yaml once, and compiling a parser for each object schema
 * costs more than that one parse (about half of the first `checkShape`), for the same issues.
 */
export function checkShape(value: unknown): { data?: RawConfig; issues: readonly RawIssue[] } {
  const result = AppConfigSchema.safeParse(value, { jitless: true });
  return result.success ? { data: result.data, issues: [] } : { issues: result.error.issues as readonly RawIssue[] };
}

/** The editor JSON Schema (draft-07, the dialect YAML language servers support best). */
export function appJsonSchema(): Record<string, unknown> {
  const options = { target: 'draft-7', io: 'input', unrepresentable: 'any' } as const;
  return z.toJSONSchema(AppConfigSchema, options) as Record<string, unknown>;
}
