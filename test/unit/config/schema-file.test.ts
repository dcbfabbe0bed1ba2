/**
 * Keeps `config/app.schema.json` (what editors validate app.yaml against) identical to the schema
 * the validator uses. Regenerate with `npm run schema` (which runs this test with UPDATE_SCHEMA=1).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderJsonSchema } from '../../../src/config/index.js';
import { JSON_SCHEMA_FILE } from '../../../src/config/schema-file.js';
import { REPO_ROOT } from './support.js';

const file = join(REPO_ROOT, JSON_SCHEMA_FILE);

describe(JSON_SCHEMA_FILE, () => {
  it('matches the schema generated from src/config/schema.ts', () => {
    const generated = renderJsonSchema();
    if (process.env['UPDATE_SCHEMA'] === '1') writeFileSync(file, generated);
    const committed = readFileSync(file, 'utf8');
    expect(committed === generated, `${JSON_SCHEMA_FILE} is out of date: run \`npm run schema\` and commit it`).toBe(
      true,
    );
  });

  it('is deterministic', () => {
    expect(renderJsonSchema()).toBe(renderJsonSchema());
  });

  it('is draft-07 JSON Schema that documents fields and rejects unknown keys', () => {
    const schema = JSON.parse(renderJsonSchema());
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.title).toBe('daffeinated app.yaml');
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(['version', 'name', 'environments']);
    const environment = schema.properties.environments.additionalProperties;
    expect(environment.title).toBe('Environment');
    expect(environment.required).toEqual(['app']);
    expect(environment.properties.app.pattern).toBe('^[a-z][a-z0-9-]{1,28}[a-z0-9]$');
    expect(environment.properties.formation.additionalProperties.properties.size.examples).toContain('standard-2x');
    // Every property carries a description, for editor hovers.
    const undocumented: string[] = [];
    const visit = (node: unknown, where: string): void => {
      if (typeof node !== 'object' || node === null) return;
      const properties = (node as { properties?: Record<string, { description?: string; title?: string }> }).properties;
      for (const [key, child] of Object.entries(properties ?? {})) {
        if (!child.description && !child.title) undocumented.push(`${where}.${key}`);
      }
      for (const [key, child] of Object.entries(node)) visit(child, `${where}.${key}`);
    };
    visit(schema, '');
    expect(undocumented).toEqual([]);
  });
});
