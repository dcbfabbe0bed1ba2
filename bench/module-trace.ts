import { readFileSync, writeFileSync } from 'node:fs';
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
