/**
 * A compact validator for the parts of JSON Schema (draft 4, as Heroku's hyper-schema uses it)
 * that the response schemas rely on: $ref (local JSON pointers), type (string or list),
 * properties, required, additionalProperties: false, strictProperties, patternProperties, items,
 * anyOf, oneOf, enum, pattern. `format` is ignored. With `complete`, every property a schema
 * lists must be present (the sandbox promises every field the targetSchema names).
 */
export type Schema = Readonly<Record<string, unknown>>;

export interface ValidationOptions {
  readonly complete?: boolean;
}

export class SchemaValidator {
  constructor(private readonly root: Schema) {}

  /** Problems found, each `path: message`; empty when valid. */
  validate(value: unknown, schema: Schema, options: ValidationOptions = {}): string[] {
    const problems: string[] = [];
    this.check(value, schema, '$', options, problems);
    return problems;
  }

  resolve(ref: string): Schema {
    if (!ref.startsWith('#')) throw new Error(`only local $refs are supported: ${ref}`);
    let node: unknown = this.root;
    for (const raw of ref
      .slice(1)
      .split('/')
      .filter((p) => p !== '')) {
      const part = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
      if (typeof node !== 'object' || node === null || !(part in node)) throw new Error(`unresolvable $ref ${ref}`);
      node = (node as Record<string, unknown>)[part];
    }
    return node as Schema;
  }

  private check(value: unknown, schema: Schema, path: string, options: ValidationOptions, problems: string[]): void {
    if (typeof schema['$ref'] === 'string') {
      this.check(value, this.resolve(schema['$ref']), path, options, problems);
      return;
    }
    const types =
      schema['type'] === undefined ? undefined : ([] as string[]).concat(schema['type'] as string | string[]);
    if (types !== undefined && !types.some((t) => hasType(value, t))) {
      problems.push(`${path}: expected ${types.join(' | ')}, got ${describe(value)}`);
      return;
    }
    if (Array.isArray(schema['enum']) && !schema['enum'].some((e) => e === value)) {
      problems.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema['enum'])}`);
    }
    if (
      typeof schema['pattern'] === 'string' &&
      typeof value === 'string' &&
      !new RegExp(schema['pattern']).test(value)
    ) {
      problems.push(`${path}: ${JSON.stringify(value)} does not match /${schema['pattern']}/`);
    }
    if (Array.isArray(schema['anyOf'])) {
      const branches = schema['anyOf'] as Schema[];
      if (!branches.some((b) => this.validate(value, b, options).length === 0))
        problems.push(`${path}: matches no anyOf branch`);
    }
    if (Array.isArray(schema['oneOf'])) {
      const matching = (schema['oneOf'] as Schema[]).filter(
        (b) => this.validate(value, b, options).length === 0,
      ).length;
      if (matching !== 1) problems.push(`${path}: matches ${matching} oneOf branches, expected exactly 1`);
    }
    if (Array.isArray(value) && schema['items'] !== undefined) {
      for (const [i, item] of value.entries())
        this.check(item, schema['items'] as Schema, `${path}[${i}]`, options, problems);
    }
    if (typeof value === 'object' && value !== null && !Array.isArray(value))
      this.checkObject(value as Record<string, unknown>, schema, path, options, problems);
  }

  private checkObject(
    value: Record<string, unknown>,
    schema: Schema,
    path: string,
    options: ValidationOptions,
    problems: string[],
  ): void {
    const properties = (schema['properties'] ?? {}) as Record<string, Schema>;
    const patterns = Object.entries((schema['patternProperties'] ?? {}) as Record<string, Schema>).map(
      ([pattern, s]) => [new RegExp(pattern), s] as const,
    );
    const required = new Set((schema['required'] as string[] | undefined) ?? []);
    if (options.complete) for (const name of Object.keys(properties)) required.add(name);
    for (const name of required) if (!(name in value)) problems.push(`${path}: missing property "${name}"`);
    const closed = schema['additionalProperties'] === false || schema['strictProperties'] === true;
    for (const [name, child] of Object.entries(value)) {
      const childPath = `${path}.${name}`;
      let known = false;
      if (name in properties) {
        known = true;
        this.check(child, properties[name] as Schema, childPath, options, problems);
      }
      for (const [pattern, s] of patterns) {
        if (pattern.test(name)) {
          known = true;
          this.check(child, s, childPath, options, problems);
        }
      }
      if (!known && closed) problems.push(`${path}: unexpected property "${name}"`);
    }
  }
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'null':
      return value === null;
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'string':
    case 'boolean':
      return typeof value === type;
    default:
      return true;
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}
