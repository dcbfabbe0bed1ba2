/**
 * Run after `tsc` (npm run build, and the tests' global set-up). Two steps:
 * 1. Rewrites the dist/ file of each of our modules that imports a many-module package as one file
 *    holding that module and the part of the package it uses; our own modules (relative imports)
 *    stay separate files. dist/'s module tree (what the benchmark's probes import) starts faster so.
 *    - providers/cloudflare/client.js: the `cloudflare` SDK's client module imports all of its
 *      ~1,100 resource modules; tree shaking keeps only the resources `createClient` is given.
 *    - config/schema.js: `zod`, ~95 modules, loaded by every command that reads app.yaml.
 * 2. Bundles the CLI users run, from that tree, into dist/bundle/ (scripts/bundle-cli.mjs). */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { bundleCli } from './bundle-cli.mjs';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const OWNERS = ['providers/cloudflare/client.js', 'config/schema.js'];

for (const owner of OWNERS) {
  const entry = resolve(root, 'dist', owner);
  await build({
    entryPoints: [entry],
    outfile: entry,
    allowOverwrite: true,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    logLevel: 'warning',
    plugins: [
      {
        name: 'own-modules-stay-external',
        setup(builder) {
          builder.onResolve({ filter: /^\.\.?\// }, (args) => (args.importer === entry ? { path: args.path, external: true } : undefined));
        },
      },
    ],
  });
}

await bundleCli(root);
