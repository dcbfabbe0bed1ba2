/**
 * A compact validator for the parts of JSON Schema (draft 4, as Heroku's hyper-schema uses it)
 * and of OpenAPI 3.0 schema objects (Cloudflare's spec) that the response schemas rely on: $ref
 * (local JSON pointers, e.g. `#/components/schemas/…`), type (string or list), nullable,
 * properties, required, additionalProperties: false, strictProperties, patternProperties, items,
 * allOf, anyOf, oneOf, enum, pattern, minimum/maximum, minLength/maxLength, minItems/maxItems.
 * `format` and `discriminator` are ignored (oneOf is checked by counting matching branches).
 * With `complete`, every property a schema lists must be present (the sandbox promises every
 * field the targetSchema names). With `request`, properties marked `readOnly` are not required
 * (OpenAPI lists some response-only fields in `required`).
 */
export type Schema = Readonly<Record<string, unknown>>;

export interface ValidationOptions {
  readonly complete?: boolean;
  readonly request?: boolean;
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
    if (value === null && schema['nullable'] === true) return;
    if (Array.isArray(schema['allOf'])) {
      for (const branch of schema['allOf'] as Schema[]) this.check(value, branch, path, options, problems);
    }
    const types =
      schema['type'] === undefined ? undefined : ([] as string[]).concat(schema['type'] as string | string[]);
    if (types !== undefined && !types.some((t) => hasType(value, t))) {
      problems.push(`${path}: expected ${types.join(' | ')}, got ${describe(value)}`);
      return;
    }
    if (Array.isArray(schema['enum']) && !schema['enum'].some((e) => e === value || sameJson(e, value))) {
      problems.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema['enum'])}`);
    }
    if (
      typeof schema['pattern'] === 'string' &&
      typeof value === 'string' &&
      !new RegExp(schema['pattern']).test(value)
    ) {
      problems.push(`${path}: ${JSON.stringify(value)} does not match /${schema['pattern']}/`);
    }
    this.checkBounds(value, schema, path, problems);
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

  private checkBounds(value: unknown, schema: Schema, path: string, problems: string[]): void {
    const bound = (name: string) => (typeof schema[name] === 'number' ? (schema[name] as number) : undefined);
    const [min, max] = [bound('minimum'), bound('maximum')];
    if (typeof value === 'number' && ((min !== undefined && value < min) || (max !== undefined && value > max))) {
      problems.push(`${path}: ${value} is outside [${min ?? '-∞'}, ${max ?? '∞'}]`);
    }
    const length = typeof value === 'string' ? value.length : Array.isArray(value) ? value.length : undefined;
    const [shortest, longest] =
      typeof value === 'string' ? [bound('minLength'), bound('maxLength')] : [bound('minItems'), bound('maxItems')];
    if (
      length !== undefined &&
      ((shortest !== undefined && length < shortest) || (longest !== undefined && length > longest))
    ) {
      problems.push(`${path}: length ${length} is outside [${shortest ?? 0}, ${longest ?? '∞'}]`);
    }
  }

  /** Whether a property schema is marked readOnly (directly, through $ref, or in an allOf branch). */
  private readOnly(schema: Schema | undefined): boolean {
    if (schema === undefined) return false;
    if (schema['readOnly'] === true) return true;
    if (typeof schema['$ref'] === 'string') return this.readOnly(this.resolve(schema['$ref']));
    return Array.isArray(schema['allOf']) && (schema['allOf'] as Schema[]).some((b) => this.readOnly(b));
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
    for (const name of required) {
      if (options.request && this.readOnly(properties[name])) continue;
      if (!(name in value)) problems.push(`${path}: missing property "${name}"`);
    }
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

/** Deep equality for enum members that are arrays or objects (OpenAPI uses `enum: [[]]`). */
function sameJson(a: unknown, b: unknown): boolean {
  return typeof a === 'object' && a !== null && JSON.stringify(a) === JSON.stringify(b);
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
