import { describe, expect, it } from 'vitest';
import type { Change } from '../../../src/engine/types.js';
import type { Resource } from '../../../src/model/resource.js';
import { ExitCode } from '../../../src/runtime/errors.js';
import type { Config } from '../../../src/model/config.js';
import type { Connection } from '../../../src/workflows/connection.js';
import { deriveDrill } from '../../../src/workflows/drill-environment.js';
import { assertOnlyDrill, type DrillAppState, tearDownDrill } from '../../../src/workflows/drill-teardown.js';
import { prepareEnvironments } from '../../../src/workflows/prepare.js';
import { environmentConfig } from '../../helpers/config.js';

const resource = (kind: Resource['kind'], scope: string, name: string, attributes: Resource['attributes'] = {}): Resource => ({
  address: `${kind}[${scope}${kind === 'heroku.app' ? '' : `/${name}`}]`,
  provider: 'heroku',
  kind,
  scope,
  attributes,
  sensitive: [],
});
const deletion = (before: Resource): Change => ({ action: 'delete', address: before.address, provider: 'heroku', kind: before.kind, scope: before.scope, diffs: [], before });

const refusal = (changes: Change[], scope = 'production-drill', app = 'shop-production-drill') => {
  try {
    assertOnlyDrill(changes, scope, app);
    return undefined;
  } catch (error) {
    return error as { message: string; exitCode: number };
  }
};

// The guard teardown rests on: it deletes the drill environment's app and add-ons, and refuses
// anything else before a request is made — whatever the live read or a bug put in front of it.
describe('teardown touches nothing that is not the drill', () => {
  const app = resource('heroku.app', 'production-drill', 'shop-production-drill', { name: 'shop-production-drill' });
  const database = resource('heroku.addon', 'production-drill', 'database', { plan: 'heroku-postgresql:essential-0' });

  it("allows deleting the drill app and its add-ons", () => {
    expect(refusal([deletion(database), deletion(app)])).toBeUndefined();
  });

  it('refuses an app of another name in the drill scope', () => {
    const production = resource('heroku.app', 'production-drill', 'x', { name: 'shop-production' });
    expect(refusal([deletion(production)])).toMatchObject({ exitCode: ExitCode.Refused, message: expect.stringContaining('heroku.app[production-drill]') });
  });

  it('refuses anything in another environment', () => {
    expect(refusal([deletion(resource('heroku.addon', 'production', 'database'))])?.exitCode).toBe(ExitCode.Refused);
    expect(refusal([deletion(resource('heroku.app', 'production', 'x', { name: 'shop-production-drill' }))])?.exitCode).toBe(ExitCode.Refused);
  });

  it('refuses a drill app name without the drill suffix', () => {
    const unsuffixed = resource('heroku.app', 'production-drill', 'x', { name: 'shop-production' });
    expect(refusal([deletion(unsuffixed)], 'production-drill', 'shop-production')?.exitCode).toBe(ExitCode.Refused);
    expect(refusal([deletion(database)], 'production-drill', 'shop-production')?.exitCode).toBe(ExitCode.Refused);
  });

  it('refuses anything but a deletion', () => {
    const create: Change = { action: 'create', address: database.address, provider: 'heroku', kind: 'heroku.addon', scope: database.scope, diffs: [], after: database };
    expect(refusal([create])?.exitCode).toBe(ExitCode.Refused);
    const createApp: Change = { action: 'create', address: app.address, provider: 'heroku', kind: 'heroku.app', scope: app.scope, diffs: [], after: app };
    expect(refusal([createApp])).toMatchObject({ exitCode: ExitCode.Refused, message: expect.stringContaining('create of heroku.app[production-drill]') });
  });
});

describe('tearDownDrill', () => {
  const production = {
    ...environmentConfig('production', []),
    addons: { database: { plan: 'heroku-postgresql:essential-0', service: 'heroku-postgresql', as: 'DATABASE', name: undefined, options: {}, optionsSensitive: false, protect: undefined, backupSchedule: undefined } },
  };
  const config: Config = { file: 'app.yaml', version: 1, name: 'x', pipeline: undefined, environments: { production }, cloudflare: { zones: {} }, drift: { ignore: [] }, sources: {} };
  const derived = deriveDrill(config, 'production', null);
  if (derived === undefined) throw new Error('no derivation');
  const prepared = prepareEnvironments(derived.config, { names: ['production-drill'], all: false, defaultAll: false }, {});
  // Any use of the connection fails the test: the refusals come before a single request.
  const untouchable = new Proxy({}, { get: (_, key) => { throw new Error(`the connection was used (${String(key)})`); } }) as Connection;
  const reporter = { info: () => {}, warn: () => {}, progress: () => {} };
  const refused = (state: DrillAppState) => tearDownDrill(untouchable, prepared, state, reporter).then(() => undefined, (error: unknown) => error as { exitCode: number; message: string });

  it('refuses an app that is not marked as a drill, before any request, saying what it holds and what to do', async () => {
    expect(await refused({ kind: 'foreign', app: 'daffeinated-production-drill', holds: '1 config var(s)' })).toMatchObject({
      exitCode: ExitCode.Refused,
      message:
        'The drill app name daffeinated-production-drill is taken by an app that is not marked as a drill (1 config var(s); no DAFFEINATED_DRILL config var): nothing was changed',
      hint: 'daffeinated never touches it. Rename or delete that app yourself if it is not needed, then run `daffeinated dr-drill production` again.',
    });
  });

  it('refuses an environment whose app has no drill name, even when the state names that app, before any request', async () => {
    const plain = prepareEnvironments(config, { names: ['production'], all: false, defaultAll: false }, {});
    const error = await tearDownDrill(untouchable, plain, { kind: 'marked', app: 'daffeinated-production' }, reporter).catch((e: unknown) => e);
    expect(error).toMatchObject({ exitCode: ExitCode.Refused, message: 'Refusing to tear down daffeinated-production: it is not the drill app of production' });
  });

  it("refuses a marked app that is not this environment's drill app, before any request", async () => {
    expect(await refused({ kind: 'marked', app: 'daffeinated-staging-drill' })).toMatchObject({ exitCode: ExitCode.Refused, message: expect.stringContaining('not the drill app') });
    expect(await refused({ kind: 'pristine', app: 'daffeinated-production' })).toMatchObject({ exitCode: ExitCode.Refused });
  });

  it('has nothing to do for an app that is not there', async () => {
    expect(await tearDownDrill(untouchable, prepared, { kind: 'absent', app: 'daffeinated-production-drill' }, reporter)).toEqual({ deleted: [] });
  });
});
