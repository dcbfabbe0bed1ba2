import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Writes into `dir` a preload module (for `node --import`) that registers a resolve hook printing
 * every module URL the process resolves on stderr, one `@@module URL` line each, and returns the
 * preload's path. Used by the cold-start bench and by the test that `--version` loads no CLI.
 */
export function writeModuleTrace(dir: string): string {
  const resolver = join(dir, 'resolver.mjs');
  writeFileSync(
    resolver,
    "export async function resolve(specifier, context, next) {\n  const result = await next(specifier, context);\n  process.stderr.write('@@module ' + result.url + '\\n');\n  return result;\n}\n",
  );
  const trace = join(dir, 'trace.mjs');
  writeFileSync(trace, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(resolver).href)});\n`);
  return trace;
}

/**
 * The source files (relative to `root`: `dist/…`, `node_modules/…`) behind the module URLs a
 * process loaded: a file of the CLI's bundle (dist/bundle/, scripts/bundle-cli.mjs) stands for
 * every input its build put into it, per the build's metafile; any other file for itself.
 */
export function loadedSources(root: string, urls: readonly string[]): string[] {
  const meta = JSON.parse(readFileSync(join(root, 'dist/bundle/meta.json'), 'utf8')) as {
    outputs: Record<string, { inputs: Record<string, unknown> }>;
  };
  const prefix = `${pathToFileURL(root).href}/`;
  return urls
    .filter((url) => url.startsWith(prefix))
    .flatMap((url) => {
      const path = url.slice(prefix.length);
      const output = meta.outputs[path];
      return output === undefined ? [path] : Object.keys(output.inputs);
    });
}

/** The files (URLs) `node BIN ARGS…` loads, the bin itself aside, in the order it first resolves them. */
export function tracedModules(
  bin: string,
  args: readonly string[],
  options: { readonly cwd: string; readonly env: NodeJS.ProcessEnv },
): string[] {
  const hook = writeModuleTrace(mkdtempSync(join(tmpdir(), 'daff-bench-trace-')));
  const result = spawnSync(process.execPath, ['--import', pathToFileURL(hook).href, bin, ...args], {
    ...options,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  const urls = [...result.stderr.matchAll(/^@@module (file:\S+)$/gm)].map((m) => m[1] as string);
  return [...new Set(urls)].filter((url) => url !== pathToFileURL(bin).href);
}
