import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/index.js';
import type { Change } from '../../../src/engine/types.js';
import type { Resource } from '../../../src/model/resource.js';
import type { LockRecord, Provider } from '../../../src/providers/provider.js';
import { ConfirmationError } from '../../../src/runtime/errors.js';
import type { Connection } from '../../../src/workflows/connection.js';
import { type ConsentRequest, type ConvergeHooks, converge } from '../../../src/workflows/converge.js';
import { prepareEnvironments } from '../../../src/workflows/prepare.js';

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

/** A Heroku account holding `live`, where applying makes live what app.yaml declares; it records what happens. */
function account(live: readonly Resource[]) {
  const events: string[] = [];
  let current = live;
  let locks: LockRecord[] = [];
  const provider: Provider = {
    id: 'heroku',
    read: async () => ({ resources: current, deferred: [], diagnostics: [] }),
    apply: async (changes: readonly Change[]) => {
      events.push(`apply ${changes.map((c) => c.address).join(' ')}`);
      current = prepared.desired.resources.map((r) => ({ ...r, liveId: `id-${r.address}` }));
      return { applied: changes.map((c) => c.address), failed: [], notAttempted: [], outputs: new Map() };
    },
    locks: {
      list: async () => locks,
      create: async (environment, holder) => {
        events.push(`lock ${environment} by ${holder['who']}`);
        const record = { key: `k${locks.length}`, holder, createdAt: undefined };
        locks = [...locks, record];
        return record;
      },
      remove: async (environment, key) => {
        events.push(`unlock ${environment}`);
        locks = locks.filter((l) => l.key !== key);
      },
    },
  };
  const connection = { providers: new Map([['heroku', provider]]), digestKey: 'key' } as unknown as Connection;
  const asked: ConsentRequest[] = [];
  const hooks = (consent: boolean): ConvergeHooks => ({
    showPlan: (plan) => events.push(`show ${plan.changes.length} change(s)`),
    showRemaining: (plan) => events.push(`remaining ${plan.changes.length}`),
    consent: async (request) => {
      asked.push(request);
      if (!consent) throw new ConfirmationError('Apply cancelled', 'Nothing was changed.');
    },
    reporter: { info: (message) => events.push(message), warn: (message) => events.push(`warning: ${message}`), progress: () => {} },
    lock: { env: { USER: 'alice' }, host: 'laptop', pid: 42, now: () => new Date(0), warn: (message) => events.push(`warning: ${message}`) },
  });
  return { connection, events, asked, hooks };
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
});
