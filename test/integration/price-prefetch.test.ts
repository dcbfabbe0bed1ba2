import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connect } from '../../src/commands/connect.js';
import { prepare } from '../../src/commands/context.js';
import type { Plan } from '../../src/engine/types.js';
import type { Provider } from '../../src/providers/provider.js';
import type { RequestLogEntry } from '../../src/sandbox/index.js';
import { planNow } from '../../src/workflows/plan.js';
import type { Prepared } from '../../src/workflows/prepare.js';
import { fakeIo } from '../helpers/cli.js';
import { useSandbox } from '../helpers/sandbox.js';
import { QUICK_HEROKU, REFERENCE_YAML, Scenario } from '../helpers/scenario.js';

// A plan's Heroku price lists go out as soon as Heroku's reads are in, alongside Cloudflare's
// second round of reads, instead of one round after all of them: the same requests, a round less.
const STRIPE = 'sk_test_prefetch_5e6f7a8b';

const isPriceList = (e: RequestLogEntry) => e.path === '/dyno-sizes' || /^\/addon-services\/[^/]+\/plans$/.test(e.path);

/** The price lists an estimate of `plan` reads: one per service of its add-on changes' plans (formations: the sizes). */
function listsOf(plan: Plan): string[] {
  const lists = new Set<string>();
  for (const change of plan.changes) {
    const sides = [
      change.action === 'create' ? undefined : change.before,
      change.action === 'delete' ? undefined : change.after,
    ];
    for (const side of sides) {
      if (side?.kind === 'heroku.formation') lists.add('/dyno-sizes');
      if (side?.kind === 'heroku.addon')
        lists.add(`/addon-services/${String(side.attributes['plan']).split(':')[0]}/plans`);
    }
  }
  return [...lists].sort();
}

describe('Heroku price lists of a plan on an empty account', () => {
  const sandbox = useSandbox({ seed: 11, zones: ['daffeinated.com:pro'], heroku: QUICK_HEROKU });

  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  beforeEach(() => {
    unhandled.length = 0;
    process.on('unhandledRejection', onUnhandled);
    sandbox().setFaults({ latencyMs: 40 });
  });
  afterEach(() => {
    process.off('unhandledRejection', onUnhandled);
    sandbox().setFaults({});
  });

  /**
   * `planNow` as `plan --all` runs it, with Cloudflare's read held open (after its own reads are
   * done) until the sandbox has answered `lists` price-list requests, or for at most 5 s: the lists
   * are there first only if they were sent before every read had completed, since the estimate
   * itself runs after all reads. Returns the plan and whether they were.
   */
  async function planHoldingCloudflare(yaml: string, lists: (prepared: Prepared) => number) {
    const scenario = new Scenario(sandbox, yaml);
    const io = fakeIo({ cwd: scenario.cwd, env: { STRIPE_KEY: STRIPE } });
    const global = { sandbox: sandbox().url, debug: false };
    const prepared = prepare(io, global, { names: [], all: true, defaultAll: true });
    const wanted = lists(prepared);
    const connection = await connect(prepared.config, io, { sandbox: sandbox().url, debug: false, cloudflare: true });
    let listsBeforeReadsEnded = false;
    try {
      const cloudflare = connection.providers.get('cloudflare') as Provider;
      const held: Provider = {
        id: cloudflare.id,
        read: async (scope) => {
          const live = await cloudflare.read(scope);
          const deadline = performance.now() + 5_000;
          while (sandbox().requestLog().filter(isPriceList).length < wanted && performance.now() < deadline)
            await new Promise((resolve) => setTimeout(resolve, 10));
          listsBeforeReadsEnded = sandbox().requestLog().filter(isPriceList).length >= wanted;
          return live;
        },
        apply: (changes, context) => cloudflare.apply(changes, context),
      };
      const plan = await planNow(
        { ...connection, providers: new Map([...connection.providers, ['cloudflare', held]]) },
        prepared,
      );
      return { plan, listsBeforeReadsEnded };
    } finally {
      await connection.close();
    }
  }

  /** The distinct services of the desired add-ons: on an empty account, every one is created and priced. */
  const services = (prepared: Prepared) =>
    new Set(
      prepared.desired.resources
        .filter((r) => r.kind === 'heroku.addon')
        .map((r) => String(r.attributes['plan']).split(':')[0]),
    ).size;

  it('are requested before the reads of the other provider complete, once per service, and price the plan', async () => {
    const { plan, listsBeforeReadsEnded } = await planHoldingCloudflare(REFERENCE_YAML, services);
    expect(listsBeforeReadsEnded).toBe(true);
    const asked = sandbox()
      .requestLog()
      .filter(isPriceList)
      .map((e) => e.path);
    // Exactly the lists the estimate reads, each once (the formations are deferred: no sizes).
    expect([...asked].sort()).toEqual(listsOf(plan));
    expect(asked.length).toBe(3);
    expect(plan.cost?.unpriced).toEqual([]);
    expect(plan.cost?.lines.map((l) => l.address)).toEqual(
      plan.changes
        .filter((c) => c.kind === 'heroku.addon')
        .map((c) => c.address)
        .sort(),
    );
    expect(unhandled).toEqual([]);
  });

  // An unreadable list making its changes unpriced is covered against a fake (test/providers/heroku);
  // here the sandbox's catalogue has no such service, so Heroku would refuse the add-on (422).
  it('one of a service Heroku does not have is read once, ahead, and stops the plan at the add-on', async () => {
    const yaml = REFERENCE_YAML.replace(
      'monitoring: { plan: "newrelic:wayne" }',
      'monitoring: { plan: "papertrail:choklad" }',
    );
    expect(yaml).not.toBe(REFERENCE_YAML);
    await expect(planHoldingCloudflare(yaml, services)).rejects.toThrow(/Heroku has no add-on plan papertrail:choklad/);
    expect(
      sandbox()
        .requestLog()
        .filter((e) => isPriceList(e) && e.status === 404)
        .map((e) => e.path),
    ).toEqual(['/addon-services/papertrail/plans']);
    expect(unhandled).toEqual([]);
  });
});
