import type { Change, LiveState } from '../../engine/types.js';
import type { ApplyContext, ApplyResult, Provider, ReadScope } from '../provider.js';
import { type AppNames, applyHeroku } from './apply.js';
import type { HerokuClient } from './client.js';
import { readHeroku } from './read.js';

/**
 * The Heroku provider. `apps` maps each environment of app.yaml to its Heroku app name; the same
 * code runs against api.heroku.com and the sandbox (only the client's base URL differs).
 */
export class HerokuProvider implements Provider {
  readonly id = 'heroku' as const;
  private readonly client: HerokuClient;
  private readonly apps: AppNames;

  constructor(client: HerokuClient, apps: AppNames) {
    this.client = client;
    this.apps = apps;
  }

  read(scope: ReadScope): Promise<LiveState> {
    return readHeroku(this.client, scope);
  }

  apply(changes: readonly Change[], context: ApplyContext): Promise<ApplyResult> {
    return applyHeroku(this.client, this.apps, changes, context);
  }
}
