import { describe, expect, it } from 'vitest';
import type { Change } from '../../../src/engine/types.js';
import type { Config } from '../../../src/model/config.js';
import type { Resource } from '../../../src/model/resource.js';
import type { AddonStatus, Provider, ReadScope, ReleaseStatus } from '../../../src/providers/provider.js';
import { ExitCode, NotFoundError, ProviderError } from '../../../src/runtime/errors.js';
import type { Connection } from '../../../src/workflows/connection.js';
import { deriveDrill } from '../../../src/workflows/drill-environment.js';
import { examineDrillApp, tearDownDrill } from '../../../src/workflows/drill-teardown.js';
import { prepareEnvironments } from '../../../src/workflows/prepare.js';
import { environmentConfig } from '../../helpers/config.js';

const DRILL_APP = 'daffeinated-production-drill';

/** What the Heroku API answers about one app name: its config var names (undefined: no such app), add-ons and releases. */
interface Standing {
  readonly keys?: string[] | Error;
  readonly addons?: number;
  readonly slugs?: (string | null)[];
}

function examining(standing: Standing, calls: string[] = []): Connection {
  const release = (slugId: string | null, i: number): ReleaseStatus => ({
    id: `r${i}`,
    version: i + 1,
    status: 'succeeded',
    current: i === 0,
    slugId,
    description: '',
    outputStreamUrl: null,
  });
  const delivery = {
    configKeys: async (app: string) => {
      calls.push(`configKeys ${app}`);
      if (standing.keys instanceof Error) throw standing.keys;
      if (standing.keys === undefined)
        throw new NotFoundError('heroku', `GET /apps/${app}/config-vars failed (HTTP 404)`, {});
      return standing.keys;
    },
    addons: async (app: string): Promise<AddonStatus[]> => {
      calls.push(`addons ${app}`);
      return Array.from({ length: standing.addons ?? 0 }, (_, i) => ({
        name: `addon-${i}`,
        plan: 'heroku-redis:mini',
        state: 'provisioned',
      }));
    },
    releases: async (app: string, count: number) => {
      calls.push(`releases ${app} ${count}`);
      return (standing.slugs ?? []).map(release);
    },
  };
  return { delivery } as unknown as Connection;
}

describe('examineDrillApp', () => {
  it('an app that does not exist is absent', async () => {
    expect(await examineDrillApp(examining({}), DRILL_APP)).toEqual({ kind: 'absent', app: DRILL_APP });
  });

  it('any other failure to read it is thrown, not taken for an absent app', async () => {
    const outage = new ProviderError('heroku', 'GET /apps/x/config-vars failed (HTTP 503)', {});
    await expect(examineDrillApp(examining({ keys: outage }), DRILL_APP)).rejects.toBe(outage);
  });

  it('a drill-named app with the drill marker is marked, without reading more', async () => {
    const calls: string[] = [];
    expect(
      await examineDrillApp(
        examining({ keys: ['DATABASE_URL', 'DAFFEINATED_DRILL'], addons: 2, slugs: ['s1'] }, calls),
        DRILL_APP,
      ),
    ).toEqual({ kind: 'marked', app: DRILL_APP });
    expect(calls).toEqual([`configKeys ${DRILL_APP}`]);
  });

  it('a drill-named app with nothing in it (a drill killed before its marker) is pristine', async () => {
    const calls: string[] = [];
    expect(await examineDrillApp(examining({ keys: [], slugs: [null, null] }, calls), DRILL_APP)).toEqual({
      kind: 'pristine',
      app: DRILL_APP,
    });
    expect(calls).toEqual([`configKeys ${DRILL_APP}`, `addons ${DRILL_APP}`, `releases ${DRILL_APP} 10`]);
  });

  it('an app holding anything without the marker is foreign, saying what it holds', async () => {
    expect(await examineDrillApp(examining({ keys: ['A', 'B'], addons: 1, slugs: [null, 's1'] }), DRILL_APP)).toEqual({
      kind: 'foreign',
      app: DRILL_APP,
      holds: '2 config var(s), 1 add-on(s), released code',
    });
    expect(await examineDrillApp(examining({ keys: [], addons: 3 }), DRILL_APP)).toMatchObject({
      kind: 'foreign',
      holds: '3 add-on(s)',
    });
    expect(await examineDrillApp(examining({ keys: [], slugs: ['s1'] }), DRILL_APP)).toMatchObject({
      kind: 'foreign',
      holds: 'released code',
    });
  });

  it('the marker or emptiness counts only on a name ending in the drill suffix', async () => {
    expect(await examineDrillApp(examining({ keys: ['DAFFEINATED_DRILL'] }), 'shop-production')).toEqual({
      kind: 'foreign',
      app: 'shop-production',
      holds: '1 config var(s)',
    });
    expect(await examineDrillApp(examining({ keys: [] }), 'shop-production')).toEqual({
      kind: 'foreign',
      app: 'shop-production',
      holds: 'no drill marker',
    });
  });
});

describe("tearDownDrill's deletions", () => {
  const addon = (name: string) => ({
    plan: 'heroku-postgresql:essential-0',
    service: 'heroku-postgresql',
    as: name.toUpperCase(),
    name: undefined,
    options: {},
    optionsSensitive: false,
    protect: undefined,
    backupSchedule: undefined,
  });
  const production = {
    ...environmentConfig('production', []),
    addons: { database: addon('database'), cache: addon('cache') },
  };
  const config: Config = {
    file: 'app.yaml',
    version: 1,
    name: 'x',
    pipeline: undefined,
    environments: { production },
    cloudflare: { zones: {} },
    drift: { ignore: [] },
    sources: {},
  };
  const derived = deriveDrill(config, 'production', null);
  if (derived === undefined) throw new Error('no derivation');
  const prepared = prepareEnvironments(
    derived.config,
    { names: ['production-drill'], all: false, defaultAll: false },
    {},
  );
  const drillResources = prepared.desired.resources.filter((r) => r.kind === 'heroku.app' || r.kind === 'heroku.addon');
  const live = (r: Resource): Resource => ({ ...r, liveId: `id-${r.address}` });

  /** A Heroku provider whose read answers `resources`; it records reads and applied changes. */
  function heroku(resources: readonly Resource[]) {
    const reads: ReadScope[] = [];
    const applied: string[][] = [];
    const provider: Provider = {
      id: 'heroku',
      read: async (scope) => {
        reads.push(scope);
        return { resources, deferred: [], diagnostics: [] };
      },
      apply: async (changes: readonly Change[]) => {
        applied.push(changes.map((c) => `${c.action} ${c.address}`));
        return { applied: changes.map((c) => c.address), failed: [], notAttempted: [], outputs: new Map() };
      },
    };
    const connection = { providers: new Map([['heroku', provider]]), digestKey: 'key' } as unknown as Connection;
    return { connection, reads, applied };
  }

  it('deletes the add-ons, then the app, and nothing else it reads', async () => {
    const app = drillResources.find((r) => r.kind === 'heroku.app') as Resource;
    const addons = drillResources.filter((r) => r.kind === 'heroku.addon');
    const elsewhere = {
      ...live(addons[0] as Resource),
      address: 'heroku.addon[production/database]',
      scope: 'production',
    };
    const config = {
      ...live(app),
      address: 'heroku.config[production-drill]',
      kind: 'heroku.config',
      attributes: { A: '1' },
    } as Resource;
    const { connection, reads, applied } = heroku([...drillResources.map(live), elsewhere, config]);
    const info: string[] = [];
    const torn = await tearDownDrill(
      connection,
      prepared,
      { kind: 'marked', app: DRILL_APP },
      { info: (m) => info.push(m), warn: () => {}, progress: () => {} },
    );
    const addonAddresses = addons.map((a) => a.address).sort();
    expect(reads.map((r) => [r.scopes, r.desired.map((d) => d.address).sort()])).toEqual([
      [['production-drill'], drillResources.map((r) => r.address).sort()],
    ]);
    expect(applied.map((group) => group.sort())).toEqual([
      ...addonAddresses.map((a) => [`delete ${a}`]),
      [`delete ${app.address}`],
    ]);
    expect(torn.deleted.slice(0, 2).sort()).toEqual(addonAddresses);
    expect(torn.deleted[2]).toBe(app.address);
    expect(info).toEqual([`Tearing down ${torn.deleted.slice(0, 2).join(', ')}`, `Tearing down ${app.address}`]);
  });

  it('a pristine app without add-ons: only the app is deleted', async () => {
    const app = drillResources.find((r) => r.kind === 'heroku.app') as Resource;
    const { connection, applied } = heroku([live(app)]);
    const info: string[] = [];
    const torn = await tearDownDrill(
      connection,
      prepared,
      { kind: 'pristine', app: DRILL_APP },
      { info: (m) => info.push(m), warn: () => {}, progress: () => {} },
    );
    expect(torn).toEqual({ deleted: [app.address] });
    expect(applied).toEqual([[`delete ${app.address}`]]);
    expect(info).toEqual([`Tearing down ${app.address}`]);
  });

  it('refuses a read that puts another app in the drill environment, before any deletion', async () => {
    const app = drillResources.find((r) => r.kind === 'heroku.app') as Resource;
    const other = { ...live(app), attributes: { ...app.attributes, name: 'daffeinated-production' } };
    const { connection, applied } = heroku([other]);
    const error = await tearDownDrill(
      connection,
      prepared,
      { kind: 'marked', app: DRILL_APP },
      { info: () => {}, warn: () => {}, progress: () => {} },
    ).catch((e: unknown) => e as { exitCode: number });
    expect(error).toMatchObject({ exitCode: ExitCode.Refused });
    expect(applied).toEqual([]);
  });

  it('needs exactly the drill environment, and the Heroku provider', async () => {
    const reporter = { info: () => {}, warn: () => {}, progress: () => {} };
    const both = prepareEnvironments(
      derived.config,
      { names: ['production-drill', 'production'], all: false, defaultAll: false },
      {},
    );
    await expect(
      tearDownDrill(heroku([]).connection, both, { kind: 'marked', app: DRILL_APP }, reporter),
    ).rejects.toThrow('tearDownDrill needs exactly the drill environment');
    const none = { providers: new Map(), digestKey: 'key' } as unknown as Connection;
    await expect(tearDownDrill(none, prepared, { kind: 'marked', app: DRILL_APP }, reporter)).rejects.toThrow(
      'tearDownDrill needs the Heroku provider',
    );
  });
});
