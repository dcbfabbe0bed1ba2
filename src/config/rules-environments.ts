/**
 * Rules that need more than one node: keys required only after the `defaults` merge, names that
 * must be unique across environments, add-on attachments against config vars, and Heroku's dyno
 * tier rules. They read the merged, possibly invalid document defensively: ill-typed values are
 * skipped (the schema reports them) so every problem still shows in one run.
 */
import { ECO_DYNOS_PER_APP, PROFESSIONAL_SIZE, SINGLE_DYNO_SIZES } from './constants.js';
import { type MergedEnvironment, originOf } from './environments.js';
import { type Findings, items, str } from './findings.js';
import { canonicalHostname } from './hostname.js';
import { entries, entry, isPlainMap } from './tree.js';

export function checkEnvironments(environments: readonly MergedEnvironment[], findings: Findings): void {
  for (const environment of environments) {
    requiredAfterMerge(environment, findings);
    uniqueWithinLists(environment, findings);
    attachments(environment, findings);
    dynoTiers(environment, findings);
  }
  uniqueAcross(
    environments,
    findings,
    ['app'],
    (value) => value,
    (name, other) => ({
      message: `app "${name}" is already used by environment ${other}`,
      hint: 'each environment needs its own Heroku app',
    }),
  );
  uniqueAcross(environments, findings, ['domains', '*'], canonicalHostname, (name, other) => ({
    message: `domain "${name}" is already declared by environment ${other}`,
    hint: 'a custom domain can belong to one Heroku app only',
  }));
  uniqueAcross(
    environments,
    findings,
    ['addons', '*', 'name'],
    (value) => value,
    (name, other) => ({
      message: `add-on name "${name}" is already used in environment ${other}`,
      hint: 'add-on names are globally unique on Heroku; give each environment its own or leave name out',
    }),
  );
}

const REQUIRED: readonly { collection: string; keys: readonly string[]; what: string }[] = [
  { collection: 'formation', keys: ['quantity', 'size'], what: 'process type' },
  { collection: 'addons', keys: ['plan'], what: 'add-on' },
];

function requiredAfterMerge(environment: MergedEnvironment, findings: Findings): void {
  for (const { collection, keys, what } of REQUIRED) {
    for (const [name, body] of entries(entry(environment.value, collection))) {
      if (!isPlainMap(body)) continue;
      for (const key of keys) {
        if (body[key] !== undefined) continue;
        const origin = originOf(environment, [collection, name]);
        findings.error([...origin, key], `${what} "${name}" has no ${key}`, {
          at: 'declaration',
          hint:
            origin[0] === 'defaults'
              ? `set ${key} here, or in each environment that uses ${collection}.${name}`
              : `set ${key} here, or for every environment under defaults.${collection}.${name}`,
        });
      }
    }
  }
  const healthcheck = entry(environment.value, 'healthcheck');
  if (isPlainMap(healthcheck) && healthcheck['path'] === undefined) {
    findings.error([...originOf(environment, ['healthcheck']), 'path'], 'healthcheck has no path', {
      at: 'declaration',
      hint: 'add e.g. `path: /health` here or under defaults.healthcheck',
    });
  }
}

function uniqueWithinLists(environment: MergedEnvironment, findings: Findings): void {
  for (const list of ['buildpacks', 'features', 'domains', 'log_drains']) {
    const seen = new Set<string>();
    for (const [index, item] of items(entry(environment.value, list))) {
      const value = str(item);
      if (value === undefined) continue;
      const key = list === 'domains' ? canonicalHostname(value) : value;
      if (seen.has(key)) findings.error(originOf(environment, [list, index]), `"${value}" is listed twice in ${list}`);
      seen.add(key);
    }
  }
}

/**
 * The attachment name Heroku gives an add-on of these services when none is declared and the name
 * is free: the first Postgres is `DATABASE` (→ `DATABASE_URL`), the first Redis `REDIS`.
 * Source: Dev Center "Provisioning Heroku Postgres" (`└─ as DATABASE`), "Heroku Data for Redis".
 */
const DEFAULT_ATTACHMENTS: Readonly<Record<string, string>> = {
  'heroku-postgresql': 'DATABASE',
  'heroku-redis': 'REDIS',
};

/**
 * Attachment names are unique per app, and the config vars they set belong to the add-on — also
 * under the default name an add-on without `as` gets, so a declared `DATABASE_URL` beside
 * heroku-postgresql is refused here rather than silently moving the database to a colour name
 * (`HEROKU_POSTGRESQL_<COLOR>_URL`) on Heroku.
 */
function attachments(environment: MergedEnvironment, findings: Findings): void {
  const byName = new Map<string, { addon: string; implicit: boolean }>();
  const undeclared: [string, string][] = [];
  for (const [addon, body] of entries(entry(environment.value, 'addons'))) {
    const as = str(entry(body, 'as'))?.toUpperCase();
    if (as === undefined) {
      const service = str(entry(body, 'plan'))?.split(':')[0];
      const name = service === undefined ? undefined : DEFAULT_ATTACHMENTS[service];
      if (name !== undefined) undeclared.push([addon, name]);
      continue;
    }
    const other = byName.get(as);
    if (other !== undefined) {
      findings.error(
        originOf(environment, ['addons', addon, 'as']),
        `attachment name ${as} is already used by add-on "${other.addon}"`,
        {
          hint: 'each add-on attached to an app needs its own name',
        },
      );
      continue;
    }
    byName.set(as, { addon, implicit: false });
  }
  for (const [addon, name] of undeclared) if (!byName.has(name)) byName.set(name, { addon, implicit: true });
  for (const [key] of entries(entry(environment.value, 'config'))) {
    const name = /^(.+)_URL$/.exec(key.toUpperCase())?.[1];
    const owner = name === undefined ? undefined : byName.get(name);
    if (owner === undefined) continue;
    findings.error(
      originOf(environment, ['config', key]),
      `config var ${key} is set by add-on "${owner.addon}" (attached as ${name}${owner.implicit ? ', Heroku\'s default for its service' : ''})`,
      {
        at: 'declaration',
        hint: owner.implicit
          ? `remove it from config, or give add-on "${owner.addon}" another attachment name with \`as:\`; Heroku would otherwise attach it under a colour name and leave ${key} pointing elsewhere`
          : 'remove it from config: Heroku sets add-on config vars and refuses to overwrite them',
      },
    );
  }
}

function tierOf(size: string): string {
  if (SINGLE_DYNO_SIZES.includes(size)) return size;
  if (PROFESSIONAL_SIZE.test(size)) return 'standard/performance';
  return size.split('-')[0] as string;
}

/**
 * Heroku's dyno tier rules (Dev Center "Dyno Scaling and Process Limits", "Dyno Tiers"): Eco and
 * Basic run one dyno per process type, an Eco app at most two dynos in all, an app uses one tier,
 * and `preboot` needs Standard or Performance dynos.
 */
function dynoTiers(environment: MergedEnvironment, findings: Findings): void {
  let first: { type: string; size: string; tier: string } | undefined;
  let single: string | undefined;
  let ecoDynos = 0;
  for (const [type, body] of entries(entry(environment.value, 'formation'))) {
    const size = str(entry(body, 'size'))?.toLowerCase();
    if (size === undefined) continue;
    const quantity = entry(body, 'quantity');
    const count = Number.isInteger(quantity) ? (quantity as number) : 0;
    if (SINGLE_DYNO_SIZES.includes(size)) single ??= size;
    if (SINGLE_DYNO_SIZES.includes(size) && count > 1) {
      findings.error(
        originOf(environment, ['formation', type, 'quantity']),
        `${size} dynos run at most 1 per process type, not ${quantity}`,
        {
          hint: 'use standard-1x or larger to run more than one dyno',
        },
      );
    } else if (size === 'eco' && count > 0 && ecoDynos + count > ECO_DYNOS_PER_APP) {
      findings.error(
        originOf(environment, ['formation', type, 'quantity']),
        `an app on eco dynos runs at most ${ECO_DYNOS_PER_APP} dynos in all; process type ${type} would be dyno ${ecoDynos + count}`,
        { hint: 'scale a process type to 0, or use basic or larger dynos' },
      );
    }
    if (size === 'eco') ecoDynos += Math.min(count, 1);
    const tier = tierOf(size);
    if (first === undefined) first = { type, size, tier };
    else if (tier !== first.tier) {
      findings.error(
        originOf(environment, ['formation', type, 'size']),
        `${size} dynos cannot be mixed with ${first.size} dynos (process type ${first.type}) in environment ${environment.name}`,
        { hint: 'Heroku apps use one dyno tier: eco, basic, standard/performance, private or shield' },
      );
    }
  }
  if (single === undefined) return;
  for (const [index, feature] of items(entry(environment.value, 'features'))) {
    if (str(feature) !== 'preboot') continue;
    findings.error(
      originOf(environment, ['features', index]),
      `preboot needs standard or performance dynos; environment ${environment.name} runs ${single} dynos`,
      { hint: 'remove preboot from features, or use standard-1x or larger dynos' },
    );
  }
}

/**
 * Values at `pattern` (relative, `*` = every key or index) must be unique across environments.
 * A value supplied by one shared node (in defaults) is still a clash: both apps would get it.
 */
function uniqueAcross(
  environments: readonly MergedEnvironment[],
  findings: Findings,
  pattern: readonly string[],
  canonical: (value: string) => string,
  describe: (value: string, other: string) => { message: string; hint: string },
): void {
  const owners = new Map<string, string>();
  for (const environment of environments) {
    const mine = new Set<string>();
    for (const { relative, value } of matches(environment.value, pattern)) {
      const text = str(value);
      if (text === undefined) continue;
      const key = canonical(text);
      const other = owners.get(key);
      if (other !== undefined && other !== environment.name) {
        const { message, hint } = describe(text, other);
        findings.error(originOf(environment, relative), message, { hint });
      }
      mine.add(key);
    }
    for (const key of mine) if (!owners.has(key)) owners.set(key, environment.name);
  }
}

function matches(root: unknown, pattern: readonly string[]): { relative: (string | number)[]; value: unknown }[] {
  let found: { relative: (string | number)[]; value: unknown }[] = [{ relative: [], value: root }];
  for (const step of pattern) {
    found = found.flatMap(({ relative, value }) => {
      if (step !== '*')
        return entry(value, step) === undefined ? [] : [{ relative: [...relative, step], value: entry(value, step) }];
      if (Array.isArray(value)) return value.map((item, index) => ({ relative: [...relative, index], value: item }));
      return entries(value).map(([key, item]) => ({ relative: [...relative, key], value: item }));
    });
  }
  return found;
}
