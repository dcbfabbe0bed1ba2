import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { largeConfig } from '../config.ts';
import { startSandbox } from '../../src/sandbox/index.ts';
import { cli } from '../../test/helpers/cli.ts';
const c = largeConfig();
const dir = mkdtempSync(join(tmpdir(), 'bench-try-'));
writeFileSync(join(dir, 'app.yaml'), c.yaml);
console.log('yaml bytes', c.yaml.length);
const sb = await startSandbox({ port: 0, seed: 42, zones: c.zones, heroku: { addonProvisionMs: 0, domainMs: 0, acmMs: 0, buildMs: 0, releasePhaseMs: 0, promotionMs: 0 }, rateLimit: { capacity: 1e9, refillPerMinute: 1e9 }, cloudflareRateLimit: { requests: 1e9, windowSeconds: 300 } });
for (const args of [['validate'], ['plan', '--all'], ['apply', '--all', '--yes', '--force'], ['plan', '--all', '--detailed-exitcode']]) {
  sb.resetLog();
  const t = performance.now();
  const r = await cli([...args, '--sandbox', sb.url], { cwd: dir, env: c.env });
  const log = sb.requestLog();
  console.log(args.join(' '), 'code', r.code, Math.round(performance.now() - t), 'ms', 'requests', log.length);
  console.log(r.stderr.slice(0, 1500));
  const by = new Map<string, number>();
  for (const e of log) { const k = `${e.method} ${e.path.replace(/\/apps\/[^/]+/, '/apps/X').replace(/[0-9a-f]{32}/g, 'Z')} ${e.status}`; by.set(k, (by.get(k) ?? 0) + 1); }
  console.log([...by].map(([k, v]) => `${v}\t${k}`).join('\n'));
}
await sb.close();
