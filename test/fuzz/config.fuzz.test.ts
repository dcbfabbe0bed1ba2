import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../../src/config/index.js';
import { ConfigError } from '../../src/runtime/errors.js';
import { type SandboxHandle, startSandbox } from '../../src/sandbox/index.js';
import { cli } from '../helpers/cli.js';

// Bad input never crashes daffeinated: thousands of mutated app.yaml files each give located
// diagnostics (or a valid config), never an exception; through the CLI, exit 1, no stack trace and
// no API call. Seeded, so a failure reproduces.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BASES = [
  readFileSync(join(root, 'config/app.yaml'), 'utf8'),
  readFileSync(join(root, 'test/fixtures/config/valid/everything.yaml'), 'utf8'),
];
const SEED = 20261122;
const NASTY = [':', '-', ' ', '\t', '{', '}', '[', ']', '&a', '*a', '!tag', '"', "'", '#', '|', '>', '%', '@', '`', '${', '\u0000', '\u00e9', '\ud83d\ude00', '\n', '---\n', '<<: *a'];

/** Text-level edits: deletions, insertions of YAML-significant characters, line shuffles, re-indents. */
const textMutation = (base: string) =>
  fc
    .array(
      fc.oneof(
        fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
        fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.constantFrom(...NASTY), fc.string({ maxLength: 8 })) }),
        fc.record({ kind: fc.constant('swap' as const), a: fc.nat(), b: fc.nat() }),
        fc.record({ kind: fc.constant('indent' as const), line: fc.nat(), by: fc.integer({ min: -4, max: 4 }) }),
      ),
      { minLength: 1, maxLength: 4 },
    )
    .map((edits) => edits.reduce((text, edit) => applyEdit(text, edit), base));

type Edit =
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'swap'; a: number; b: number }
  | { kind: 'indent'; line: number; by: number };

function applyEdit(text: string, edit: Edit): string {
  switch (edit.kind) {
    case 'delete': {
      const at = edit.at % Math.max(1, text.length);
      return text.slice(0, at) + text.slice(at + edit.length);
    }
    case 'insert': {
      const at = edit.at % (text.length + 1);
      return text.slice(0, at) + edit.text + text.slice(at);
    }
    case 'swap': {
      const lines = text.split('\n');
      const a = edit.a % lines.length;
      const b = edit.b % lines.length;
      [lines[a], lines[b]] = [lines[b] as string, lines[a] as string];
      return lines.join('\n');
    }
    case 'indent': {
      const lines = text.split('\n');
      const i = edit.line % lines.length;
      const line = lines[i] as string;
      lines[i] = edit.by >= 0 ? ' '.repeat(edit.by) + line : line.replace(new RegExp(`^ {0,${-edit.by}}`), '');
      return lines.join('\n');
    }
  }
}

/** Structure-level edits on the parsed document: a value replaced by any JSON value (JSON is YAML). */
const structureMutation = (base: string) =>
  fc.tuple(fc.array(fc.nat(), { minLength: 1, maxLength: 6 }), fc.jsonValue({ maxDepth: 3 })).map(([path, value]) => {
    const raw = YAML.parse(base) as unknown;
    replaceAt(raw, path, value);
    return JSON.stringify(raw, null, 2);
  });

function replaceAt(node: unknown, path: readonly number[], value: unknown): void {
  let current = node;
  for (const [depth, step] of path.entries()) {
    if (typeof current !== 'object' || current === null) return;
    const keys = Object.keys(current);
    if (keys.length === 0) return;
    const key = keys[step % keys.length] as string;
    if (depth === path.length - 1 || typeof (current as Record<string, unknown>)[key] !== 'object') {
      (current as Record<string, unknown>)[key] = value;
      return;
    }
    current = (current as Record<string, unknown>)[key];
  }
}

function assertLocated(text: string): void {
  let result: ReturnType<typeof parseConfig>;
  try {
    result = parseConfig(text, 'app.yaml', {});
  } catch (error) {
    throw new Error(`parseConfig threw on:\n${text}\n${String(error)}`);
  }
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (result.config !== undefined) {
    expect(errors).toEqual([]);
    return;
  }
  expect(errors.length).toBeGreaterThan(0);
  for (const d of errors) {
    expect(d.file).toBe('app.yaml');
    expect(d.line).toBeGreaterThanOrEqual(1);
    expect(d.col).toBeGreaterThanOrEqual(1);
    expect(d.message.length).toBeGreaterThan(0);
  }
}

// CPU-bound: a few seconds alone, several times that on a loaded 2-core machine.
describe('config fuzz', { timeout: 180_000 }, () => {
  it('2,000 text mutations: never an exception, every error located', () => {
    fc.assert(fc.property(fc.constantFrom(...BASES).chain(textMutation), assertLocated), { seed: SEED, numRuns: 2000 });
  });

  it('1,000 structure mutations: never an exception, every error located', () => {
    fc.assert(fc.property(fc.constantFrom(...BASES).chain(structureMutation), assertLocated), { seed: SEED, numRuns: 1000 });
  });

  it('hostile files: huge, deeply nested, alias bombs, non-UTF-8, duplicate keys', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'daff-fuzz-'));
    const cases: [string, string | Uint8Array][] = [
      ['huge', `version: 1\nname: x\n# ${'x'.repeat(2 * 1024 * 1024)}\n`],
      ['deep', `version: 1\nname: x\nenvironments: ${'['.repeat(5000)}${']'.repeat(5000)}\n`],
      ['deep-map', `version: 1\nname: x\nenvironments:\n${Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i + 1)}k${i}:`).join('\n')}\n`],
      ['bomb', `a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n`],
      ['latin1', new Uint8Array([...Buffer.from('version: 1\nname: caf'), 0xe9, 0x0a])],
      ['duplicate', 'version: 1\nname: a\nname: b\nenvironments: {}\n'],
      ['binary', new Uint8Array([0x1f, 0x8b, 0x08, 0x00, 0xff, 0xfe, 0x00, 0x01])],
    ];
    for (const [name, content] of cases) {
      const file = join(cwd, `${name}.yaml`);
      writeFileSync(file, content);
      let thrown: unknown;
      try {
        loadConfig({ path: file, cwd, env: {} });
      } catch (error) {
        thrown = error;
      }
      expect(thrown, name).toBeInstanceOf(ConfigError);
      const diagnostics = (thrown as ConfigError).diagnostics;
      expect(diagnostics.length, name).toBeGreaterThan(0);
      for (const d of diagnostics) expect(d.file, name).toBeDefined();
    }
  });
});

describe('config fuzz through the CLI', () => {
  let sandbox: SandboxHandle;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 });
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('200 invalid mutants: exit 1, located errors, no stack trace, zero API requests', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'daff-fuzz-cli-'));
    const mutants = fc
      .sample(fc.constantFrom(...BASES).chain(textMutation), { seed: SEED + 1, numRuns: 600 })
      .filter((text) => parseConfig(text, 'app.yaml', {}).config === undefined)
      .slice(0, 200);
    expect(mutants.length).toBe(200);
    sandbox.resetLog();
    for (const text of mutants) {
      writeFileSync(join(cwd, 'app.yaml'), text);
      const result = await cli(['plan', '--all', '--sandbox', sandbox.url], { cwd });
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/app\.yaml:\d+:\d+: error: /);
      expect(result.stderr).not.toMatch(/\n\s+at .*:\d+:\d+\)?\n/);
    }
    expect(sandbox.requestLog()).toEqual([]);
  });
});
