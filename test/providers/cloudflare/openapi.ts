import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A small JSON Schema checker for request bodies against schemas/cloudflare-openapi-subset.json
 * (no validator library is a dependency). It covers what the subset uses for requests: $ref,
 * allOf/anyOf/oneOf, type, enum, required (read-only properties are not required of a request),
 * properties, items, numeric and length bounds, pattern, minItems, minProperties and nullable.
 * Formats, discriminators and uniqueItems are not checked.
 */
type Schema = { readonly [key: string]: unknown };

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const spec = JSON.parse(readFileSync(resolve(root, 'schemas/cloudflare-openapi-subset.json'), 'utf8')) as {
  paths: Record<string, Record<string, { requestBody?: { content: { 'application/json': { schema: Schema } } } }>>;
  components: { schemas: Record<string, Schema> };
};

/** Problems with `body` as the request body of `method path` (OpenAPI path template); empty when it conforms. */
export function requestProblems(method: string, path: string, body: unknown): string[] {
  const schema = spec.paths[path]?.[method.toLowerCase()]?.requestBody?.content['application/json'].schema;
  if (schema === undefined) return [`no request schema for ${method} ${path}`];
  return check(schema, body, '$');
}

function deref(schema: Schema): Schema {
  const ref = schema['$ref'];
  if (typeof ref !== 'string') return schema;
  const name = ref.replace('#/components/schemas/', '');
  const target = spec.components.schemas[name];
  if (target === undefined) throw new Error(`unresolved ${ref}`);
  return deref(target);
}

function check(raw: Schema, value: unknown, at: string): string[] {
  const schema = deref(raw);
  const problems: string[] = [];
  for (const part of (schema['allOf'] as Schema[] | undefined) ?? []) problems.push(...check(part, value, at));
  const anyOf = schema['anyOf'] as Schema[] | undefined;
  if (anyOf !== undefined && !anyOf.some((s) => check(s, value, at).length === 0)) problems.push(`${at}: matches none of anyOf`);
  const oneOf = schema['oneOf'] as Schema[] | undefined;
  if (oneOf !== undefined) {
    const matching = oneOf.filter((s) => check(s, value, at).length === 0).length;
    if (matching !== 1) problems.push(`${at}: matches ${matching} of oneOf (needs exactly 1)`);
  }
  if (value === null) return schema['nullable'] === true || schema['type'] === undefined ? problems : [...problems, `${at}: null`];
  const enumeration = schema['enum'] as unknown[] | undefined;
  if (enumeration !== undefined && !enumeration.includes(value)) problems.push(`${at}: ${JSON.stringify(value)} not in enum`);
  problems.push(...checkType(schema, value, at));
  return problems;
}

function checkType(schema: Schema, value: unknown, at: string): string[] {
  const type = schema['type'];
  const problems: string[] = [];
  const kind = Array.isArray(value) ? 'array' : Number.isInteger(value) ? 'integer' : typeof value;
  if (type !== undefined && type !== kind && !(type === 'number' && kind === 'integer')) return [`${at}: ${kind}, expected ${String(type)}`];
  if (typeof value === 'string') {
    if (typeof schema['minLength'] === 'number' && value.length < schema['minLength']) problems.push(`${at}: too short`);
    if (typeof schema['maxLength'] === 'number' && value.length > schema['maxLength']) problems.push(`${at}: too long`);
    if (typeof schema['pattern'] === 'string' && !new RegExp(schema['pattern']).test(value)) problems.push(`${at}: does not match ${schema['pattern']}`);
  }
  if (typeof value === 'number') {
    if (typeof schema['minimum'] === 'number' && value < schema['minimum']) problems.push(`${at}: below minimum`);
    if (typeof schema['maximum'] === 'number' && value > schema['maximum']) problems.push(`${at}: above maximum`);
  }
  if (Array.isArray(value)) {
    if (typeof schema['minItems'] === 'number' && value.length < schema['minItems']) problems.push(`${at}: too few items`);
    const items = schema['items'] as Schema | undefined;
    if (items !== undefined) for (const [i, item] of value.entries()) problems.push(...check(items, item, `${at}[${i}]`));
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    const properties = (schema['properties'] as Record<string, Schema> | undefined) ?? {};
    for (const name of (schema['required'] as string[] | undefined) ?? []) {
      const property = properties[name];
      const readOnly = property !== undefined && deref(property)['readOnly'] === true;
      if (!readOnly && !(name in record)) problems.push(`${at}: missing ${name}`);
    }
    for (const [name, property] of Object.entries(properties)) {
      if (name in record) problems.push(...check(property, record[name], `${at}.${name}`));
    }
    if (typeof schema['minProperties'] === 'number' && Object.keys(record).length < schema['minProperties']) problems.push(`${at}: too few properties`);
  }
  return problems;
}
