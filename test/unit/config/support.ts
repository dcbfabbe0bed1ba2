/** Shared helpers for the config tests. */
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { parseConfig } from '../../../src/config/index.js';
import type { Config } from '../../../src/model/config.js';
import { type Diagnostic, formatDiagnostic } from '../../../src/runtime/diagnostics.js';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/config/', import.meta.url));
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** One line per diagnostic, hint on the same line: the format of the `.expected.txt` files. */
export function oneLine(d: Diagnostic): string {
  return formatDiagnostic(d).replace('\n    hint: ', ' — hint: ');
}

/** A small valid config; tests append or replace parts of it. */
export const MINIMAL = `version: 1
name: shop
environments:
  staging:
    app: shop-staging
`;

/** Parses and expects success; returns the config. */
export function valid(text: string, env: Readonly<Record<string, string | undefined>> = {}): Config {
  const result = parseConfig(text, 'app.yaml', env);
  expect(result.diagnostics.map(oneLine)).toEqual([]);
  if (!result.config) throw new Error('no config');
  return result.config;
}

/** Parses and expects failure; returns the one-line diagnostics. */
export function problems(text: string, env: Readonly<Record<string, string | undefined>> = {}): string[] {
  const result = parseConfig(text, 'app.yaml', env);
  expect(result.config).toBeUndefined();
  return result.diagnostics.map(oneLine);
}
