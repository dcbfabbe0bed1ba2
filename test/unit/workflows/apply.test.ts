import { describe, expect, it } from 'vitest';
import { diffResource } from '../../../src/engine/diff.js';
import { executionLevels } from '../../../src/engine/order.js';
import type { BatchKey, Change, Ordering, Plan } from '../../../src/engine/types.js';
import type { Address, ProviderId, Resource } from '../../../src/model/resource.js';
import { Unknown, type Value } from '../../../src/model/value.js';
import type { ApplyContext, ApplyResult, Provider } from '../../../src/providers/provider.js';
import { DaffError, InternalError, PartialApplyError } from '../../../src/runtime/errors.js';
import { applyPlan } from '../../../src/workflows/apply.js';
import { addon, aResource, app, dns, shuffled } from '../engine/builders.js';

const create = (resource: Resource): Change => diffResource(resource, undefined) as Change;
const remove = (resource: Resource): Change => diffResource(undefined, resource) as Change;

/** A plan of `changes`, in plan order as buildPlan sorts them. */
function planOf(changes: readonly Change[]): Plan {
  return {
    formatVersion: 1,
    scopes: [],
    changes: executionLevels(changes).flat(),
    deferred: [],
    unmanaged: [],
    diagnostics: [],
    summary: { create: 0, update: 0, replace: 0, delete: 0 },
    liveCounts: {},
    digests: { desired: '', live: '' },
  };
}

const reporter = { info: () => {}, warn: () => {}, progress: () => {} };

/** Lets every pending promise callback and I/O callback run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A provider that applies instantly, except changes a test holds until it releases them; it
 * records every call (in one shared journal, across providers) and the changes it was given.
 */
class FakeProvider implements Provider {
  readonly given = new Map<Address, Change>();
  private readonly held = new Map<Address, { promise: Promise<void>; release: () => void }>();

  constructor(
    readonly id: ProviderId,
    private readonly journal: string[],
    private readonly options: {
      readonly key?: (change: Change) => BatchKey | undefined;
      /** Declared as is, with the batch keys `key` gives. */
      readonly ordering?: Ordering;
      readonly fail?: readonly Address[];
      /** The step in which `fail` fails (`first` for a change's first step); absent: any. */
      readonly failIn?: string;
      readonly outputs?: Readonly<Record<Address, { [attribute: string]: Value }>>;
      readonly throws?: boolean;
    } = {},
  ) {}

  hold(address: Address): void {
    let release = () => {};
    const promise = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.held.set(address, { promise, release });
  }

  release(address: Address): void {
    this.held.get(address)?.release();
  }

  read(): never {
    throw new Error('not read in these tests');
  }

  ordering(changes: readonly Change[]): Ordering {
    const batches = changes.flatMap((change) => {
      const key = change.provider === this.id ? this.options.key?.(change) : undefined;
      return key === undefined ? [] : [{ step: { address: change.address }, key }];
    });
    return { ...this.options.ordering, batches: [...(this.options.ordering?.batches ?? []), ...batches] };
  }

  async apply(changes: readonly Change[], context: ApplyContext): Promise<ApplyResult> {
    const addresses = changes.map((c) => c.address);
    const step = context.step === undefined ? '' : ` (${context.step})`;
    this.journal.push(`start ${addresses.join(' + ')}${step}`);
    for (const change of changes) this.given.set(change.address, change);
    if (this.options.throws === true) throw new TypeError('a bug');
    await Promise.all(addresses.map((a) => this.held.get(a)?.promise));
    const failIn = this.options.failIn;
    const failing = new Set(failIn === undefined || failIn === (context.step ?? 'first') ? (this.options.fail ?? []) : []);
    this.journal.push(`end ${addresses.join(' + ')}${step}`);
    return {
      applied: addresses.filter((a) => !failing.has(a)),
      failed: addresses
        .filter((a) => failing.has(a))
        .map((address) => ({ address, error: new DaffError(`${address} broke`) })),
      notAttempted: [],
      outputs: new Map(
        addresses.flatMap((a) => (this.options.outputs?.[a] === undefined ? [] : [[a, this.options.outputs[a]]])),
      ),
    };
  }
}

/** The `content` of the record a provider was asked to create at `address`. */
function contentGiven(provider: FakeProvider, address: Address): Value | undefined {
  const change = provider.given.get(address);
  return change?.action === 'create' ? change.after.attributes['content'] : undefined;
}

const byZone = (change: Change): BatchKey | undefined =>
  change.kind === 'cloudflare.dns' ? { key: change.scope, deletes: 'apart' } : undefined;

const appS = app('staging');
const database = addon('staging', 'database', { plan: 'heroku-postgresql:essential-0' }, { dependsOn: [appS.address] });
const www = aResource('heroku.domain', 'staging', 'www.daffeinated.com', {}, { dependsOn: [appS.address] });
const api = aResource('heroku.domain', 'staging', 'api.daffeinated.com', {}, { dependsOn: [appS.address] });
const cnameTo = (domain: Resource, name: string) =>
  dns(
    'daffeinated.com',
    'CNAME',
    name,
    new Unknown('known after apply', { ref: { address: domain.address, attribute: 'cname' } }),
    {
      dependsOn: [domain.address],
    },
  );
const wwwRecord = cnameTo(www, 'www');
const apiRecord = cnameTo(api, 'api');
const mx = dns('daffeinated.com', 'MX', '@', 'mx1.mail.example');
const targets = {
  [www.address]: { hostname: 'www.daffeinated.com', cname: 'www-1.herokudns.com' },
  [api.address]: { hostname: 'api.daffeinated.com', cname: 'api-2.herokudns.com' },
};

function setUp(options: { herokuFails?: readonly Address[] } = {}) {
  const journal: string[] = [];
  const heroku = new FakeProvider('heroku', journal, {
    outputs: targets,
    ...(options.herokuFails ? { fail: options.herokuFails } : {}),
  });
  const cloudflare = new FakeProvider('cloudflare', journal, { key: byZone });
  const providers = new Map<ProviderId, Provider>([
    ['heroku', heroku],
    ['cloudflare', cloudflare],
  ]);
  return { journal, heroku, cloudflare, providers };
}

describe('applyPlan', () => {
  it('starts a change once its own dependencies are applied: a slow add-on delays neither the domain nor its DNS record', async () => {
    const { journal, heroku, cloudflare, providers } = setUp();
    heroku.hold(database.address);
    const changes = [create(appS), create(database), create(www), create(wwwRecord), create(mx)];
    const running = applyPlan(planOf(changes), providers, reporter);
    await settle();
    expect(journal).toEqual([
      `start ${appS.address}`,
      `end ${appS.address}`,
      `start ${database.address}`,
      `start ${www.address}`,
      `end ${www.address}`,
      `start ${mx.address} + ${wwwRecord.address}`,
      `end ${mx.address} + ${wwwRecord.address}`,
    ]);
    heroku.release(database.address);
    const outcome = await running;
    expect(journal.at(-1)).toBe(`end ${database.address}`);
    // Plan order (dependency level, then action and address), whatever order they finished in.
    expect(outcome.applied).toEqual([mx.address, appS.address, database.address, www.address, wwwRecord.address]);
    // The record's content came from the domain's output, resolved before the batch started.
    expect(contentGiven(cloudflare, wwwRecord.address)).toBe('www-1.herokudns.com');
    expect(outcome.outputs.get(www.address)).toEqual(targets[www.address]);
  });

  it('holds a group until the last dependency of any member is applied, then hands it over in one call', async () => {
    const { journal, heroku, providers } = setUp();
    heroku.hold(api.address);
    const running = applyPlan(
      planOf([create(appS), create(www), create(api), create(wwwRecord), create(apiRecord), create(mx)]),
      providers,
      reporter,
    );
    await settle();
    expect(journal.filter((line) => line.includes('cloudflare.dns'))).toEqual([]);
    heroku.release(api.address);
    await running;
    const batches = journal.filter((line) => line.startsWith('start cloudflare.dns'));
    expect(batches).toEqual([`start ${mx.address} + ${apiRecord.address} + ${wwwRecord.address}`]);
    expect(journal.indexOf(`end ${api.address}`)).toBeLessThan(journal.indexOf(batches[0] as string));
  });

  it('splits a group that would wait for itself instead of waiting forever', async () => {
    const { journal, cloudflare, providers } = setUp();
    const needsMx = { ...www, dependsOn: [appS.address, mx.address] };
    const outcome = await applyPlan(
      planOf([create(appS), create(needsMx), create(wwwRecord), create(mx)]),
      providers,
      reporter,
    );
    expect(outcome.applied).toHaveLength(4);
    expect(journal.filter((line) => line.startsWith('start'))).toEqual([
      `start ${mx.address}`,
      `start ${appS.address}`,
      `start ${www.address}`,
      `start ${wwwRecord.address}`,
    ]);
    expect(contentGiven(cloudflare, wwwRecord.address)).toBe('www-1.herokudns.com');
  });

  it('after a failure starts nothing new, waits for what is in flight, and reports the rest as not attempted', async () => {
    const production = app('production');
    const productionDb = addon('production', 'database', { plan: 'p' }, { dependsOn: [production.address] });
    const { journal, heroku, providers } = setUp({ herokuFails: [www.address] });
    heroku.hold(production.address);
    const running = applyPlan(
      planOf([
        create(appS),
        create(www),
        create(wwwRecord),
        create(database),
        create(production),
        create(productionDb),
      ]),
      providers,
      reporter,
    );
    let settled = false;
    running
      .catch(() => {})
      .finally(() => {
        settled = true;
      });
    await settle();
    expect(settled).toBe(false);
    heroku.release(production.address);
    const error = await running.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PartialApplyError);
    const partial = error as PartialApplyError;
    // The add-on started with the domain and finished; the production app was in flight and
    // finished; its add-on, ready only after the failure, never started; nor did the record.
    expect(partial.applied).toEqual([production.address, appS.address, database.address]);
    expect(partial.failed.map((f) => f.address)).toEqual([www.address]);
    expect(partial.failed[0]?.error.message).toBe(`${www.address} broke`);
    expect(partial.notAttempted).toEqual([productionDb.address, wwwRecord.address]);
    expect(journal.some((line) => line.includes(productionDb.address))).toBe(false);
  });

  it('runs deletes after every forward change, each before what it depended on', async () => {
    const { journal, heroku, providers } = setUp();
    const oldApp = app('old');
    const oldDb = addon('old', 'database', { plan: 'p' }, { dependsOn: [oldApp.address] });
    heroku.hold(database.address);
    const running = applyPlan(
      planOf([remove(oldApp), remove(oldDb), create(appS), create(database)]),
      providers,
      reporter,
    );
    await settle();
    expect(journal.some((line) => line.includes('[old'))).toBe(false);
    heroku.release(database.address);
    await running;
    expect(journal.slice(-4)).toEqual([
      `start ${oldDb.address}`,
      `end ${oldDb.address}`,
      `start ${oldApp.address}`,
      `end ${oldApp.address}`,
    ]);
  });

  it('calls the providers in the same order on every run, whatever the order of the plan’s changes', async () => {
    const changes = [
      create(appS),
      create(database),
      create(www),
      create(api),
      create(wwwRecord),
      create(apiRecord),
      create(mx),
      remove(app('old')),
    ];
    const first = setUp();
    await applyPlan(planOf(changes), first.providers, reporter);
    for (let seed = 1; seed <= 10; seed++) {
      const again = setUp();
      await applyPlan(planOf(shuffled(changes, seed)), again.providers, reporter);
      expect(again.journal).toEqual(first.journal);
    }
  });

  describe('a change applied in steps', () => {
    // TLS as providers may declare it: the CNAME DNS-only, then the domain's certificate, then proxied.
    const certificate = { address: www.address, step: 'certificate' };
    const proxied = { address: wwwRecord.address, step: 'proxied' };
    const inSteps = (herokuFails: { fail?: readonly Address[]; failIn?: string } = {}) => {
      const journal: string[] = [];
      const heroku = new FakeProvider('heroku', journal, {
        outputs: targets,
        ordering: { steps: [{ address: www.address, later: ['certificate'] }], edges: [{ before: { address: wwwRecord.address }, after: certificate }] },
        ...herokuFails,
      });
      const cloudflare = new FakeProvider('cloudflare', journal, {
        key: byZone,
        ordering: {
          steps: [{ address: wwwRecord.address, later: ['proxied'] }],
          edges: [{ before: certificate, after: proxied }],
          batches: [{ step: proxied, key: { key: 'daffeinated.com', deletes: 'first' } }],
        },
      });
      const providers = new Map<ProviderId, Provider>([
        ['heroku', heroku],
        ['cloudflare', cloudflare],
      ]);
      return { journal, providers };
    };
    const changes = [create(appS), create(www), create(wwwRecord), create(mx)];

    it('hands each step to its provider in the declared order, and counts the change applied after its last', async () => {
      const { journal, providers } = inSteps();
      const outcome = await applyPlan(planOf(changes), providers, reporter);
      expect(journal.filter((line) => line.startsWith('start'))).toEqual([
        `start ${appS.address}`,
        `start ${www.address}`,
        `start ${mx.address} + ${wwwRecord.address}`,
        `start ${www.address} (certificate)`,
        `start ${wwwRecord.address} (proxied)`,
      ]);
      expect(outcome.applied).toEqual([mx.address, appS.address, www.address, wwwRecord.address]);
    });

    it('reports a change stopped between its steps as not attempted', async () => {
      const { providers } = inSteps({ fail: [www.address], failIn: 'certificate' });
      const error = await applyPlan(planOf(changes), providers, reporter).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PartialApplyError);
      const partial = error as PartialApplyError;
      expect(partial.applied).toEqual([mx.address, appS.address]);
      expect(partial.failed.map((f) => f.address)).toEqual([www.address]);
      expect(partial.notAttempted).toEqual([wwwRecord.address]);
    });

    it('refuses steps or batch keys a provider declares for another provider’s change', async () => {
      const journal: string[] = [];
      const foreign = { steps: [{ address: wwwRecord.address, later: ['proxied'] }] };
      const providers = new Map<ProviderId, Provider>([
        ['heroku', new FakeProvider('heroku', journal, { ordering: foreign })],
        ['cloudflare', new FakeProvider('cloudflare', journal)],
      ]);
      await expect(applyPlan(planOf(changes), providers, reporter)).rejects.toThrow(
        `the heroku provider declared steps or a batch key for ${wwwRecord.address}, not one of its changes`,
      );
      expect(journal).toEqual([]);
    });
  });

  it('counts every change of a provider call that throws as failed', async () => {
    const journal: string[] = [];
    const providers = new Map<ProviderId, Provider>([
      ['heroku', new FakeProvider('heroku', journal)],
      ['cloudflare', new FakeProvider('cloudflare', journal, { key: byZone, throws: true })],
    ]);
    const error = await applyPlan(planOf([create(mx), create(appS), create(database)]), providers, reporter).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PartialApplyError);
    const partial = error as PartialApplyError;
    expect(partial.failed.map((f) => f.address)).toEqual([mx.address]);
    expect(partial.failed[0]?.error).toBeInstanceOf(InternalError);
    expect(partial.failed[0]?.error.message).not.toContain('a bug');
    expect(partial.applied).toEqual([appS.address]);
    expect(partial.notAttempted).toEqual([database.address]);
  });

  it('refuses a plan with a change of a provider it was not given before applying anything', async () => {
    const journal: string[] = [];
    const providers = new Map<ProviderId, Provider>([['heroku', new FakeProvider('heroku', journal)]]);
    await expect(applyPlan(planOf([create(appS), create(mx)]), providers, reporter)).rejects.toThrow(
      new InternalError('no provider configured for cloudflare'),
    );
    expect(journal).toEqual([]);
  });

  it('applies an empty plan without calling anything', async () => {
    const { journal, providers } = setUp();
    expect(await applyPlan(planOf([]), providers, reporter)).toEqual({ applied: [], outputs: new Map() });
    expect(journal).toEqual([]);
  });
});
