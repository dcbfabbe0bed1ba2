import type { Config, EnvironmentConfig } from '../model/config.js';
import type { Resource } from '../model/resource.js';
import type { CommitComparison, DnsPointing, EnvironmentStatus, StatusReport } from '../model/status.js';
import type { DomainStatus, ReleaseStatus } from '../providers/provider.js';
import { NotFoundError } from '../runtime/errors.js';
import { gitCommitsBehind } from '../runtime/exec.js';
import type { Connection } from './connection.js';
import { healthNow } from './health.js';
import type { Prepared } from './prepare.js';

const STAGE_ORDER: Readonly<Record<string, number>> = { development: 0, staging: 1, production: 2 };

/** The environments in pipeline order: development, staging, production, then those without a stage; ties in declared order. */
export function pipelineOrder(config: Config, names: readonly string[]): EnvironmentConfig[] {
  const declared = Object.keys(config.environments);
  return names
    .map((name) => config.environments[name])
    .filter((e): e is EnvironmentConfig => e !== undefined)
    .sort(
      (a, b) =>
        (STAGE_ORDER[a.stage ?? ''] ?? 3) - (STAGE_ORDER[b.stage ?? ''] ?? 3) ||
        declared.indexOf(a.name) - declared.indexOf(b.name),
    );
}

/**
 * What runs where, read in two rounds for every environment at once. Round one, all concurrent:
 * per app its 10 newest releases, formation, dynos, add-ons and domains, its health path now
 * (which reads the app for its web URL), and each declared zone's DNS listing (through the
 * Cloudflare provider, DNS only). Round two: the slug of each current release, for its commit.
 * Commits are then compared stage to stage with the local git clone at `cwd`, when it has them.
 */
export async function readStatus(connection: Connection, prepared: Prepared, cwd: string): Promise<StatusReport> {
  const environments = pipelineOrder(prepared.config, prepared.environments);
  const [records, ...states] = await Promise.all([
    dnsRecords(connection, prepared),
    ...environments.map((e) => readEnvironment(connection, e)),
  ]);
  const report = environments.map((environment, i) => {
    const state = states[i] as EnvironmentRead;
    return toStatus(environment, state, (hostname, target) => pointing(prepared.config, records, hostname, target));
  });
  return { environments: report, comparisons: await compareCommits(report, cwd) };
}

interface EnvironmentRead {
  readonly exists: boolean;
  readonly current: ReleaseStatus | undefined;
  readonly commit: string | null;
  readonly formation: EnvironmentStatus['formation'];
  readonly dynoStates: readonly string[];
  readonly addons: EnvironmentStatus['addons'];
  readonly domains: readonly DomainStatus[];
  readonly health: EnvironmentStatus['health'];
}

async function readEnvironment(connection: Connection, environment: EnvironmentConfig): Promise<EnvironmentRead> {
  const { delivery } = connection;
  const app = environment.app;
  const reads = await Promise.allSettled([
    delivery.releases(app, 10),
    delivery.formation(app),
    delivery.dynos(app),
    delivery.addons(app),
    delivery.domains(app),
    healthNow(connection, environment),
  ] as const);
  const failure = reads.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure !== undefined) {
    if (!(failure.reason instanceof NotFoundError)) throw failure.reason;
    return {
      exists: false,
      current: undefined,
      commit: null,
      formation: [],
      dynoStates: [],
      addons: [],
      domains: [],
      health: { kind: 'skipped', reason: `${app} does not exist` },
    };
  }
  const [releases, formation, dynos, addons, domains, health] = reads.map(
    (r) => (r as PromiseFulfilledResult<unknown>).value,
  ) as [
    ReleaseStatus[],
    Awaited<ReturnType<typeof delivery.formation>>,
    Awaited<ReturnType<typeof delivery.dynos>>,
    Awaited<ReturnType<typeof delivery.addons>>,
    DomainStatus[],
    EnvironmentStatus['health'],
  ];
  const current = releases.find((r) => r.current);
  const commit = current?.slugId == null ? null : (await delivery.slug(app, current.slugId)).commit;
  return {
    exists: true,
    current,
    commit,
    formation: [...formation].sort((a, b) => compare(a.type, b.type)),
    dynoStates: dynos.map((d) => d.state),
    addons: [...addons].sort((a, b) => compare(a.name, b.name)),
    domains,
    health,
  };
}

function toStatus(
  environment: EnvironmentConfig,
  read: EnvironmentRead,
  dnsOf: (hostname: string, target: string | null) => DnsPointing,
): EnvironmentStatus {
  const counts = new Map<string, number>();
  for (const state of read.dynoStates) counts.set(state, (counts.get(state) ?? 0) + 1);
  const current = read.current;
  return {
    name: environment.name,
    stage: environment.stage,
    app: environment.app,
    exists: read.exists,
    release:
      current === undefined
        ? undefined
        : {
            version: current.version,
            status: current.status,
            description: current.description,
            commit: read.commit,
            user: current.user ?? null,
            createdAt: current.createdAt ?? null,
          },
    formation: read.formation,
    dynos: [...counts].sort(([a], [b]) => compare(a, b)).map(([state, count]) => ({ state, count })),
    addons: read.addons,
    domains: [...read.domains]
      .sort((a, b) => compare(a.hostname, b.hostname))
      .map((d) => ({
        hostname: d.hostname,
        target: d.cname,
        certificate: d.acmStatus,
        dns: dnsOf(d.hostname, d.cname),
      })),
    health: read.health,
  };
}

/**
 * The live DNS records of every declared zone (the Cloudflare provider's read, DNS only); none
 * without zones. A zone that cannot be read is said so per domain, not a failed status.
 */
async function dnsRecords(connection: Connection, prepared: Prepared): Promise<readonly Resource[] | string> {
  const cloudflare = connection.providers.get('cloudflare');
  const desired = prepared.desired.resources.filter((r) => r.kind === 'cloudflare.dns');
  if (cloudflare === undefined || Object.keys(prepared.config.cloudflare.zones).length === 0) return [];
  try {
    const live = await cloudflare.read({ scopes: prepared.environments, desired });
    return live.resources.filter((r) => r.kind === 'cloudflare.dns');
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** Whether `hostname`'s CNAME (or other record) in its declared zone points at Heroku's `target`. */
function pointing(
  config: Config,
  records: readonly Resource[] | string,
  hostname: string,
  target: string | null,
): DnsPointing {
  const zone = Object.keys(config.cloudflare.zones).find((z) => hostname === z || hostname.endsWith(`.${z}`));
  if (zone === undefined) return { kind: 'unmanaged' };
  if (typeof records === 'string') return { kind: 'unreadable', reason: records };
  const name = hostname === zone ? '@' : hostname.slice(0, -(zone.length + 1));
  const inZone = records.filter(
    (r) => r.address.startsWith(`cloudflare.dns[${zone}/`) && r.attributes['name'] === name,
  );
  const record =
    inZone.find((r) => r.attributes['type'] === 'CNAME') ??
    inZone.find((r) => ['A', 'AAAA'].includes(String(r.attributes['type'])));
  if (record === undefined) return { kind: 'missing' };
  const content = String(record.attributes['content']);
  const same = target !== null && content.replace(/\.$/, '').toLowerCase() === target.replace(/\.$/, '').toLowerCase();
  return { kind: same ? 'points' : 'elsewhere', content };
}

/** Each later stage against the one before it, where both run code and the commits differ. */
async function compareCommits(environments: readonly EnvironmentStatus[], cwd: string): Promise<CommitComparison[]> {
  const pairs: { from: EnvironmentStatus; to: EnvironmentStatus; fromCommit: string; toCommit: string }[] = [];
  for (let i = 1; i < environments.length; i++) {
    const from = environments[i - 1] as EnvironmentStatus;
    const to = environments[i] as EnvironmentStatus;
    const fromCommit = from.release?.commit;
    const toCommit = to.release?.commit;
    if (fromCommit == null || toCommit == null || fromCommit === toCommit) continue;
    pairs.push({ from, to, fromCommit, toCommit });
  }
  return Promise.all(
    pairs.map(async ({ from, to, fromCommit, toCommit }) => ({
      from: from.name,
      to: to.name,
      fromCommit,
      toCommit,
      behind: await gitCommitsBehind(cwd, toCommit, fromCommit),
    })),
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
