import type { Change, DesiredState, LiveState } from '../../../src/engine/types.js';
import { makeAddress, type Resource, type ResourceKind } from '../../../src/model/resource.js';
import { Unknown, type Value } from '../../../src/model/value.js';

type Extra = Partial<Omit<Resource, 'attributes' | 'address' | 'kind' | 'scope' | 'provider'>>;

/** A resource of `kind` in `scope` (optionally named), e.g. `aResource('heroku.addon', 'staging', 'db', {...})`. */
export function aResource(
  kind: ResourceKind,
  scope: string,
  name: string | undefined,
  attributes: { [name: string]: Value } = {},
  extra: Extra = {},
): Resource {
  return {
    address: name === undefined ? makeAddress(kind, scope) : makeAddress(kind, scope, name),
    provider: kind.startsWith('heroku.') ? 'heroku' : 'cloudflare',
    kind,
    scope,
    attributes,
    sensitive: [],
    ...extra,
  };
}

export const app = (scope: string, attributes: { [name: string]: Value } = {}, extra: Extra = {}): Resource =>
  aResource('heroku.app', scope, undefined, { name: `daff-${scope}`, region: 'us', ...attributes }, extra);

export const config = (scope: string, attributes: { [name: string]: Value }, extra: Extra = {}): Resource =>
  aResource('heroku.config', scope, undefined, attributes, extra);

export const addon = (
  scope: string,
  name: string,
  attributes: { [name: string]: Value },
  extra: Extra = {},
): Resource => aResource('heroku.addon', scope, name, attributes, extra);

/** A DNS record `cloudflare.dns[zone/type/name]`. */
export const dns = (zone: string, type: string, name: string, content: Value, extra: Extra = {}): Resource =>
  aResource('cloudflare.dns', zone, `${type}/${name}`, { type, name, content }, extra);

export const desiredState = (resources: readonly Resource[], prune: readonly string[] = []): DesiredState => ({
  resources,
  prune,
});

export const liveState = (resources: readonly Resource[], extra: Partial<LiveState> = {}): LiveState => ({
  resources,
  deferred: [],
  diagnostics: [],
  ...extra,
});

/** A generated secret, as desired.ts declares one. */
export const generatedSecret = (): Unknown =>
  new Unknown('generated on first apply', { preserveLive: true, generate: { kind: 'secret', bytes: 32 } });

export const addresses = (changes: readonly Change[]): string[] => changes.map((change) => change.address);

/** Deterministic Fisher–Yates shuffle (mulberry32), so a failing seed can be replayed. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  let state = seed >>> 0;
  const random = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const result = [...items];
  for (let i = result.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [result[i], result[j]] = [result[j] as T, result[i] as T];
  }
  return result;
}
