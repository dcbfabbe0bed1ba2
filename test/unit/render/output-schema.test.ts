import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { JSON_FORMAT_VERSION, renderJson } from '../../../src/render/json.js';
import { toPlanView } from '../../../src/render/view-model.js';
import { schemaErrors } from '../../helpers/json-schema.js';
import { emptyPlan, scenarioPlan } from './fixtures.js';

// The JSON Schema shipped in the package (schemas/output.schema.json) describes what --format json
// prints, for plan and drift alike: every document validates, with nothing left out or added.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const schema = JSON.parse(readFileSync(join(root, 'schemas/output.schema.json'), 'utf8')) as Record<string, unknown>;

describe('schemas/output.schema.json', () => {
  it('is shipped in the package', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { files: string[] };
    expect(pkg.files).toContain('schemas/output.schema.json');
  });

  it('names the current format version', () => {
    const defs = schema['$defs'] as Record<string, { properties: Record<string, { enum: number[] }> }>;
    expect(defs['plan']?.properties['formatVersion']?.enum).toEqual([JSON_FORMAT_VERSION]);
    expect(defs['drDrill']?.properties['formatVersion']?.enum).toEqual([1]);
  });

  for (const mode of ['plan', 'drift', 'apply'] as const) {
    it(`validates the ${mode} document of a plan with every kind of change, item and diagnostic`, () => {
      const view = toPlanView(scenarioPlan(), { mode });
      const document = JSON.parse(
        renderJson({
          ...view,
          unmanaged: [...view.unmanaged, { address: 'heroku.config[staging]', attribute: 'X', note: 'n', source: { file: 'app.yaml', line: 3, col: 3, text: 'app.yaml:3:3' } }],
          expected: [{ address: 'heroku.config[staging]', attribute: 'DATABASE_URL', kind: 'addon-var', note: 'set by an add-on' }],
          accepted: [{ address: 'heroku.app[staging]', attribute: 'stack', reason: 'r', expires: '2026-12-01', source: { file: 'app.yaml', line: 1, col: 1, text: '' } }],
        }),
      ) as unknown;
      expect(schemaErrors(schema, document)).toEqual([]);
    });
  }

  it('validates an empty document and rejects an unknown key', () => {
    const empty = JSON.parse(renderJson(toPlanView(emptyPlan(), { mode: 'drift' }))) as Record<string, unknown>;
    expect(schemaErrors(schema, empty)).toEqual([]);
    expect(schemaErrors(schema, { ...empty, live: [] })).not.toEqual([]);
  });
});
