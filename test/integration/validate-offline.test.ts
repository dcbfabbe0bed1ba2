import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

// `validate` is the pull-request lint job: offline and without secrets, in human or JSON form.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function workspace(yaml?: string): string {
  const cwd = mkdtempSync(join(tmpdir(), 'daff-validate-'));
  if (yaml === undefined) cpSync(join(root, 'config/app.yaml'), join(cwd, 'app.yaml'));
  else writeFileSync(join(cwd, 'app.yaml'), yaml);
  return cwd;
}

describe('validate', () => {
  it('needs no from_env variable, required or optional, and says nothing about them', async () => {
    const cwd = workspace();
    const text = readFileSync(join(cwd, 'app.yaml'), 'utf8');
    writeFileSync(join(cwd, 'app.yaml'), text.replace('    NODE_ENV: production\n', '    NODE_ENV: production\n    UPSTREAM: { from_env: UPSTREAM_URL }\n'));
    const result = await cli(['validate'], { cwd, env: {} });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('app.yaml is valid: 2 environments (production, staging), 1 zone(s).\n');
  });

  it('--format json: one document, valid or not, with located diagnostics', async () => {
    const valid = await cli(['validate', '--format', 'json'], { cwd: workspace(), env: {} });
    expect(valid.code).toBe(0);
    expect(JSON.parse(valid.stdout)).toEqual({
      diagnostics: [],
      environments: ['production', 'staging'],
      file: 'app.yaml',
      formatVersion: 1,
      kind: 'validate',
      valid: true,
      zones: ['daffeinated.com'],
    });
    const invalid = await cli(['validate', '--format', 'json'], { cwd: workspace('version: 1\nname: x\nenvironments:\n  staging:\n    app: Not_Valid\n'), env: {} });
    expect(invalid.code).toBe(1);
    const doc = JSON.parse(invalid.stdout) as { valid: boolean; diagnostics: { severity: string; file?: string; line?: number }[] };
    expect(doc.valid).toBe(false);
    expect(doc.diagnostics.length).toBeGreaterThan(0);
    expect(doc.diagnostics.filter((d) => d.severity === 'error').every((d) => d.file === 'app.yaml' && typeof d.line === 'number')).toBe(true);
    expect(invalid.stderr).toMatch(/app\.yaml:5:\d+: error: /);
  });
});
