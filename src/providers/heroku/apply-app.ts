import { randomBytes } from 'node:crypto';
import type { Change } from '../../engine/types.js';
import type { Address, Resource } from '../../model/resource.js';
import { isUnknown, type Value } from '../../model/value.js';
import { assertNever, ConflictError, DaffError, InternalError, ProviderError, redacted } from '../../runtime/errors.js';
import type { ApiApp, ApiConfigVars } from './api-types.js';
import { appPath, lastPart, type StepContext, text } from './apply-support.js';
import { toApiAppCreate, toApiAppUpdate } from './convert.js';
import { APP } from './shapes.js';

/**
 * The app (with ACM), its config vars (one PATCH) and its formation (one batch PATCH).
 * ACM is switched with `POST`/`DELETE /apps/{app}/acm` after the app exists; certificates are then
 * issued per domain as domains are added.
 */
export async function applyApp(ctx: StepContext, change: Change): Promise<void> {
  switch (change.action) {
    case 'create':
      return createApp(ctx, change.after);
    case 'update': {
      const changed = change.diffs.map((d) => d.attribute);
      const body = toApiAppUpdate(changed, change.after);
      const path = `/apps/${encodeURIComponent(text(change.after, 'name'))}`;
      let app: ApiApp | undefined;
      if (Object.keys(body).length > 0) app = await ctx.client.patch<ApiApp>(path, { body, shape: APP });
      if (changed.includes('acm')) app = await setAcm(ctx, change.after);
      if (app !== undefined) ctx.outputs.set(change.address, appOutputs(app));
      return;
    }
    case 'replace':
      await ctx.client.delete(`/apps/${encodeURIComponent(text(change.before, 'name'))}`);
      return createApp(ctx, change.after);
    case 'delete':
      await ctx.client.delete(`/apps/${encodeURIComponent(text(change.before, 'name'))}`);
      return;
    default:
      return assertNever(change, 'change');
  }
}

/** `POST /apps/{app}/acm` to enable, `DELETE` to disable; both answer with the app. */
function setAcm(ctx: StepContext, app: Resource): Promise<ApiApp> {
  const path = `/apps/${encodeURIComponent(text(app, 'name'))}/acm`;
  return app.attributes['acm'] === true
    ? ctx.client.post<ApiApp>(path, { idempotent: true, shape: APP })
    : ctx.client.delete<ApiApp>(path, { shape: APP });
}

/**
 * `POST /apps` is not idempotent, so it is sent once, never resent (client.ts); a failure, even a
 * lost connection, may hide a success, or a crashed earlier run may have created the app. So any
 * failure is reconciled by reading the app back: if it exists and we can read it, it is ours.
 */
async function createApp(ctx: StepContext, app: Resource): Promise<void> {
  const { path, body } = toApiAppCreate(app);
  const name = text(app, 'name');
  let created: ApiApp | undefined;
  try {
    created = await ctx.client.post<ApiApp>(path, { body, shape: APP });
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error;
    const existing = await ctx.client.find<ApiApp>(`/apps/${encodeURIComponent(name)}`, APP).catch(() => undefined);
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
  // Apps are created out of maintenance and without ACM; either is switched on afterwards.
  if (app.attributes['maintenance'] === true && !created.maintenance) {
    created = await ctx.client.patch<ApiApp>(`/apps/${encodeURIComponent(name)}`, { body: { maintenance: true }, shape: APP });
  }
  if (app.attributes['acm'] === true && !created.acm) created = await setAcm(ctx, app);
  ctx.outputs.set(`heroku.app[${app.scope}]`, appOutputs(created));
}

function appOutputs(app: ApiApp): Record<string, Value> {
  return { id: app.id, name: app.name, web_url: app.web_url, acm: app.acm };
}

/** One PATCH with every changed var: values set, `null` removes; generated secrets made here. */
export async function applyConfig(ctx: StepContext, change: Change): Promise<void> {
  const body: Record<string, string | null> = {};
  for (const diff of change.diffs) {
    if (change.action === 'delete' || diff.after === undefined) {
      body[diff.attribute] = null;
      continue;
    }
    body[diff.attribute] = configValue(change.address, diff.attribute, diff.after);
  }
  if (Object.keys(body).length === 0) return;
  try {
    await ctx.client.patch<ApiConfigVars>(appPath(ctx, change, '/config-vars'), { body });
  } catch (error) {
    // Generated secrets exist only in this body: redact the sensitive values sent here.
    const sensitive = new Set(change.diffs.filter((d) => d.sensitive).map((d) => d.attribute));
    const sent = Object.entries(body).flatMap(([key, value]) => (sensitive.has(key) && value !== null ? [value] : []));
    throw error instanceof DaffError ? redacted(error, sent) : error;
  }
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
export async function applyFormation(ctx: StepContext, changes: readonly Change[]): Promise<void> {
  const updates = changes.map((change) => {
    const type = lastPart(change.address);
    if (change.action === 'delete') return { type, quantity: 0 };
    const { quantity, size } = change.after.attributes;
    return { type, quantity, dyno_size: { name: size } };
  });
  const first = changes[0];
  if (first === undefined) return;
  await ctx.client.patch(appPath(ctx, first, '/formation'), { body: { updates } });
}
