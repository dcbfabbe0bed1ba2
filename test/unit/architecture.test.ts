import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

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
}

function importsOf(text: string): Import[] {
  const found: Import[] = [];
  const pattern = /(?:^|\n)\s*(import|export)\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const match of text.matchAll(pattern)) {
    const specifier = match[3] ?? match[4];
    if (specifier) found.push({ specifier, typeOnly: match[2] !== undefined });
  }
  return found;
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

/** Source without comment lines, so prose that mentions `process.env` does not count. */
function withoutComments(text: string): string {
  return text
    .split('\n')
    .filter((line) => !/^\s*(\/\/|\/\*|\*)/.test(line))
    .join('\n');
}

const layer = (file: string) => file.split('/')[0] ?? '';

/** Which src/ paths each layer may import (prefix match). */
const allowed: Record<string, readonly string[]> = {
  model: ['model/', 'runtime/diagnostics.ts'],
  engine: ['engine/', 'model/', 'runtime/errors.ts', 'runtime/diagnostics.ts'],
  config: ['config/', 'model/', 'runtime/errors.ts', 'runtime/diagnostics.ts'],
  render: ['render/', 'model/', 'engine/types.ts', 'runtime/errors.ts', 'runtime/diagnostics.ts'],
  runtime: ['runtime/'],
  providers: ['providers/provider.ts', 'model/', 'engine/types.ts', 'runtime/'],
  workflows: ['workflows/', 'engine/', 'model/', 'providers/provider.ts', 'runtime/'],
  sandbox: ['sandbox/'],
};

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
      .filter((f) => /\bprocess\.(env|stdout|stderr|stdin|exit|argv|cwd|on|once)\b/.test(withoutComments(f.text)))
      .map((f) => f.file);
    expect(violations).toEqual([]);
  });

  it('only the endpoint picker and the sandbox command know the sandbox exists', () => {
    const importers = files
      .filter((f) => !f.file.startsWith('sandbox/'))
      .filter((f) => f.imports.some((i) => i.target?.startsWith('sandbox/')))
      .map((f) => f.file)
      .sort();
    expect(importers).toEqual(['commands/connect.ts', 'commands/sandbox.ts']);
  });
});
