import type { BackupSchedule } from './backup-schedule.js';
import type { SourceLocation } from './resource.js';

/**
 * The validated, normalized app.yaml: defaults deep-merged into every environment (maps merge,
 * lists replace), `${VAR}` interpolated, names canonical (lower-case hostnames, no trailing dots).
 * Produced by `src/config`; consumed by each provider's desired-state builder
 * (`providers/<provider>/desired.ts`). Plain data, no I/O.
 */
export interface Config {
  /** Path of the file as the user gave it (used in locations). */
  readonly file: string;
  readonly version: 1;
  readonly name: string;
  readonly pipeline: PipelineConfig | undefined;
  /** Keyed by environment name, in the order declared. */
  readonly environments: { readonly [name: string]: EnvironmentConfig };
  readonly cloudflare: { readonly zones: { readonly [zone: string]: ZoneConfig } };
  readonly drift: DriftConfig;
  /** Checks `promote` runs; absent in hand-built configs, meaning no exceptions. */
  readonly promote?: PromoteConfig;
  /** Monthly budget of all environments together; absent: none. */
  readonly budget?: BudgetConfig;
  /**
   * Location of every node, keyed by dotted YAML path (`environments.staging.app`). May be built on
   * first read (see config/normalize.ts): the desired state reads locations from the parts instead.
   */
  readonly sources: { readonly [path: string]: SourceLocation };
}

export interface PromoteConfig {
  /** Config var names the source environment may have and a target lack, sorted. */
  readonly allowMissingConfig: readonly string[];
}

export interface BudgetConfig {
  /** US cents a month. */
  readonly monthlyCents: number;
  readonly source: SourceLocation | undefined;
}

export interface PipelineConfig {
  readonly name: string;
  readonly source: SourceLocation | undefined;
}

export type Stage = 'development' | 'staging' | 'production';
export const STAGES: readonly Stage[] = ['development', 'staging', 'production'];

/** One environment's effective settings after inheritance from the top level and `defaults`. */
export interface EnvironmentConfig {
  readonly name: string;
  /** Heroku app name. */
  readonly app: string;
  readonly stage: Stage | undefined;
  readonly team: string | undefined;
  readonly region: string;
  readonly stack: string;
  readonly maintenance: boolean;
  /** Ordered; empty means "not managed" only when `buildpacksDeclared` is false. */
  readonly buildpacks: readonly string[];
  readonly buildpacksDeclared: boolean;
  /** Some buildpack URL took text from `${VAR}` (a token in the URL): the list is sensitive. */
  readonly buildpacksSensitive: boolean;
  /** App features to enable, e.g. `preboot`. Features not listed are left alone. */
  readonly features: readonly string[];
  /** Keyed by process type. */
  readonly formation: { readonly [processType: string]: FormationConfig };
  /** Keyed by the add-on's local name (e.g. `database`). */
  readonly addons: { readonly [localName: string]: AddonConfig };
  /** Keyed by config var name. */
  readonly config: { readonly [key: string]: ConfigVarSpec };
  /** Custom domains, lower-case, no trailing dot. */
  readonly domains: readonly string[];
  /** Automated certificate management on the app. */
  readonly acm: boolean;
  readonly healthcheck: HealthcheckConfig | undefined;
  readonly logDrains: readonly string[];
  /** Remove live things of these kinds that app.yaml does not declare (default: all false). */
  readonly prune: PruneConfig;
  /** This environment's monthly budget; absent: none. */
  readonly budget?: BudgetConfig;
  /** Cloudflare cache purged after a healthy release; absent: no purge. */
  readonly purge?: PurgeConfig;
  /** Location of each effective value, keyed by path relative to the environment (`config.NODE_ENV`). */
  readonly sources: { readonly [path: string]: SourceLocation };
}

/**
 * What a healthy release of an environment makes stale in Cloudflare's cache: hostnames and URL
 * prefixes (`host/path`, each inside a declared zone), or everything in the zones holding the
 * environment's domains.
 */
export type PurgeConfig =
  | { readonly kind: 'selected'; readonly hosts: readonly string[]; readonly prefixes: readonly string[] }
  | { readonly kind: 'everything' };

export interface FormationConfig {
  readonly quantity: number;
  /** Dyno size name, lower-case (`basic`, `standard-2x`). */
  readonly size: string;
}

export interface AddonConfig {
  /** `service:plan`, e.g. `heroku-postgresql:essential-0`. */
  readonly plan: string;
  readonly service: string;
  /** Attachment name, upper-case (`DATABASE` → `DATABASE_URL`). */
  readonly as: string | undefined;
  /** Globally unique add-on name; Heroku picks one when absent. */
  readonly name: string | undefined;
  /** Provisioning options passed to the add-on provider (e.g. `{version: "16"}`). */
  readonly options: { readonly [key: string]: string };
  /** Some option took text from `${VAR}`: the options are sensitive, never shown. */
  readonly optionsSensitive: boolean;
  /**
   * Deleting or replacing it needs `--allow-destroy`; undefined when app.yaml does not say, leaving
   * it to the provider (Heroku protects data services: providers/heroku/kinds.ts).
   */
  readonly protect: boolean | undefined;
  /** `backups.schedule`; undefined when app.yaml leaves the add-on's schedule alone. */
  readonly backupSchedule: BackupSchedule | undefined;
}

export type ConfigVarSpec =
  | { readonly kind: 'literal'; readonly value: string; readonly sensitive: boolean }
  | { readonly kind: 'from_env'; readonly variable: string; readonly optional: boolean }
  | { readonly kind: 'generate'; readonly bytes: number };

export interface HealthcheckConfig {
  readonly path: string;
  readonly timeoutSeconds: number;
  /** Accepted status codes; default 200–299. */
  readonly expectStatus: readonly number[] | undefined;
}

export interface PruneConfig {
  readonly config: boolean;
  readonly addons: boolean;
  readonly domains: boolean;
  readonly logDrains: boolean;
  readonly formation: boolean;
}

export type SslMode = 'off' | 'flexible' | 'full' | 'strict';
export type TlsVersion = '1.0' | '1.1' | '1.2' | '1.3';

export interface ZoneConfig {
  readonly name: string;
  /** Environment whose scope carries the zone-wide settings, WAF and extra records. */
  readonly owner: string;
  /** Default `proxied` for the automatic environment CNAMEs. */
  readonly proxied: boolean;
  readonly tls: TlsConfig | undefined;
  readonly dns: readonly DnsRecordConfig[];
  readonly waf: WafConfig | undefined;
  /** Absent in hand-built configs that predate it: the same as undefined (nothing declared). */
  readonly cache?: CacheConfig | undefined;
  readonly source: SourceLocation | undefined;
}

/** Zone cache settings (each undefined when not declared) and cache rules (undefined: the phase is not managed). */
export interface CacheConfig {
  /** Seconds; 0 respects the origin's headers. */
  readonly browserTtl: number | undefined;
  readonly level: 'basic' | 'simplified' | 'aggressive' | undefined;
  readonly alwaysOnline: boolean | undefined;
  readonly developmentMode: boolean | undefined;
  readonly sortQueryString: boolean | undefined;
  readonly rules: readonly CacheRule[] | undefined;
  /** Where each key under `cache` is declared, by its app.yaml name; absent in hand-built configs. */
  readonly sources?: { readonly [key: string]: SourceLocation };
}

/** JSON as app.yaml and the API write it (a cache rule's action parameters). */
export type CacheParameter =
  | string
  | number
  | boolean
  | readonly CacheParameter[]
  | { readonly [key: string]: CacheParameter };

export interface CacheRule {
  /** Without the `daffeinated:` prefix. Unique within the zone. */
  readonly ref: string;
  readonly description: string | undefined;
  readonly expression: string;
  readonly enabled: boolean;
  /**
   * The `set_cache_settings` action parameters as Cloudflare names them: `cache` (always present),
   * then whichever of `edge_ttl`, `browser_ttl`, `cache_key`, `serve_stale`, `respect_strong_etags`
   * and `origin_error_page_passthru` app.yaml declares.
   */
  readonly parameters: { readonly [key: string]: CacheParameter };
  readonly source: SourceLocation | undefined;
}

export interface TlsConfig {
  readonly mode: SslMode | undefined;
  readonly minVersion: TlsVersion | undefined;
  readonly alwaysUseHttps: boolean | undefined;
  readonly automaticHttpsRewrites: boolean | undefined;
  readonly hsts: HstsConfig | undefined;
  /**
   * Where each key under `tls` is declared, by its app.yaml name (`mode`, `min_version`, …): the
   * entries `Config.sources` has under `cloudflare.zones.<name>.tls`. Absent in hand-built configs.
   */
  readonly sources?: { readonly [key: string]: SourceLocation };
}

export interface HstsConfig {
  readonly enabled: boolean;
  readonly maxAge: number;
  readonly includeSubdomains: boolean;
  readonly preload: boolean;
  readonly nosniff: boolean;
}

export type DnsRecordType = 'A' | 'AAAA' | 'CNAME' | 'MX' | 'TXT' | 'NS' | 'SRV' | 'CAA';

export interface DnsRecordConfig {
  /** Relative to the zone; `@` is the apex. Lower-case. */
  readonly name: string;
  readonly type: DnsRecordType;
  readonly content: string;
  /** Seconds; 1 means automatic. */
  readonly ttl: number;
  readonly proxied: boolean | undefined;
  readonly priority: number | undefined;
  readonly comment: string | undefined;
  readonly source: SourceLocation | undefined;
}

export type WafAction = 'block' | 'challenge' | 'managed_challenge' | 'js_challenge' | 'log' | 'skip';

export interface WafConfig {
  /** Managed rulesets by our names: `cloudflare`, `owasp`. */
  readonly managed: readonly ('cloudflare' | 'owasp')[];
  /** Where `managed` is declared; absent in hand-built configs. */
  readonly managedSource?: SourceLocation | undefined;
  readonly custom: readonly WafCustomRule[];
  readonly rateLimits: readonly WafRateLimitRule[];
}

export interface WafCustomRule {
  /** Without the `daffeinated:` prefix. Unique within the zone. */
  readonly ref: string;
  readonly description: string | undefined;
  readonly action: WafAction;
  readonly expression: string;
  readonly enabled: boolean;
  readonly source: SourceLocation | undefined;
}

export interface WafRateLimitRule {
  readonly ref: string;
  readonly description: string | undefined;
  readonly expression: string;
  /** Requests allowed per `period` seconds before `action`. */
  readonly requests: number;
  readonly period: number;
  /** Seconds the action lasts. */
  readonly timeout: number;
  readonly action: WafAction;
  /** Characteristics the rate is counted by; default `["ip.src", "cf.colo.id"]`. */
  readonly characteristics: readonly string[];
  readonly enabled: boolean;
  readonly source: SourceLocation | undefined;
}

export interface DriftConfig {
  readonly ignore: readonly DriftIgnore[];
}

export interface DriftIgnore {
  /** An address, or `address.attribute`. */
  readonly target: string;
  readonly reason: string;
  /** ISO date (YYYY-MM-DD) after which the drift counts again. */
  readonly expires: string | undefined;
  readonly source: SourceLocation | undefined;
}
