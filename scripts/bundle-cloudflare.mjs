/**
 * Run after `tsc` (npm run build): rewrites dist/providers/cloudflare/client.js, the one importer
 * of the `cloudflare` SDK, as one file holding that module and the part of the SDK it uses. The
 * SDK's client module imports all of its ~1,100 resource modules; loading them is most of the
 * start of a command that touches a zone, and esbuild's tree shaking keeps only the resources
 * `createClient` is given. Our own modules (relative imports) stay separate files. Without this
 * step dist/ still works, only slower to start.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const entry = resolve(root, 'dist/providers/cloudflare/client.js');

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
