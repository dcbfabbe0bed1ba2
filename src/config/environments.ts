/**
 * Each environment's effective settings: the top-level inherited keys, then `defaults`, then the
 * environment itself (see `merge.ts`), computed on the interpolated document whether or not it is
 * valid, so that cross-field rules can run in the same pass as the schema.
 */
import { mergeLayers } from './merge.js';
import { entries, entry, isPlainMap, type Path, type PlainMap, pathId } from './tree.js';

/** Top-level keys that environments inherit (environment > defaults > top level). */
export const INHERITED_TOP_LEVEL: readonly string[] = ['team', 'region', 'stack', 'buildpacks', 'features'];

export interface MergedEnvironment {
  readonly name: string;
  /** Absolute path of the environment's own body: `['environments', name]`. */
  readonly path: Path;
  readonly value: PlainMap;
  /** Relative (`['formation', 'web']`) → absolute path of the node that supplied it. */
  readonly origins: ReadonlyMap<string, { readonly relative: Path; readonly absolute: Path }>;
}

/** A config var is replaced whole, never merged key by key. */
const isAtomic = (relative: Path): boolean => relative.length === 2 && relative[0] === 'config';

export function mergeEnvironments(root: unknown): MergedEnvironment[] {
  const top: Record<string, unknown> = {};
  for (const key of INHERITED_TOP_LEVEL) {
    const value = entry(root, key);
    if (value !== undefined) top[key] = value;
  }
  const defaults = entry(root, 'defaults');
  return entries(entry(root, 'environments')).map(([name, body]) => {
    const path: Path = ['environments', name];
    const merged = mergeLayers(
      [
        { value: top, path: [] },
        { value: defaults, path: ['defaults'] },
        { value: isPlainMap(body) ? body : {}, path },
      ],
      isAtomic,
    );
    const origins = new Map(merged.origins.map((o) => [pathId(o.relative), o] as const));
    return { name, path, value: merged.value, origins };
  });
}

/** Absolute path of the node that supplied `relative` in `environment` (the environment's own path when unknown). */
export function originOf(environment: MergedEnvironment, relative: Path): Path {
  return environment.origins.get(pathId(relative))?.absolute ?? [...environment.path, ...relative];
}
