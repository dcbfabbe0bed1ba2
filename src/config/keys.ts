/**
 * Which keys a map allows, read from the editor JSON Schema: the same source editors complete
 * from, so the "did you mean" of a diagnostic and the editor's suggestions agree.
 */
import { appJsonSchema } from './schema.js';

type Node = {
  readonly properties?: { readonly [key: string]: Node };
  readonly additionalProperties?: Node | boolean;
  readonly items?: Node;
  readonly anyOf?: readonly Node[];
};

let root: Node | undefined;

/** The keys allowed in the map at `path` (empty when the path does not lead to a fixed-key map). */
export function allowedKeysAt(path: readonly PropertyKey[]): string[] {
  root ??= appJsonSchema() as Node;
  let nodes: Node[] = [root];
  for (const segment of path) nodes = nodes.flatMap(alternatives).flatMap((node) => child(node, segment));
  return [...new Set(nodes.flatMap(alternatives).flatMap((node) => Object.keys(node.properties ?? {})))];
}

function alternatives(node: Node): Node[] {
  return node.anyOf ? node.anyOf.flatMap(alternatives) : [node];
}

function child(node: Node, segment: PropertyKey): Node[] {
  if (typeof segment === 'number') return node.items ? [node.items] : [];
  const property = node.properties?.[String(segment)];
  if (property) return [property];
  return typeof node.additionalProperties === 'object' ? [node.additionalProperties] : [];
}
