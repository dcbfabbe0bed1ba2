import type { Change, CostEstimate, LiveState, Ordering } from '../../engine/types.js';
import type { Config } from '../../model/config.js';
import type { Resource } from '../../model/resource.js';
import { declaredSecrets } from '../../model/declared-secrets.js';
import type { ApplyContext, ApplyResult, LockStore, Provider, ReadScope } from '../provider.js';
import { type AppNames, applyHeroku } from './apply.js';
import type { PollOptions } from './apply-support.js';
import { postgresPlanChanges, unknownAddonPlans } from './catalogue.js';
import type { HerokuClient } from './client.js';
import { estimateHerokuCost, herokuCostNow, PriceList, pricedAhead } from './cost.js';
import { type ImportedApp, importApp } from './import.js';
import { HEROKU_KINDS } from './kinds.js';
import { type LiveAddonRef, liveAddonRefs, readBackupSchedules } from './backup-schedules.js';
import { HerokuLocks } from './lock.js';
import { herokuOrdering } from './order.js';
import { readHeroku } from './read.js';

export interface HerokuProviderOptions {
  /** How waits for add-on provisioning poll (tests inject instant sleeps). */
  readonly poll?: PollOptions;
  /** The Heroku Postgres API (postgres-api.ts): backup schedules are read and applied through it. */
  readonly postgres?: HerokuClient;
}

/**
 * The Heroku provider. `apps` maps each environment of app.yaml to its Heroku app name; the same
 * code runs against api.heroku.com and the sandbox (only the client's base URL differs). One
 * instance serves one command run: it remembers which add-ons its last read saw (to recognise one
 * an interrupted create left behind) and caches the price lists, which its read starts early.
 */
export class HerokuProvider implements Provider {
  readonly id = 'heroku' as const;
  readonly kinds = HEROKU_KINDS;
  private readonly client: HerokuClient;
  private readonly apps: AppNames;
  private readonly options: HerokuProviderOptions;
  private readonly prices: PriceList;
  private readonly seenAddons = new Map<string, Set<string>>();
  private readonly liveAddons = new Map<string, LiveAddonRef>();
  /** Apply locks, recorded on each environment's app (lock.ts). */
  readonly locks: LockStore;
  private readonly herokuLocks: HerokuLocks;

  constructor(client: HerokuClient, apps: AppNames, options: HerokuProviderOptions = {}) {
    this.client = client;
    this.apps = apps;
    this.herokuLocks = new HerokuLocks(client, apps);
    this.locks = this.herokuLocks;
    this.options = options;
    this.prices = new PriceList(client);
  }

  async read(scope: ReadScope): Promise<LiveState> {
    const read = await readHeroku(this.client, scope, {
      onAddons: (addons) => this.prices.noteBilled(addons),
      drainsRead: (environment, drains) => this.herokuLocks.sawDrains(environment, drains),
    });
    const postgres = this.options.postgres;
    const live =
      postgres === undefined
        ? read
        : await readBackupSchedules(
            postgres,
            scope.desired.filter((r) => scope.scopes.includes(r.scope)),
            read,
          );
    for (const [address, ref] of liveAddonRefs(live.resources)) this.liveAddons.set(address, ref);
    for (const environment of scope.scopes) this.seenAddons.set(environment, new Set());
    for (const resource of live.resources) {
      if (resource.kind === 'heroku.addon' && resource.liveId !== undefined)
        this.seenAddons.get(resource.scope)?.add(resource.liveId);
    }
    // A read is followed by the estimate of the plan built from it (workflows/plan.ts
    // `planNow`). The price lists that estimate will certainly read are started now, while other
    // providers are still reading, instead of one round after every read. The add-on plan lists
    // among them are awaited to refuse plans Heroku does not have (catalogue.ts); they never
    // reject, so they cannot fail the read (see PriceList).
    this.prices.prefetch(pricedAhead(scope.desired, live));
    const refused = [
      ...(await unknownAddonPlans(this.prices, scope.desired, live)),
      ...postgresPlanChanges(scope.desired, live),
    ];
    return refused.length === 0 ? live : { ...live, diagnostics: [...live.diagnostics, ...refused] };
  }

  apply(changes: readonly Change[], context: ApplyContext): Promise<ApplyResult> {
    return applyHeroku(this.client, this.apps, changes, context, {
      seenAddons: this.seenAddons,
      liveAddons: this.liveAddons,
      ...(this.options.postgres === undefined ? {} : { postgres: this.options.postgres }),
      ...(this.options.poll === undefined ? {} : { poll: this.options.poll }),
    });
  }

  ordering(changes: readonly Change[]): Ordering {
    return herokuOrdering(changes);
  }

  estimateCost(changes: readonly Change[]): Promise<CostEstimate | undefined> {
    return estimateHerokuCost(this.prices, changes);
  }

  costNow(live: readonly Resource[]): Promise<CostEstimate> {
    return herokuCostNow(this.prices, live);
  }

  /**
   * Everything app.yaml could declare about a live app (see import.ts); `environment` names it.
   * With `config` (an existing app.yaml), the config vars it keeps secret are written as it declares them.
   */
  importApp(app: string, environment: string | undefined, config?: Config): Promise<ImportedApp> {
    return importApp(
      this.client,
      app,
      environment,
      config === undefined ? new Map() : declaredSecrets(config, app),
      this.options.postgres,
    );
  }
}
