/**
 * The CLI as it ships: dist/bundle/, built by esbuild from dist/cli.js (tsc's output) with every
 * package it uses, split at the CLI's lazy imports. bin/daffeinated.js runs dist/bundle/cli.js
 * (and dist/bundle/version.js alone for `--version`).
 * - One module per command instead of ~150 of ours plus ~200 of the packages': resolving and
 *   linking that many modules was most of a command's start. A dynamic import of the module tree
 *   (one per command, the in-process sandbox, the Cloudflare SDK…) becomes one entry file of the
 *   bundle; code two of them share goes into `chunk-*.js`, loaded with the first that needs it.
 * - `--help` loads cli.js and what it imports statically: commander and the help text, as before.
 * - version.js reads package.json relative to itself, which a bundle moved elsewhere would miss:
 *   the version is written into the bundle at build time instead.
 * - The CommonJS packages (commander, yaml, heroku-client) call `require` for Node's built-ins: the
 *   banner gives each output file a real one.
 * - meta.json (not shipped) says which source files each output file holds: the cold-start
 *   benchmark reads it to tell what `--version` and `--help` load.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { build } from 'esbuild';

export async function bundleCli(root) {
  const dist = resolve(root, 'dist');
  const outdir = resolve(dist, 'bundle');
  rmSync(outdir, { recursive: true, force: true });
  const { version } = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'));
  const result = await build({
    entryPoints: [resolve(dist, 'cli.js'), resolve(dist, 'version.js')],
    outdir,
    outbase: dist,
    absWorkingDir: root,
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    metafile: true,
    logLevel: 'warning',
    banner: { js: "import { createRequire as __daffRequire } from 'node:module';\nconst require = __daffRequire(import.meta.url);" },
    plugins: [
      {
        name: 'version-at-build-time',
        setup(builder) {
          builder.onLoad({ filter: /[\\/]dist[\\/]version\.js$/ }, () => ({
            contents: `export const VERSION = ${JSON.stringify(version)};\n`,
            loader: 'js',
          }));
        },
      },
    ],
  });
  writeFileSync(resolve(outdir, 'meta.json'), `${JSON.stringify(result.metafile)}\n`);
}
