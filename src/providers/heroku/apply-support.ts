import type { Change } from '../../engine/types.js';
import type { Address, Resource } from '../../model/resource.js';
import type { Value } from '../../model/value.js';
import { type DaffError, InternalError, ProviderError } from '../../runtime/errors.js';
import type { Reporter } from '../provider.js';
import type { HerokuClient } from './client.js';

/** Environment name → Heroku app name, from app.yaml. */
export type AppNames = ReadonlyMap<string, string>;

/** How long-running waits (add-on provisioning) poll: exponential backoff, bounded in total. */
export interface PollOptions {
  readonly sleep: (ms: number) => Promise<void>;
  /** Milliseconds on a monotonic-enough clock. */
  readonly now: () => number;
  readonly firstDelayMs: number;
  readonly maxDelayMs: number;
  /** Total wait before giving up (the thing keeps going on Heroku; a re-run waits again). */
  readonly timeoutMs: number;
}

export const DEFAULT_POLL: PollOptions = {
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: () => Date.now(),
  firstDelayMs: 250,
  maxDelayMs: 5_000,
  timeoutMs: 30 * 60_000,
};

/** What every Heroku apply step works with. */
export interface StepContext {
  readonly client: HerokuClient;
  readonly apps: AppNames;
  readonly reporter: Reporter;
  readonly poll: PollOptions;
  /** Outputs of earlier apply calls of this run (ApplyContext.outputs). */
  readonly earlierOutputs: ReadonlyMap<Address, { readonly [attribute: string]: Value }>;
  /** Outputs of this apply call, filled as steps finish. */
  readonly outputs: Map<Address, Record<string, Value>>;
  /** Add-on ids per environment seen by the last read (to tell a just-created add-on apart). */
  readonly seenAddons: ReadonlyMap<string, ReadonlySet<string>>;
  /** The live add-ons the last read tied to app.yaml, by address (backup schedules name theirs). */
  readonly liveAddons: ReadonlyMap<Address, { readonly id: string; readonly attachment: string | undefined }>;
  /** The Heroku Postgres API (postgres-api.ts); undefined where the provider was built without it. */
  readonly postgres: HerokuClient | undefined;
}

/**
 * Every secret a change carries as text: its sensitive attributes (before and after, each string
 * in them), its diffs marked sensitive, and the parts of a URL that hold credentials. Errors of the change are
 * redacted with these (an API may echo what it was sent).
 */
export function sensitiveValues(change: Change): string[] {
  const values: unknown[] = change.diffs.filter((d) => d.sensitive).flatMap((d) => [d.before, d.after]);
  for (const resource of [change.action === 'create' ? undefined : change.before, change.action === 'delete' ? undefined : change.after]) {
    for (const name of resource?.sensitive ?? []) values.push(resource?.attributes[name]);
  }
  const texts = values.flatMap(textsIn);
  return [...texts, ...texts.flatMap(credentialsIn)];
}

/** The strings in a value, at any depth: a sensitive list (buildpack URLs) or map (add-on options) too. */
function textsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(textsIn);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(textsIn);
  return [];
}

function credentialsIn(text: string): string[] {
  try {
    const url = new URL(text);
    return [url.password, decodeURIComponent(url.password), url.password === '' ? url.username : ''].filter((p) => p !== '');
  } catch {
    return [];
  }
}

/** The Heroku app name of an environment. */
export function appName(ctx: StepContext, environment: string): string {
  const name = ctx.apps.get(environment);
  if (name === undefined) throw new InternalError(`no Heroku app is declared for environment ${environment}`);
  return name;
}

/** `/apps/{name}{suffix}` for the app of the change's environment. */
export function appPath(ctx: StepContext, change: Pick<Change, 'scope'>, suffix = ''): string {
  return `/apps/${encodeURIComponent(appName(ctx, change.scope))}${suffix}`;
}

/** The last part of an address: `heroku.feature[staging/preboot]` → `preboot`. */
export function lastPart(address: Address): string {
  return address.slice(Math.max(address.lastIndexOf('/'), address.indexOf('[')) + 1, -1);
}

/** The live id a delete, update or replace needs; a live resource without one is a bug. */
export function liveIdOf(change: Change): string {
  const before: Resource | undefined = change.action === 'create' ? undefined : change.before;
  if (before?.liveId === undefined) throw new InternalError(`${change.address} has no live id to address it by`);
  return before.liveId;
}

/** A string attribute of a desired resource (a resolved Unknown is a bug at this point). */
export function text(resource: Resource, attribute: string): string {
  const value = resource.attributes[attribute];
  if (typeof value !== 'string')
    throw new InternalError(`${resource.address}: ${attribute} is not known at apply time`);
  return value;
}

/**
 * Runs a creating POST once. On any API or network failure the request may or may not have taken
 * effect (or an earlier, crashed run made the thing), so the result is re-read with `find`: if
 * what we asked for exists, it is adopted; otherwise the original error stands. Never resends.
 */
export async function createOrAdopt<T>(create: () => Promise<T>, find: () => Promise<T | undefined>): Promise<T> {
  try {
    return await create();
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error;
    const existing = await find().catch(() => undefined);
    if (existing === undefined) throw error;
    return existing;
  }
}

/**
 * Polls `check` until it returns a value: first after `firstDelayMs`, then doubling up to
 * `maxDelayMs`; `onWait(elapsedMs)` before each sleep shows progress. Past `timeoutMs` throws
 * `timedOut()`.
 */
export async function pollUntil<T>(
  check: () => Promise<T | undefined>,
  poll: PollOptions,
  onWait: (elapsedMs: number) => void,
  timedOut: () => DaffError,
): Promise<T> {
  const started = poll.now();
  let delay = poll.firstDelayMs;
  for (;;) {
    const elapsed = poll.now() - started;
    if (elapsed >= poll.timeoutMs) throw timedOut();
    onWait(elapsed);
    await poll.sleep(Math.min(delay, Math.max(0, poll.timeoutMs - elapsed)));
    const result = await check();
    if (result !== undefined) return result;
    delay = Math.min(delay * 2, poll.maxDelayMs);
  }
}
