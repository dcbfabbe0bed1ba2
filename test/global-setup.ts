import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Compiles src/ to dist/ once, so tests that run the real bin/daffeinated.js see this source,
 * then bundles the many-module packages as `npm run build` does (scripts/bundle-packages.mjs): the
 * spawned CLI is the one users run, and starts faster. Type errors do not stop the emit (tsc
 * still writes JavaScript); `npm run typecheck` reports them.
 */
export default function setup(): void {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  spawnSync(process.execPath, [resolve(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], {
    cwd: root,
    stdio: 'ignore',
  });
  spawnSync(process.execPath, [resolve(root, 'scripts/bundle-packages.mjs')], { cwd: root, stdio: 'ignore' });
}
