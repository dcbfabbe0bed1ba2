import type { Change } from '../../engine/types.js';
import type { Resource } from '../../model/resource.js';
import { isRecord } from '../../model/value.js';
import { assertNever, ProviderError } from '../../runtime/errors.js';
import { attachmentPrefixes } from './addons.js';
import type { ApiAddon } from './api-types.js';
import { appPath, createOrAdopt, liveIdOf, pollUntil, type StepContext, text } from './apply-support.js';
import { ADDON, ADDONS } from './shapes.js';

/**
 * Add-ons: create (then wait until `provisioned`, with progress), change plan or name in place
 * (`PATCH`, never a replace), replace (delete, then create) when the service or attachment name
 * changes, delete. Safety has already refused destroying protected ones without --allow-destroy.
 */
export async function applyAddon(ctx: StepContext, change: Change): Promise<void> {
  switch (change.action) {
    case 'create':
      return createAddon(ctx, change.after);
    case 'update': {
      const body: Record<string, unknown> = { plan: text(change.after, 'plan') };
      if (change.diffs.some((d) => d.attribute === 'name')) body['name'] = text(change.after, 'name');
      const addon = await ctx.client.patch<ApiAddon>(appPath(ctx, change, `/addons/${liveIdOf(change)}`), { body, shape: ADDON });
      return settle(ctx, change.after, addon);
    }
    case 'replace':
      await ctx.client.delete(appPath(ctx, change, `/addons/${liveIdOf(change)}`));
      return createAddon(ctx, change.after);
    case 'delete':
      await ctx.client.delete(appPath(ctx, change, `/addons/${liveIdOf(change)}`));
      return;
    default:
      return assertNever(change, 'change');
  }
}

/** `POST /apps/{app}/addons` body: plan, attachment name, name and provisioning options as declared. */
export function toApiAddonCreate(addon: Resource): Record<string, unknown> {
  const { as, name, options } = addon.attributes;
  return {
    plan: text(addon, 'plan'),
    ...(typeof as === 'string' ? { attachment: { name: as } } : {}),
    ...(typeof name === 'string' ? { name } : {}),
    ...(isRecord(options) ? { config: { ...options } } : {}),
  };
}

/**
 * Creates the add-on once; after an ambiguous failure the app's add-ons are re-read and one that
 * is what we asked for is adopted (see `findCreated`) instead of resending.
 */
async function createAddon(ctx: StepContext, addon: Resource): Promise<void> {
  const path = appPath(ctx, addon, '/addons');
  const created = await createOrAdopt(
    () => ctx.client.post<ApiAddon>(path, { body: toApiAddonCreate(addon), shape: ADDON }),
    async () => findCreated(addon, await ctx.client.get<ApiAddon[]>(path, { shape: ADDONS }), ctx.seenAddons.get(addon.scope)),
  );
  return settle(ctx, addon, created);
}

/**
 * The add-on a create left behind: the one with the declared name, else the one attached under
 * the declared attachment name, else the only add-on of the plan's service that the last read did
 * not see (without a read: the only one of that service).
 */
export function findCreated(
  addon: Resource,
  live: readonly ApiAddon[],
  seen: ReadonlySet<string> | undefined,
): ApiAddon | undefined {
  const { name, as, service } = addon.attributes;
  if (typeof name === 'string') return live.find((a) => a.name === name);
  if (typeof as === 'string') return live.find((a) => attachmentPrefixes(a).has(as));
  const fresh = live.filter((a) => a.addon_service.name === service && !(seen?.has(a.id) ?? false));
  return fresh.length === 1 ? fresh[0] : undefined;
}

/**
 * Waits while the add-on is `provisioning` (data add-ons take minutes on Heroku), reporting
 * progress; `deprovisioned` means provisioning failed. Then records its outputs.
 */
async function settle(ctx: StepContext, desired: Resource, addon: ApiAddon): Promise<void> {
  let current = addon;
  if (current.state === 'provisioning') {
    const path = appPath(ctx, desired, `/addons/${encodeURIComponent(addon.id)}`);
    ctx.reporter.progress(desired.address, `provisioning ${current.plan.name} as ${current.name}…`);
    current = await pollUntil(
      async () => {
        const now = await ctx.client.get<ApiAddon>(path, { shape: ADDON });
        return now.state === 'provisioning' ? undefined : now;
      },
      ctx.poll,
      (elapsed) => {
        if (elapsed >= 1000)
          ctx.reporter.progress(
            desired.address,
            `still provisioning ${current.name} (${Math.round(elapsed / 1000)} s)`,
          );
      },
      () =>
        new ProviderError('heroku', `${current.name} is still provisioning after ${duration(ctx.poll.timeoutMs)}`, {
          address: desired.address,
          hint: 'Heroku keeps provisioning it; run apply again later and it will wait for it again (nothing is created twice).',
        }),
    );
    ctx.reporter.progress(desired.address, `${current.name} is ${current.state}`);
  }
  if (current.state === 'deprovisioned') {
    throw new ProviderError('heroku', `Provisioning the add-on ${current.name} (${current.plan.name}) failed`, {
      address: desired.address,
      hint: "See `heroku addons:info` for the provider's message; fix the plan or options and apply again.",
    });
  }
  ctx.outputs.set(desired.address, {
    id: current.id,
    name: current.name,
    service: current.addon_service.name,
    plan: current.plan.name,
  });
}

/** `45 s`, `30 min`. */
function duration(ms: number): string {
  return ms < 60_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`;
}
