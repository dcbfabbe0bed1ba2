/**
 * Valid document → `Config` (src/model/config.ts): defaults applied, names canonical (hostnames
 * lower-case without trailing dot, dyno sizes lower-case, attachment names upper-case, config
 * values strings), and every value's source location recorded. Runs only when validation found no
 * error, so the shapes here are the schema's; a violated assumption is a bug (InternalError).
 */
import type {
  AddonConfig,
  Config,
  ConfigVarSpec,
  DnsRecordConfig,
  EnvironmentConfig,
  FormationConfig,
  HealthcheckConfig,
  PurgeConfig,
  TlsConfig,
  WafConfig,
  ZoneConfig,
} from '../model/config.js';
import type { SourceLocation } from '../model/resource.js';
import { parseBackupSchedule } from '../model/backup-schedule.js';
import { InternalError } from '../runtime/errors.js';
import { DEFAULTS } from './constants.js';
import { type MergedEnvironment, originOf } from './environments.js';
import { cache } from './normalize-cache.js';
import { canonicalHostname, relativeRecordName } from './hostname.js';
import type { RawConfig, RawConfigVar, RawEnvironmentFields, RawPurge, RawZone } from './schema.js';
import { declarationPosition, formatPath, type ParsedTree, type Path, pathId } from './tree.js';

/** `substituted`: `pathId`s of values that took text from `${VAR}` (see `interpolateTree`). */
export function normalizeConfig(
  data: RawConfig,
  environments: readonly MergedEnvironment[],
  tree: ParsedTree,
  substituted: ReadonlySet<string>,
): Config {
  const at = (path: Path): SourceLocation => ({ file: tree.file, ...declarationPosition(tree, path) });
  const { file, nodes } = tree;
  /** The node's own location (none for a node under an alias): what `sources` has for it. */
  const recorded = (path: Path): SourceLocation | undefined => {
    const info = nodes.get(pathId(path));
    return info === undefined ? undefined : { file, ...(info.key ?? info.value) };
  };
  let sources: Record<string, SourceLocation> | undefined;
  const zones: Record<string, ZoneConfig> = {};
  for (const [zone, body] of Object.entries(data.cloudflare?.zones ?? {})) {
    const name = canonicalHostname(zone);
    zones[name] = normalizeZone(name, body, ['cloudflare', 'zones', zone], at, recorded);
  }
  return {
    file: tree.file,
    version: 1,
    name: data.name,
    pipeline: data.pipeline === undefined ? undefined : { name: data.pipeline, source: at(['pipeline']) },
    environments: Object.fromEntries(environments.map((e) => [e.name, normalizeEnvironment(e, tree, at, substituted)])),
    cloudflare: { zones },
    drift: {
      ignore: (data.drift?.ignore ?? []).map((item, index) => ({
        target: item.target,
        reason: item.reason,
        expires: item.expires,
        source: at(['drift', 'ignore', index]),
      })),
    },
    promote: { allowMissingConfig: [...new Set(data.promote?.allow_missing_config ?? [])].sort() },
    ...(data.budget === undefined
      ? {}
      : { budget: { monthlyCents: Math.round(data.budget.monthly * 100), source: at(['budget']) } }),
    // Built on first read, once: an entry per node of the document (tens of thousands for a large
    // zone) costs more than the rest of normalizing, while a plan reads a handful of them.
    get sources() {
      sources ??= nodeSources(file, nodes);
      return sources;
    },
  };
}

/** `at(path)` of every recorded node, keyed by dotted path: a recorded node is its own nearest node. */
function nodeSources(file: string, nodes: ParsedTree['nodes']): Record<string, SourceLocation> {
  const sources: Record<string, SourceLocation> = {};
  for (const [id, info] of nodes) sources[formatPath(JSON.parse(id) as Path)] = { file, ...(info.key ?? info.value) };
  return sources;
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new InternalError(`normalize: ${what} is missing after validation`);
  return value;
}

function normalizeEnvironment(
  environment: MergedEnvironment,
  tree: ParsedTree,
  at: (path: Path) => SourceLocation,
  substituted: ReadonlySet<string>,
): EnvironmentConfig {
  const raw = environment.value as RawEnvironmentFields & { app?: string; budget?: { monthly: number }; purge?: RawPurge };
  const where = `environment ${environment.name}`;
  const formation: Record<string, FormationConfig> = {};
  for (const [type, body] of Object.entries(raw.formation ?? {})) {
    formation[type] = {
      quantity: required(body.quantity, `${where}: formation.${type}.quantity`),
      size: required(body.size, `${where}: formation.${type}.size`).toLowerCase(),
    };
  }
  // A value that took text from the environment may hold a secret (a token in a URL).
  const fromEnv = (relative: Path) => substituted.has(pathId(originOf(environment, relative)));
  const addons: Record<string, AddonConfig> = {};
  for (const [local, body] of Object.entries(raw.addons ?? {})) {
    const plan = required(body.plan, `${where}: addons.${local}.plan`);
    const service = plan.slice(0, plan.indexOf(':'));
    addons[local] = {
      plan,
      service,
      as: body.as?.toUpperCase(),
      name: body.name,
      options: { ...body.options },
      optionsSensitive: Object.keys(body.options ?? {}).some((key) => fromEnv(['addons', local, 'options', key])),
      protect: body.protect,
      backupSchedule: body.backups === undefined ? undefined : parseBackupSchedule(body.backups.schedule),
    };
  }
  const config: Record<string, ConfigVarSpec> = {};
  for (const [key, spec] of Object.entries(raw.config ?? {})) {
    config[key] = configVar(spec, originOf(environment, ['config', key]), tree, substituted);
  }
  const sources: Record<string, SourceLocation> = {};
  for (const { relative, absolute } of environment.origins.values()) sources[formatPath(relative)] = at(absolute);
  return {
    name: environment.name,
    app: required(raw.app, `${where}: app`),
    stage: raw.stage,
    team: raw.team,
    region: raw.region ?? DEFAULTS.region,
    stack: raw.stack ?? DEFAULTS.stack,
    maintenance: raw.maintenance ?? false,
    buildpacks: raw.buildpacks ?? [],
    buildpacksDeclared: raw.buildpacks !== undefined,
    buildpacksSensitive: (raw.buildpacks ?? []).some((_, index) => fromEnv(['buildpacks', index])),
    features: raw.features ?? [],
    formation,
    addons,
    config,
    domains: (raw.domains ?? []).map(canonicalHostname),
    acm: raw.acm ?? false,
    healthcheck: healthcheck(raw.healthcheck, where),
    logDrains: raw.log_drains ?? [],
    prune: {
      config: raw.prune?.config ?? false,
      addons: raw.prune?.addons ?? false,
      domains: raw.prune?.domains ?? false,
      logDrains: raw.prune?.log_drains ?? false,
      formation: raw.prune?.formation ?? false,
    },
    ...(raw.budget === undefined
      ? {}
      : {
          budget: { monthlyCents: Math.round(raw.budget.monthly * 100), source: at(originOf(environment, ['budget'])) },
        }),
    ...(raw.purge === undefined ? {} : { purge: purge(raw.purge) }),
    sources,
  };
}

/** Numbers keep the text as written (`1.10` stays "1.10", not "1.1"). */
function literal(value: string | number | boolean, path: Path, tree: ParsedTree): string {
  if (typeof value === 'number') return tree.nodes.get(pathId(path))?.text ?? String(value);
  return String(value);
}

/** A literal that took text from `${VAR}` is sensitive: the variable may be a password in a URL. */
function configVar(spec: RawConfigVar, path: Path, tree: ParsedTree, substituted: ReadonlySet<string>): ConfigVarSpec {
  if (typeof spec !== 'object') {
    return { kind: 'literal', value: literal(spec, path, tree), sensitive: substituted.has(pathId(path)) };
  }
  if (spec.generate !== undefined) return { kind: 'generate', bytes: spec.bytes ?? DEFAULTS.generatedSecretBytes };
  if (spec.from_env !== undefined)
    return { kind: 'from_env', variable: spec.from_env, optional: spec.optional ?? false };
  const value = required(spec.value, `${formatPath(path)}.value`);
  const valuePath = [...path, 'value'];
  const sensitive = (spec.sensitive ?? false) || substituted.has(pathId(valuePath));
  return { kind: 'literal', value: literal(value, valuePath, tree), sensitive };
}

/** Hostnames lower-cased; a prefix's host part too (its path is kept as written). */
function purge(raw: RawPurge): PurgeConfig {
  if (raw.everything === true) return { kind: 'everything' };
  const prefix = (value: string) => {
    const slash = value.indexOf('/');
    return slash < 0 ? canonicalHostname(value) : `${canonicalHostname(value.slice(0, slash))}${value.slice(slash)}`;
  };
  return { kind: 'selected', hosts: (raw.hosts ?? []).map(canonicalHostname), prefixes: (raw.prefixes ?? []).map(prefix) };
}

function healthcheck(raw: RawEnvironmentFields['healthcheck'], where: string): HealthcheckConfig | undefined {
  if (raw === undefined) return undefined;
  const status = raw.expect_status;
  return {
    path: required(raw.path, `${where}: healthcheck.path`),
    timeoutSeconds: raw.timeout ?? DEFAULTS.healthcheckTimeoutSeconds,
    expectStatus: status === undefined ? undefined : typeof status === 'number' ? [status] : status,
  };
}

function normalizeZone(
  name: string,
  raw: RawZone,
  path: Path,
  at: (path: Path) => SourceLocation,
  recorded: (path: Path) => SourceLocation | undefined,
): ZoneConfig {
  const hostTypes = ['CNAME', 'MX', 'NS'];
  const dns: DnsRecordConfig[] = (raw.dns ?? []).map((record, index) => ({
    name: relativeRecordName(record.name, name),
    type: record.type,
    content: hostTypes.includes(record.type) ? canonicalHostname(record.content) : record.content,
    ttl: record.ttl ?? DEFAULTS.dnsTtl,
    proxied: record.proxied,
    priority: record.priority,
    comment: record.comment,
    source: at([...path, 'dns', index]),
  }));
  return {
    name,
    owner: raw.owner,
    proxied: raw.proxied ?? DEFAULTS.zoneProxied,
    // What `sources` has under `cloudflare.zones.<name>.tls` (nothing for a zone key written
    // otherwise than its canonical name).
    tls: raw.tls === undefined ? undefined : tls(raw.tls, (key) => recorded(['cloudflare', 'zones', name, 'tls', key])),
    dns,
    waf: raw.waf === undefined ? undefined : waf(raw.waf, [...path, 'waf'], at),
    cache:
      raw.cache === undefined
        ? undefined
        : cache(raw.cache, [...path, 'cache'], at, (key) => recorded(['cloudflare', 'zones', name, 'cache', key])),
    source: at(path),
  };
}

function tls(raw: NonNullable<RawZone['tls']>, source: (key: string) => SourceLocation | undefined): TlsConfig {
  const hsts = raw.hsts;
  const sources: Record<string, SourceLocation> = {};
  for (const key of Object.keys(raw)) {
    const location = source(key);
    if (location !== undefined) sources[key] = location;
  }
  return {
    mode: raw.mode,
    minVersion: raw.min_version,
    alwaysUseHttps: raw.always_use_https,
    automaticHttpsRewrites: raw.automatic_https_rewrites,
    hsts:
      hsts === undefined
        ? undefined
        : {
            enabled: hsts.enabled ?? true,
            maxAge: hsts.max_age,
            includeSubdomains: hsts.include_subdomains ?? false,
            preload: hsts.preload ?? false,
            nosniff: hsts.nosniff ?? false,
          },
    sources,
  };
}

function waf(raw: NonNullable<RawZone['waf']>, path: Path, at: (path: Path) => SourceLocation): WafConfig {
  return {
    managed: [...new Set(raw.managed ?? [])],
    ...(raw.managed === undefined ? {} : { managedSource: at([...path, 'managed']) }),
    custom: (raw.custom ?? []).map((rule, index) => ({
      ref: rule.ref,
      description: rule.description,
      action: rule.action,
      expression: rule.expression,
      enabled: rule.enabled ?? true,
      source: at([...path, 'custom', index]),
    })),
    rateLimits: (raw.rate_limits ?? []).map((rule, index) => ({
      ref: rule.ref,
      description: rule.description,
      expression: rule.expression,
      requests: rule.requests,
      period: rule.period,
      timeout: rule.timeout,
      action: rule.action,
      characteristics: rule.characteristics ?? [...DEFAULTS.rateLimitCharacteristics],
      enabled: rule.enabled ?? true,
      source: at([...path, 'rate_limits', index]),
    })),
  };
}
