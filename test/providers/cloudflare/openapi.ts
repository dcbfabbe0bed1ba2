import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Schema, SchemaValidator } from '../../helpers/json-schema.js';

/**
 * Request bodies against schemas/cloudflare-openapi-subset.json, with the validator of the
 * contract tests (read-only properties are not required of a request).
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const spec = JSON.parse(readFileSync(resolve(root, 'schemas/cloudflare-openapi-subset.json'), 'utf8')) as {
  paths: Record<string, Record<string, { requestBody?: { content: { 'application/json': { schema: Schema } } } }>>;
};
const validator = new SchemaValidator(spec, 'openapi-3.0');

/** Problems with `body` as the request body of `method path` (OpenAPI path template); empty when it conforms. */
export function requestProblems(method: string, path: string, body: unknown): string[] {
  const schema = spec.paths[path]?.[method.toLowerCase()]?.requestBody?.content['application/json'].schema;
  if (schema === undefined) return [`no request schema for ${method} ${path}`];
  return validator.validate(body, schema, { request: true });
}
