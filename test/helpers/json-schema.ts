import { Ajv } from 'ajv';

/**
 * What a JSON Schema (draft-07) finds wrong with `data`, as `path: message` lines; none when it
 * is valid. Strict (union types aside): a schema using a keyword or format ajv does not know is
 * itself an error.
 */
export function schemaErrors(schema: object, data: unknown): string[] {
  const validate = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);
  if (validate(data)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message ?? e.keyword}`);
}
