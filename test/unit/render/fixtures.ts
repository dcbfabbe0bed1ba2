import type { AttributeDiff, Change, Plan } from '../../../src/engine/types.js';
import type { ProviderId, Resource, ResourceKind, SourceLocation } from '../../../src/model/resource.js';
import { Unknown, type Value } from '../../../src/model/value.js';
import type { Diagnostic } from '../../../src/runtime/diagnostics.js';

/** Secret values planted in the scenario; no rendering of it may contain any of them. */
export const SECRET = 'sk_live_9f8e7d6c5b4a-never-print-me';
export const OLD_SECRET = 'sk_live_0000old1111-never-print-me';
export const SESSION_SECRET = 'sess_5up3r-s3cr3t-never-print-me';
export const DATABASE_URL = 'postgres://u:pw-never-print-me@db.internal:5432/d';
export const SECRETS: readonly string[] = [SECRET, OLD_SECRET, SESSION_SECRET, DATABASE_URL];

export function at(line: number, col: number, file = 'app.yaml'): SourceLocation {
  return { file, line, col };
}

/** A Resource; `kind[scope/name]` address unless given. */
export function aResource(
  kind: ResourceKind,
  scope: string,
  attributes: { readonly [name: string]: Value },
  extra: Partial<Resource> & { name?: string } = {},
): Resource {
  const { name, ...rest } = extra;
  return {
    address: `${kind}[${name === undefined ? scope : `${scope}/${name}`}]`,
    provider: kind.split('.')[0] as ProviderId,
    kind,
    scope,
    attributes,
    sensitive: [],
    ...rest,
  };
}

export function diff(
  attribute: string,
  before: Value | undefined,
  after: Value | undefined,
  extra: Partial<AttributeDiff> = {},
): AttributeDiff {
  return {
    attribute,
    ...(before === undefined ? {} : { before }),
    ...(after === undefined ? {} : { after }),
    sensitive: false,
    ...extra,
  };
}

function base(resource: Resource, diffs: readonly AttributeDiff[]) {
  return { address: resource.address, provider: resource.provider, kind: resource.kind, scope: resource.scope, diffs };
}

export function aCreate(after: Resource, diffs: readonly AttributeDiff[]): Change {
  return { ...base(after, diffs), action: 'create', after };
}
export function anUpdate(before: Resource, after: Resource, diffs: readonly AttributeDiff[]): Change {
  return { ...base(after, diffs), action: 'update', before, after };
}
export function aReplace(
  before: Resource,
  after: Resource,
  diffs: readonly AttributeDiff[],
  because: string[],
): Change {
  return { ...base(after, diffs), action: 'replace', before, after, because };
}
export function aDelete(before: Resource, diffs: readonly AttributeDiff[]): Change {
  return { ...base(before, diffs), action: 'delete', before };
}

/** A plan around `changes`; the summary is counted from them. */
export function aPlan(changes: readonly Change[], extra: Partial<Plan> = {}): Plan {
  const count = (action: Change['action']) => changes.filter((c) => c.action === action).length;
  return {
    formatVersion: 1,
    scopes: [],
    changes,
    deferred: [],
    unmanaged: [],
    diagnostics: [],
    summary: { create: count('create'), update: count('update'), replace: count('replace'), delete: count('delete') },
    liveCounts: {},
    digests: { desired: 'd'.repeat(64), live: 'e'.repeat(64) },
    ...extra,
  };
}

export const emptyPlan = (): Plan => aPlan([], { scopes: ['production', 'staging'] });

const LONG_EXPRESSION =
  '(http.request.uri.path contains "/wp-admin") or (http.user_agent contains "sqlmap|nikto") or (ip.src in {192.0.2.0/24 198.51.100.0/24})';

const cname = new Unknown('DNS target of heroku.domain[staging/www.daffeinated.com]', {
  ref: { address: 'heroku.domain[staging/www.daffeinated.com]', attribute: 'cname' },
});

/**
 * The golden scenario: every action, a sensitive change (by `diff.sensitive` and by
 * `Resource.sensitive` alone), Unknowns, a replace with `because`, an unchanged row, a value long
 * enough to wrap, deferred and unmanaged entries, a diagnostic and source locations. Changes are
 * deliberately out of order.
 */
export function scenarioPlan(): Plan {
  const configBefore = aResource(
    'heroku.config',
    'staging',
    { LOG_LEVEL: 'info', OLD_VAR: '1', SECRET_KEY: OLD_SECRET, SESSION_SECRET: 'x', DATABASE_URL },
    { sensitive: ['SECRET_KEY', 'DATABASE_URL'] },
  );
  const configAfter = aResource(
    'heroku.config',
    'staging',
    {
      LOG_LEVEL: 'debug',
      SECRET_KEY: SECRET,
      SESSION_SECRET,
      FEATURES: { beta: true, alpha: ['x', 'y'] },
      CORS_ORIGINS:
        'https://daffeinated.com,https://www.daffeinated.com,https://staging.daffeinated.com,https://admin.daffeinated.com',
    },
    { sensitive: ['SECRET_KEY', 'SESSION_SECRET'], exclusive: true, source: at(14, 5) },
  );
  const drain = (url: string) =>
    aResource('heroku.drain', 'staging', { url, name: 'papertrail' }, { name: 'papertrail' });
  const ruleset = (expression: string) =>
    aResource(
      'cloudflare.ruleset',
      'daffeinated.com',
      { rules: [{ ref: 'daffeinated:block', expression, action: 'block' }] },
      {
        name: 'http_request_firewall_custom',
        source: at(72, 7),
      },
    );
  const diagnostics: Diagnostic[] = [
    {
      severity: 'warning',
      message: 'size "standard-1x" is deprecated',
      path: 'environments.staging.formation.worker.size',
      file: 'app.yaml',
      line: 22,
      col: 15,
      hint: 'use "standard-1X" or "basic"',
    },
  ];
  return aPlan(
    [
      aCreate(
        aResource(
          'cloudflare.dns',
          'daffeinated.com',
          { content: cname, proxied: true, ttl: 1 },
          { name: 'CNAME/www', source: at(64, 9) },
        ),
        [
          diff('content', undefined, cname, { source: at(65, 18) }),
          diff('proxied', undefined, true),
          diff('ttl', undefined, 1),
        ],
      ),
      aDelete(
        aResource(
          'heroku.addon',
          'production',
          { plan: 'heroku-redis:mini', service: 'heroku-redis' },
          { name: 'cache' },
        ),
        [diff('service', 'heroku-redis', undefined), diff('plan', 'heroku-redis:mini', undefined)],
      ),
      anUpdate(
        aResource('heroku.app', 'staging', { maintenance: false, stack: 'heroku-22' }),
        aResource('heroku.app', 'staging', { maintenance: true, stack: 'heroku-24' }, { source: at(10, 5) }),
        [
          diff('stack', 'heroku-22', 'heroku-24', { source: at(12, 12) }),
          diff('maintenance', false, true, { source: at(11, 18) }),
        ],
      ),
      aReplace(
        drain('syslog+tls://logs.papertrailapp.com:1234'),
        { ...drain('syslog+tls://logs.papertrailapp.com:5678'), source: at(30, 7) },
        [
          diff('url', 'syslog+tls://logs.papertrailapp.com:1234', 'syslog+tls://logs.papertrailapp.com:5678'),
          diff('name', 'papertrail', 'papertrail'),
        ],
        ['url'],
      ),
      anUpdate(configBefore, configAfter, [
        diff('SECRET_KEY', OLD_SECRET, SECRET, { sensitive: true, source: at(16, 19) }),
        diff('SESSION_SECRET', 'x', SESSION_SECRET, { source: at(17, 23) }),
        diff('LOG_LEVEL', 'info', 'debug', { source: at(15, 18) }),
        diff('OLD_VAR', '1', undefined),
        diff('FEATURES', undefined, { beta: true, alpha: ['x', 'y'] }, { source: at(18, 17) }),
        diff('CORS_ORIGINS', undefined, configAfter.attributes['CORS_ORIGINS'], { source: at(19, 21) }),
      ]),
      aCreate(
        aResource(
          'heroku.domain',
          'staging',
          { hostname: 'www.daffeinated.com', cname },
          { name: 'www.daffeinated.com', source: at(40, 9) },
        ),
        [diff('hostname', undefined, 'www.daffeinated.com'), diff('cname', undefined, cname)],
      ),
      anUpdate(ruleset('(http.request.uri.path contains "/wp-admin")'), ruleset(LONG_EXPRESSION), [
        diff(
          'rules',
          [{ ref: 'daffeinated:block', expression: '(http.request.uri.path contains "/wp-admin")', action: 'block' }],
          [{ ref: 'daffeinated:block', expression: LONG_EXPRESSION, action: 'block' }],
          { source: at(73, 9) },
        ),
      ]),
    ],
    {
      scopes: ['staging', 'production', 'daffeinated.com'],
      deferred: [
        {
          address: 'heroku.formation[staging/web]',
          reason: 'process type "web" exists only after the first release; run `daffeinated deploy staging`',
        },
      ],
      unmanaged: [
        { address: 'heroku.config[staging]', attribute: 'LEGACY_FLAG', note: 'not declared in app.yaml' },
        {
          address: 'heroku.addon[staging/papertrail-legacy]',
          note: 'not declared in app.yaml; left alone (declare it under environments.staging.addons with name: papertrail-legacy to manage it, or set environments.staging.prune.addons: true to remove it)',
        },
      ],
      diagnostics,
    },
  );
}
