import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { largeConfig } from '../config.ts';
import { prepare } from '../../src/commands/context.ts';
import { fakeIo } from '../../test/helpers/cli.ts';
const c = largeConfig();
const dir = mkdtempSync(join(tmpdir(), 'bench-try-'));
writeFileSync(join(dir, 'app.yaml'), c.yaml);
const io = fakeIo({ cwd: dir, env: c.env });
for (let i = 0; i < 3; i++) {
  const t = performance.now(); const cpu = process.cpuUsage();
  const p = prepare(io, { debug: false }, { names: [], all: true, defaultAll: true });
  const u = process.cpuUsage(cpu);
  console.log('prepare', Math.round(performance.now() - t), 'ms cpu', Math.round((u.user + u.system) / 1000), p.desired.resources.length);
}
