import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/index.js';
import type { Change } from '../../../src/engine/types.js';
import type { Resource } from '../../../src/model/resource.js';
import type { LockRecord, LockStore, Provider } from '../../../src/providers/provider.js';
import { ConfirmationError } from '../../../src/runtime/errors.js';
import { LockedError } from '../../../src/workflows/lock.js';
import type { Connection } from '../../../src/workflows/connection.js';
import { type ConsentRequest, type ConvergeHooks, converge } from '../../../src/workflows/converge.js';
import { type Prepared, prepareEnvironments } from '../../../src/workflows/prepare.js';

const parsed = parseConfig(
  `version: 1
name: shop
environments:
  staging: { app: shop-staging, config: { NODE_ENV: staging } }
`,
  'app.yaml',
  {},
);
if (parsed.config === undefined) throw new Error(JSON.stringify(parsed.diagnostics));
const prepared = prepareEnvironments(parsed.config, { names: ['staging'], all: false, defaultAll: false }, {});

const both = parseConfig(
  `version: 1
name: shop
environments:
  staging: { app: shop-staging, config: { NODE_ENV: staging } }
  production: { app: shop-production, config: { NODE_ENV: production } }
`,
  'app.yaml',
  {},
);
if (both.config === undefined) throw new Error(JSON.stringify(both.diagnostics));
const twoEnvironments = prepareEnvironments(both.config, { names: [], all: true, defaultAll: false }, {});

/** A Heroku account holding `live`, where applying makes live what app.yaml declares; it records what happens. */
function account(live: readonly Resource[], declared: Prepared = prepared) {
  const events: string[] = [];
  let current = live;
  /** Lock records per environment: `[environment, record]`. */
  let locks: (readonly [string, LockRecord])[] = [];
  const provider: Provider = {
    id: 'heroku',
    read: async () => ({ resources: current, deferred: [], diagnostics: [] }),
    apply: async (changes: readonly Change[]) => {
      events.push(`apply ${changes.map((c) => c.address).join(' ')}`);
      current = declared.desired.resources.map((r) => ({ ...r, liveId: `id-${r.address}` }));
      return { applied: changes.map((c) => c.address), failed: [], notAttempted: [], outputs: new Map() };
    },
    locks: {
      list: async (environment) => locks.filter(([e]) => e === environment).map(([, record]) => record),
      survey: async (environment, read) => {
        await read;
        return locks.filter(([e]) => e === environment).map(([, record]) => record);
      },
      create: async (environment, holder) => {
        events.push(`lock ${environment} by ${holder['who']}`);
        const record = { key: `k${locks.length}`, holder, createdAt: undefined };
        locks = [...locks, [environment, record]];
        return record;
      },
      remove: async (environment, key) => {
        events.push(`unlock ${environment}`);
        locks = locks.filter(([, l]) => l.key !== key);
      },
    },
  };
  const connection = { providers: new Map([['heroku', provider]]), digestKey: 'key' } as unknown as Connection;
  const asked: ConsentRequest[] = [];
  const hooks = (consent: boolean, asksPerson = true): ConvergeHooks => ({
    showPlan: (plan) => events.push(`show ${plan.changes.length} change(s)`),
    showRemaining: (plan) => events.push(`remaining ${plan.changes.length}`),
    consent: async (request) => {
      asked.push(request);
      if (!consent) throw new ConfirmationError('Apply cancelled', 'Nothing was changed.');
    },
    reporter: { info: (message) => events.push(message), warn: (message) => events.push(`warning: ${message}`), progress: () => {} },
    lock: { env: { USER: 'alice' }, host: 'laptop', pid: 42, now: () => new Date(0), warn: (message) => events.push(`warning: ${message}`) },
    asksPerson,
  });
  /** A lock another run holds on `environment`. */
  const held = (environment: string) => {
    locks = [...locks, [environment, { key: `other-${environment}`, holder: { who: 'bob', host: 'desk', pid: '7' }, createdAt: undefined }]];
  };
  /** Live state as another run leaves it, written outside this run. */
  const setLive = (resources: readonly Resource[]) => {
    current = resources;
  };
  return { connection, events, asked, hooks, held, setLive };
}

const options = { allowDestroy: [], force: false, breakLock: false };
const converged = () => prepared.desired.resources.map((r) => ({ ...r, liveId: `id-${r.address}` }));

describe('converge', () => {
  it('shows an empty plan and stops: no consent asked, no lock taken, nothing applied', async () => {
    const { connection, events, asked, hooks } = account(converged());
    const result = await converge(connection, prepared, options, hooks(true));
    expect([result.applied, asked, events]).toEqual([[], [], ['show 0 change(s)']]);
  });

  it('applies nothing and takes no lock when consent is refused', async () => {
    const { connection, events, asked, hooks } = account([]);
    await expect(converge(connection, prepared, options, hooks(false))).rejects.toBeInstanceOf(ConfirmationError);
    expect(asked).toEqual([{ action: 'apply', productionApps: [], question: 'Apply these changes?' }]);
    expect(events.filter((e) => !e.startsWith('show'))).toEqual([]);
  });

  it('locks, applies, confirms convergence and unlocks, and returns what it applied', async () => {
    const { connection, events, hooks } = account(converged().filter((r) => r.kind === 'heroku.app'));
    const result = await converge(connection, prepared, options, hooks(true));
    expect(result.applied.length).toBeGreaterThan(0);
    expect(result.after.changes).toEqual([]);
    expect(events).toEqual([
      `show ${result.plan.changes.length} change(s)`,
      'lock staging by alice',
      `apply ${result.applied.join(' ')}`,
      `Apply complete: ${result.applied.length} change(s) applied; live matches app.yaml.`,
      'unlock staging',
    ]);
  });

  describe('with --yes: the locks are tried alongside the plan\'s read', () => {
    it('locks before the plan is shown, applies, confirms and unlocks', async () => {
      const { connection, events, hooks } = account(converged().filter((r) => r.kind === 'heroku.app'));
      const result = await converge(connection, prepared, options, hooks(true, false));
      expect(events).toEqual([
        'lock staging by alice',
        `show ${result.plan.changes.length} change(s)`,
        `apply ${result.applied.join(' ')}`,
        `Apply complete: ${result.applied.length} change(s) applied; live matches app.yaml.`,
        'unlock staging',
      ]);
    });

    it('an empty plan releases the lock it took, and a lock another run holds is only a warning', async () => {
      const mine = account(converged());
      expect((await converge(mine.connection, prepared, options, mine.hooks(true, false))).applied).toEqual([]);
      expect(mine.events).toEqual(['lock staging by alice', 'show 0 change(s)', 'unlock staging']);

      const theirs = account(converged());
      theirs.held('staging');
      expect((await converge(theirs.connection, prepared, options, theirs.hooks(true, false))).applied).toEqual([]);
      expect(theirs.events).toEqual([
        'lock staging by alice',
        'unlock staging',
        'show 0 change(s)',
        expect.stringMatching(/^warning: staging is locked by an apply: bob on desk \(pid 7\) since .*--break-lock` removes the lock$/),
      ]);
    });

    it('a refusal after the plan (consent, here) releases the lock and applies nothing', async () => {
      const { connection, events, hooks } = account([]);
      await expect(converge(connection, prepared, options, hooks(false, false))).rejects.toBeInstanceOf(ConfirmationError);
      expect(events).toEqual(['lock staging by alice', 'show 2 change(s)', 'unlock staging']);
    });

    it('a changed environment another run holds refuses before consent is asked', async () => {
      const { connection, events, asked, hooks, held } = account([]);
      held('staging');
      await expect(converge(connection, prepared, options, hooks(true, false))).rejects.toBeInstanceOf(LockedError);
      expect(asked).toEqual([]);
      expect(events).toEqual(['lock staging by alice', 'unlock staging', 'show 2 change(s)']);
    });

    it('a run holding the lock while the plan reads, done before the verifying list: its writes refuse the run at the re-read', async () => {
      const { connection, events, hooks, held, setLive } = account(converged().filter((r) => r.kind === 'heroku.app'));
      const provider = connection.providers.get('heroku') as Provider;
      const store = provider.locks as LockStore;
      // Bob's apply holds staging's lock and is writing when alice's run records hers and reads.
      held('staging');
      let bobDone: () => void = () => {};
      const finished = new Promise<void>((resolve) => {
        bobDone = resolve;
      });
      const create = store.create.bind(store);
      store.create = async (environment, holder) => {
        const record = await create(environment, holder);
        await finished;
        return record;
      };
      const read = provider.read.bind(provider);
      let reads = 0;
      provider.read = async (scope) => {
        const state = await read(scope);
        reads += 1;
        if (reads === 1) {
          // Her plan has read; bob writes the rest (the config var she plans to set) and releases.
          setLive(converged());
          await store.remove('staging', 'other-staging');
          bobDone();
        }
        return state;
      };
      await expect(converge(connection, prepared, options, hooks(true, false))).rejects.toThrow(/Live state changed after the plan was made/);
      expect(reads).toBe(2);
      expect(events).toEqual(['lock staging by alice', 'unlock staging', 'show 1 change(s)', 'unlock staging']);
    });

    it('an environment without changes is unlocked before applying (a lock held there is a warning); the confirmation reads only what changed', async () => {
      const live = twoEnvironments.desired.resources
        .filter((r) => r.scope === 'production' || r.kind === 'heroku.app')
        .map((r) => ({ ...r, liveId: `id-${r.address}` }));
      const { connection, events, hooks, held } = account(live, twoEnvironments);
      held('production');
      const reads: string[][] = [];
      const provider = connection.providers.get('heroku') as Provider;
      const read = provider.read.bind(provider);
      provider.read = (scope) => {
        reads.push([...scope.scopes]);
        return read(scope);
      };
      const result = await converge(connection, twoEnvironments, options, hooks(true, false));
      expect(result.after.changes).toEqual([]);
      expect(reads).toEqual([['production', 'staging'], ['staging'], ['staging']]);
      expect(events).toEqual([
        'lock production by alice',
        'lock staging by alice',
        'unlock production',
        'show 1 change(s)',
        expect.stringMatching(/^warning: production is locked by an apply: bob on desk/),
        `apply ${result.applied.join(' ')}`,
        `Apply complete: ${result.applied.length} change(s) applied; live matches app.yaml.`,
        'unlock staging',
      ]);
    });
  });
});
