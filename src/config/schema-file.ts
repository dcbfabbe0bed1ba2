/**
 * The committed editor schema, `config/app.schema.json`. `test/unit/config/schema-file.test.ts`
 * fails when the committed file differs from this rendering; `npm run schema` rewrites it.
 */
import { appJsonSchema } from './schema.js';

/** Path of the committed schema, relative to the repository root. */
export const JSON_SCHEMA_FILE = 'config/app.schema.json';

/** Deterministic text of the JSON Schema: 2-space indented, trailing newline. */
export function renderJsonSchema(): string {
  return `${JSON.stringify(appJsonSchema(), null, 2)}\n`;
}
