/**
 * Layered settings: the top level, then `defaults`, then the environment. Maps merge key by key
 * (recursively), lists and scalars replace; `atomic` paths are replaced whole even when both sides
 * are maps (a config var is one value: `{generate: secret}` must not merge with `{value: x}`).
 * Every node of the result remembers which layer's node supplied it, for `sources`.
 */
import { defineEntry, isPlainMap, type Path, type PlainMap, valueAt } from './tree.js';

export interface Layer {
  /** A map (anything else contributes nothing). */
  readonly value: unknown;
  /** Absolute path of the layer's root in the document. */
  readonly path: Path;
}

export interface Merged {
  readonly value: PlainMap;
  /** Every node of `value` (root excluded): its path relative to the layers and where it came from. */
  readonly origins: readonly { readonly relative: Path; readonly absolute: Path }[];
}

/** Layers from lowest to highest precedence. */
export function mergeLayers(layers: readonly Layer[], atomic: (relative: Path) => boolean): Merged {
  let value: PlainMap = {};
  for (const layer of layers) {
    if (isPlainMap(layer.value)) value = mergeMaps(value, layer.value, [], atomic);
  }
  const origins: { relative: Path; absolute: Path }[] = [];
  const walk = (node: unknown, relative: Path): void => {
    if (relative.length > 0) {
      const supplier = [...layers].reverse().find((layer) => valueAt(layer.value, relative) !== undefined);
      if (supplier) origins.push({ relative, absolute: [...supplier.path, ...relative] });
    }
    const children: [string | number, unknown][] = Array.isArray(node)
      ? node.map((item, index) => [index, item])
      : Object.entries(isPlainMap(node) ? node : {});
    for (const [segment, item] of children) walk(item, [...relative, segment]);
  };
  walk(value, []);
  return { value, origins };
}

function mergeMaps(lower: PlainMap, higher: PlainMap, path: Path, atomic: (relative: Path) => boolean): PlainMap {
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(lower)) defineEntry(out, key, item);
  for (const [key, item] of Object.entries(higher)) {
    const below = Object.hasOwn(out, key) ? out[key] : undefined;
    const childPath = [...path, key];
    const merged =
      isPlainMap(below) && isPlainMap(item) && !atomic(childPath) ? mergeMaps(below, item, childPath, atomic) : item;
    defineEntry(out, key, merged);
  }
  return out;
}
