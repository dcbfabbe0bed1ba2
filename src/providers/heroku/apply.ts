import { randomBytes } from 'node:crypto';
import type { Change } from '../../engine/types.js';
import type { Address, Resource } from '../../model/resource.js';
import { isUnknown, type Value } from '../../model/value.js';
import { ConflictError, DaffError, InternalError, ProviderError, assertNever } from '../../runtime/errors.js';
import type { ApplyContext, ApplyResult } from '../provider.js';
import type { ApiApp, ApiConfigVars } from './api-types.js';
import type { HerokuClient } from './client.js';
import { toApiAppCreate, toApiAppUpdate } from './convert.js';

type Outputs = Map<Address, Record<string, Value>>;
/** Environment name → Heroku app name, from app.yaml. */
export type AppNames = ReadonlyMap<string, string>;

interface EnvironmentResult {
  applied: Address[];
  failed: { address: Address; error: DaffError }[];
  notAttempted: Address[];
}

/**
 * Applies Heroku changes. Environments run concurrently; within one, the app comes first, then
 * its config vars (one PATCH) and formation (one batch PATCH). A failure stops that environment
 * only; everything after it there is reported as not attempted.
 */
export async function applyHeroku(
  client: HerokuClient,
  apps: AppNames,
  changes: readonly Change[],
  context: ApplyContext,
): Promise<ApplyResult> {
  const outputs: Outputs = new Map();
  const byEnvironment = new Map<string, Change[]>();
  for (const change of changes) byEnvironment.set(change.scope, [...(byEnvironment.get(change.scope) ?? []), change]);
  const results = await Promise.all(
    [...byEnvironment.values()].map((list) => applyEnvironment(client, apps, list, outputs, context)),
  );
  return {
    applied: results.flatMap((r) => r.applied),
    failed: results.flatMap((r) => r.failed),
    notAttempted: results.flatMap((r) => r.notAttempted),
    outputs,
  };
}

async function applyEnvironment(
  client: HerokuClient,
  apps: AppNames,
  changes: readonly Change[],
  outputs: Outputs,
  context: ApplyContext,
): Promise<EnvironmentResult> {
  const steps: { addresses: Address[]; run: () => Promise<void> }[] = [];
  const appChange = changes.find((c) => c.kind === 'heroku.app');
  if (appChange) steps.push({ addresses: [appChange.address], run: () => applyApp(client, appChange, outputs) });
  const configChange = changes.find((c) => c.kind === 'heroku.config');
  if (configChange) steps.push({ addresses: [configChange.address], run: () => applyConfig(client, apps, configChange) });
  const formation = changes.filter((c) => c.kind === 'heroku.formation');
  if (formation.length > 0) {
    steps.push({ addresses: formation.map((c) => c.address), run: () => applyFormation(client, apps, formation) });
  }
  const handled = new Set(steps.flatMap((s) => s.addresses));
  const unsupported = changes.filter((c) => !handled.has(c.address));
  if (unsupported.length > 0) {
    throw new InternalError(`the Heroku provider cannot apply ${unsupported.map((c) => c.address).join(', ')}`);
  }

  const result: EnvironmentResult = { applied: [], failed: [], notAttempted: [] };
  for (const [index, step] of steps.entries()) {
    try {
      for (const address of step.addresses) context.reporter.progress(address, 'applying');
      await step.run();
      result.applied.push(...step.addresses);
    } catch (error) {
      const daff = error instanceof DaffError ? error : new InternalError(String(error), error);
      const attributed = daff instanceof ProviderError && step.addresses[0] ? daff.at(step.addresses[0]) : daff;
      for (const address of step.addresses) result.failed.push({ address, error: attributed });
      result.notAttempted.push(...steps.slice(index + 1).flatMap((s) => s.addresses));
      break;
    }
  }
  return result;
}

function appNameOf(change: Change): string {
  const resource = change.action === 'delete' ? change.before : change.after;
  const name = resource.attributes['name'];
  if (typeof name !== 'string') throw new InternalError(`${change.address} has no app name`);
  return name;
}

/** `/apps/{name}{suffix}` for the app of the change's environment. */
function appPath(apps: AppNames, change: Change, suffix = ''): string {
  const name = apps.get(change.scope);
  if (name === undefined) throw new InternalError(`no Heroku app is declared for environment ${change.scope}`);
  return `/apps/${encodeURIComponent(name)}${suffix}`;
}

async function applyApp(client: HerokuClient, change: Change, outputs: Outputs): Promise<void> {
  const name = appNameOf(change);
  switch (change.action) {
    case 'create':
      return createApp(client, change.after, outputs);
    case 'update': {
      const body = toApiAppUpdate(
        change.diffs.map((d) => d.attribute),
        change.after,
      );
      const app = await client.patch<ApiApp>(`/apps/${encodeURIComponent(name)}`, { body });
      outputs.set(change.address, appOutputs(app));
      return;
    }
    case 'replace':
      await client.delete(`/apps/${encodeURIComponent(name)}`);
      return createApp(client, change.after, outputs);
    case 'delete':
      await client.delete(`/apps/${encodeURIComponent(name)}`);
      return;
    default:
      return assertNever(change, 'change');
  }
}

/**
 * `POST /apps` is not idempotent and heroku-client resends it after a broken connection, so any
 * failure is reconciled by reading the app back: if it exists and we can read it, it is ours (a
 * crashed or resent earlier attempt created it).
 */
async function createApp(client: HerokuClient, app: Resource, outputs: Outputs): Promise<void> {
  const { path, body } = toApiAppCreate(app);
  const name = String(app.attributes['name']);
  let created: ApiApp | undefined;
  try {
    created = await client.post<ApiApp>(path, { body });
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error;
    const existing = await client.find<ApiApp>(`/apps/${encodeURIComponent(name)}`).catch(() => undefined);
    if (existing === undefined) {
      if (error.status === 422 || error instanceof ConflictError) {
        throw new ProviderError('heroku', `Cannot create the app ${name}: ${error.message}`, {
          ...(error.status === undefined ? {} : { status: error.status }),
          ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
          ...(error.apiCode === undefined ? {} : { apiCode: error.apiCode }),
          hint: 'Heroku app names are global: if another account has this name, pick another `app:` name in app.yaml.',
          cause: error,
        });
      }
      throw error;
    }
    created = existing;
  }
  outputs.set(`heroku.app[${app.scope}]`, appOutputs(created));
}

function appOutputs(app: ApiApp): Record<string, Value> {
  return { id: app.id, name: app.name, web_url: app.web_url };
}

/** One PATCH with every changed var: values set, `null` removes; generated secrets made here. */
async function applyConfig(client: HerokuClient, apps: AppNames, change: Change): Promise<void> {
  const body: Record<string, string | null> = {};
  for (const diff of change.diffs) {
    if (change.action === 'delete' || diff.after === undefined) {
      body[diff.attribute] = null;
      continue;
    }
    body[diff.attribute] = configValue(change.address, diff.attribute, diff.after);
  }
  if (Object.keys(body).length === 0) return;
  await client.patch<ApiConfigVars>(appPath(apps, change, '/config-vars'), { body });
}

function configValue(address: Address, key: string, value: Value): string {
  if (isUnknown(value)) {
    if (value.generate?.kind === 'secret') return randomBytes(value.generate.bytes).toString('base64url');
    throw new InternalError(`${address}: ${key} is still unknown at apply time (${value.reason})`);
  }
  if (typeof value === 'string') return value;
  throw new InternalError(`${address}: ${key} must be a string, got ${JSON.stringify(value)}`);
}

/** Every formation change of the app in one batch PATCH; a pruned process type is scaled to 0. */
async function applyFormation(client: HerokuClient, apps: AppNames, changes: readonly Change[]): Promise<void> {
  const updates = changes.map((change) => {
    const type = change.address.slice(change.address.lastIndexOf('/') + 1, -1);
    if (change.action === 'delete') return { type, quantity: 0 };
    const { quantity, size } = change.after.attributes;
    return { type, quantity, dyno_size: { name: size } };
  });
  const first = changes[0];
  if (first === undefined) return;
  await client.patch(appPath(apps, first, '/formation'), { body: { updates } });
}
