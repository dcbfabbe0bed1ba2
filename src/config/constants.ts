/**
 * Facts the config language is checked against: Heroku naming rules and catalogues, Cloudflare
 * limits, and the defaults applied when app.yaml is silent. Patterns are written case-sensitively
 * the way the APIs document them; where app.yaml accepts any case the check lower-cases first.
 */

/** A naming rule: the pattern, what the name is, and the rule in words for messages. */
export interface NameRule {
  readonly pattern: RegExp;
  readonly what: string;
  readonly rule: string;
}

const LOCAL = /^[a-z][a-z0-9_-]{0,62}$/;
const LOCAL_RULE = 'lower-case letters, digits, _ and -, starting with a letter';
const SLUG = /^[a-z][a-z0-9-]*$/;
const SLUG_RULE = 'lower-case letters, digits and dashes, starting with a letter';

export const NAMES = {
  /** Heroku app name (Platform API `app.name`): 3–30 chars. */
  app: { pattern: /^[a-z][a-z0-9-]{1,28}[a-z0-9]$/, what: 'Heroku app name', rule: `3–30 ${SLUG_RULE}` },
  /** Heroku pipeline name (`pipeline.name`). */
  pipeline: { pattern: /^[a-z][a-z0-9-]{2,29}$/, what: 'pipeline name', rule: `3–30 ${SLUG_RULE}` },
  /** Names we choose appear in addresses (`heroku.app[staging]`), so no `[`, `]` or `/`. */
  project: { pattern: LOCAL, what: 'project name', rule: LOCAL_RULE },
  environment: { pattern: LOCAL, what: 'environment name', rule: LOCAL_RULE },
  addonLocal: { pattern: LOCAL, what: 'add-on local name', rule: LOCAL_RULE },
  /** Heroku process type (`formation.type`). */
  processType: { pattern: /^[-\w]{1,128}$/, what: 'process type', rule: 'letters, digits, _ and -, up to 128' },
  configKey: { pattern: /^\w+$/, what: 'config var name', rule: 'letters, digits and _ only' },
  envVar: { pattern: /^[A-Za-z_][A-Za-z0-9_]*$/, what: 'variable name', rule: 'letters, digits and _' },
  /** Add-on attachment name, upper-cased before use (`database` → `DATABASE`). */
  attachment: { pattern: /^[A-Za-z][A-Za-z0-9_]*$/, what: 'attachment name', rule: 'letters, digits and _' },
  /** Globally unique add-on name (`add-on.name`). */
  addonName: { pattern: /^[a-zA-Z][A-Za-z0-9_-]+$/, what: 'add-on name', rule: 'letters, digits, _ and -' },
  team: { pattern: SLUG, what: 'team name', rule: SLUG_RULE },
  region: { pattern: SLUG, what: 'region', rule: SLUG_RULE },
  stack: { pattern: SLUG, what: 'stack', rule: SLUG_RULE },
  buildpack: { pattern: /^\S+$/, what: 'buildpack', rule: 'a name such as heroku/nodejs or a URL, without spaces' },
  feature: { pattern: /^[a-z0-9][a-z0-9-]*$/, what: 'feature name', rule: 'lower-case letters, digits and dashes' },
  /** WAF rule reference, without our `daffeinated:` prefix. */
  wafRef: { pattern: /^[a-z0-9][a-z0-9_-]*$/, what: 'rule ref', rule: 'lower-case letters, digits, _ and -' },
  /** An address, optionally followed by `.attribute`. */
  driftTarget: {
    pattern: /^[a-z]+\.[a-z_]+\[[^\]]+\](\.[\w.-]+)?$/,
    what: 'drift target',
    rule: 'an address such as heroku.config[staging], optionally .attribute',
  },
} as const satisfies { readonly [name: string]: NameRule };

/** Add-on plan `service:plan`. */
export const ADDON_PLAN = /^[a-z0-9][a-z0-9-]*:[a-z0-9][a-z0-9._-]*$/;
/** Calendar date. */
export const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export const STAGES = ['development', 'staging', 'production'] as const;

/** Heroku dyno sizes (Cedar common runtime, Private Spaces and Shield), lower-case. */
export const DYNO_SIZES: readonly string[] = [
  'eco',
  'basic',
  'standard-1x',
  'standard-2x',
  'performance-m',
  'performance-l',
  'performance-l-ram',
  'performance-xl',
  'performance-2xl',
  ...['s', 'm', 'l', 'l-ram', 'xl', '2xl'].map((s) => `private-${s}`),
  ...['s', 'm', 'l', 'l-ram', 'xl', '2xl'].map((s) => `shield-${s}`),
];

/** Sizes Heroku no longer offers (said so rather than "unknown"). */
export const RETIRED_DYNO_SIZES: readonly string[] = ['free', 'hobby'];

/** Sizes that run one dyno per process type at most and cannot be mixed with professional sizes. */
export const SINGLE_DYNO_SIZES: readonly string[] = ['eco', 'basic'];
export const PROFESSIONAL_SIZE = /^(standard|performance)-/;
/** Eco dynos an app runs at once, all process types together (Dev Center "Dyno Scaling and Process Limits"). */
export const ECO_DYNOS_PER_APP = 2;

export const DEFAULTS = {
  region: 'us',
  stack: 'heroku-24',
  healthcheckTimeoutSeconds: 30,
  generatedSecretBytes: 32,
  dnsTtl: 1,
  zoneProxied: true,
  rateLimitCharacteristics: ['ip.src', 'cf.colo.id'],
} as const;

export const DNS_TYPES = ['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'NS', 'SRV', 'CAA'] as const;
/** Only these can be proxied through Cloudflare. */
export const PROXIABLE_TYPES: readonly string[] = ['A', 'AAAA', 'CNAME'];
/** Types that carry a `priority`; Cloudflare requires it for them. */
export const PRIORITY_TYPES: readonly string[] = ['MX', 'SRV'];

export const SSL_MODES = ['off', 'flexible', 'full', 'strict'] as const;
export const TLS_VERSIONS = ['1.0', '1.1', '1.2', '1.3'] as const;
export const WAF_ACTIONS = ['block', 'challenge', 'managed_challenge', 'js_challenge', 'log', 'skip'] as const;
export const RATE_LIMIT_ACTIONS = ['block', 'challenge', 'managed_challenge', 'js_challenge', 'log'] as const;
export const MANAGED_RULESETS = ['cloudflare', 'owasp'] as const;
/** Cloudflare requires rate limits to be counted per data centre. */
export const REQUIRED_CHARACTERISTIC = 'cf.colo.id';
/** Zone `cache_level` values (Cloudflare's OpenAPI enum). */
export const CACHE_LEVELS = ['basic', 'simplified', 'aggressive'] as const;
/** Zone `browser_cache_ttl` values in seconds, 0 meaning "respect existing headers" (OpenAPI enum). */
export const BROWSER_CACHE_TTLS: readonly number[] = [
  0, 30, 60, 120, 300, 1200, 1800, 3600, 7200, 10800, 14400, 18000, 28800, 43200, 57600, 72000, 86400, 172800, 259200,
  345600, 432000, 691200, 1382400, 2073600, 2678400, 5356800, 16070400, 31536000,
];
/** A cache rule's `edge_ttl.mode` and `browser_ttl.mode`. */
export const CACHE_TTL_MODES = ['respect_origin', 'bypass_by_default', 'override_origin'] as const;
