import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';

/**
 * Validation against the vendored provider schemas with ajv, formats checked (ajv-formats):
 * Heroku's hyper-schema is JSON Schema draft 4 (`draft-04`); Cloudflare's spec is OpenAPI 3.0,
 * whose schema objects are draft-4-like with `nullable` (`openapi-3.0`, which ajv supports beside
 * `type`). Hyper-schema and OpenAPI keywords that are not validation (links, discriminator, x-*)
 * are ignored; Heroku's `strictProperties: true` closes an object (`additionalProperties: false`).
 *
 * With `complete`, every property a schema lists must be present (the sandbox promises every field
 * the targetSchema names). With `request`, properties marked `readOnly` (directly, through $ref or
 * in an allOf branch) are not required (OpenAPI lists some response-only fields in `required`).
 * Both are variants of the whole document, so they apply through every $ref.
 */
export type Schema = Readonly<Record<string, unknown>>;
export type Dialect = 'draft-04' | 'openapi-3.0';

export interface ValidationOptions {
  readonly complete?: boolean;
  readonly request?: boolean;
}

type Variant = 'plain' | 'complete' | 'request';
type Node = Record<string, unknown>;

export class SchemaValidator {
  private readonly ajv: Ajv;
  private readonly pointers = new Map<object, string>();
  private readonly added = new Set<Variant>();
  private readonly compiled = new Map<string, ValidateFunction>();

  /** `corrections`: keywords to set on the nodes at these JSON pointers (upstream errors, each with its reason). */
  constructor(
    private readonly root: Schema,
    dialect: Dialect,
    private readonly corrections: Readonly<Record<string, Schema>> = {},
  ) {
    // Patterns are ECMA-262 regular expressions without the `u` flag (Heroku's use `\:`).
    const options = { strict: false, allErrors: true, validateSchema: false, validateFormats: true, unicodeRegExp: false } as const;
    this.ajv = dialect === 'draft-04' ? new AjvDraft04.default(options) : new Ajv(options);
    addFormats.default(this.ajv);
    index(root, '', this.pointers);
  }

  /** The formats ajv checks (every `format` the vendored schemas use must be one of them). */
  get formats(): readonly string[] {
    return Object.keys(this.ajv.formats);
  }

  /** Problems found, each `path: message` (`$.errors[0].code: must be >= 1000`); empty when valid. */
  validate(value: unknown, schema: Schema, options: ValidationOptions = {}): string[] {
    const pointer = this.pointers.get(schema);
    if (pointer === undefined) throw new Error('the schema to validate against must be a node of the document');
    const variant: Variant = options.complete ? 'complete' : options.request ? 'request' : 'plain';
    const check = this.compile(variant, pointer);
    return check(value) ? [] : [...new Set(outermost(check.errors ?? []).map(describe))];
  }

  resolve(ref: string): Schema {
    return at(this.root, ref);
  }

  private compile(variant: Variant, pointer: string): ValidateFunction {
    const key = `${variant}#${pointer}`;
    const cached = this.compiled.get(key);
    if (cached !== undefined) return cached;
    if (!this.added.has(variant)) {
      this.ajv.addSchema(this.document(variant), variant);
      this.added.add(variant);
    }
    const check = this.ajv.compile({ $ref: key });
    this.compiled.set(key, check);
    return check;
  }

  /**
   * A copy of the document for ajv, the variant applied: its own `id` dropped (three variants are
   * added, and local refs need no base), `$schema` (hyper-schema has no meta-schema here) and
   * examples (values, not schemas, though some have an `id`) too. Corrections are applied first.
   */
  private document(variant: Variant): Node {
    const copy = structuredClone(this.root) as Node;
    // ajv compiles a document's root before any $ref into it, and Heroku's root lists every
    // resource: the root itself is never validated against, so only its definitions are kept.
    delete copy['id'];
    delete copy['properties'];
    delete copy['type'];
    for (const [pointer, keywords] of Object.entries(this.corrections)) Object.assign(at(copy, `#${pointer}`), keywords);
    rewrite(copy, (node) => {
      delete node['$schema'];
      delete node['example'];
      delete node['examples'];
      if (node['strictProperties'] === true) node['additionalProperties'] = false;
      const properties = node['properties'];
      if (typeof properties !== 'object' || properties === null) return;
      const required = Array.isArray(node['required']) ? (node['required'] as string[]) : [];
      if (variant === 'complete') node['required'] = [...new Set([...required, ...Object.keys(properties)])];
      if (variant === 'request' && required.length > 0)
        node['required'] = required.filter((name) => !this.readOnly((properties as Record<string, Schema>)[name]));
    });
    return copy;
  }

  private readOnly(schema: Schema | undefined): boolean {
    if (schema === undefined) return false;
    if (schema['readOnly'] === true) return true;
    if (typeof schema['$ref'] === 'string') return this.readOnly(this.resolve(schema['$ref']));
    return Array.isArray(schema['allOf']) && (schema['allOf'] as Schema[]).some((b) => this.readOnly(b));
  }
}

/** The node a local `$ref` (`#/definitions/app`) names. */
function at(root: Schema, ref: string): Node {
  if (!ref.startsWith('#')) throw new Error(`only local $refs are supported: ${ref}`);
  let node: unknown = root;
  for (const raw of ref
    .slice(1)
    .split('/')
    .filter((p) => p !== '')) {
    const part = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (typeof node !== 'object' || node === null || !(part in node)) throw new Error(`unresolvable $ref ${ref}`);
    node = (node as Node)[part];
  }
  return node as Node;
}

/** Records the JSON pointer (URI-fragment encoded) of every object in the document. */
function index(node: unknown, pointer: string, into: Map<object, string>): void {
  if (typeof node !== 'object' || node === null) return;
  into.set(node, pointer);
  for (const [key, child] of Object.entries(node))
    index(child, `${pointer}/${encodeURIComponent(key.replace(/~/g, '~0').replace(/\//g, '~1'))}`, into);
}

/** Applies `edit` to every object of the document, parents before children. */
function rewrite(node: unknown, edit: (node: Node) => void): void {
  if (typeof node !== 'object' || node === null) return;
  if (!Array.isArray(node)) edit(node as Node);
  for (const child of Object.values(node)) rewrite(child, edit);
}

const under = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}/`);

/**
 * The errors without those from inside failing oneOf/anyOf branches (each branch's mismatches are
 * noise; the combinator's own error says the value matched no branch, or more than one).
 */
function outermost(errors: readonly ErrorObject[]): ErrorObject[] {
  const combinators = errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf');
  const outer = combinators.filter(
    (c, i) =>
      !combinators.some(
        (o, j) => j !== i && under(c.instancePath, o.instancePath) && (o.instancePath !== c.instancePath || j > i),
      ),
  );
  return errors.filter((e) => outer.includes(e) || !outer.some((c) => under(e.instancePath, c.instancePath)));
}

function describe(error: ErrorObject): string {
  const path = `$${error.instancePath
    .split('/')
    .slice(1)
    .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`))
    .join('')}`;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return `${path}: unexpected property "${String(params['additionalProperty'])}"`;
    case 'required':
      return `${path}: missing property "${String(params['missingProperty'])}"`;
    case 'enum':
      return `${path}: must be one of ${JSON.stringify(params['allowedValues'])}`;
    default:
      return `${path}: ${error.message ?? error.keyword}`;
  }
}

/**
 * What a JSON Schema (draft-07) finds wrong with `data`, as `path: message` lines; none when it
 * is valid. Strict (union types aside): a schema using a keyword or format ajv does not know is
 * itself an error; formats are checked.
 */
export function schemaErrors(schema: object, data: unknown): string[] {
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
  addFormats.default(ajv);
  const validate = ajv.compile(schema);
  if (validate(data)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message ?? e.keyword}`);
}
