import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { census, dataAddonIds, seedForeign } from '../helpers/census.js';
import { useSandbox } from '../helpers/sandbox.js';
import { QUICK_HEROKU, REFERENCE_YAML, Scenario } from '../helpers/scenario.js';

// A real killed process: the built CLI (`node bin/daffeinated.js apply --all --yes --sandbox URL`)
// runs against a sandbox in this test process and gets SIGKILL once the sandbox has received k
// requests — no cleanup, no finally, whatever was in flight left half done. Then the same apply
// runs again (in process) and must converge to exactly what a clean apply leaves. A sample of k
// across the whole apply: reads, the first writes, add-on provisioning, DNS, couplings.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const ENV = { STRIPE_KEY: 'sk_test_crash_kill', DAFFEINATED_RETRY_BASE_MS: '1' };

function killAt(child: ChildProcess, reached: () => boolean): Promise<'killed' | 'finished'> {
  return new Promise((done) => {
    let finished = false;
    child.once('exit', () => {
      finished = true;
      done('finished');
    });
    const watch = () => {
      if (finished) return;
      if (reached()) {
        child.kill('SIGKILL');
        return;
      }
      setTimeout(watch, 1);
    };
    watch();
  }).then(() => (child.signalCode === 'SIGKILL' ? 'killed' : 'finished'));
}

describe('a killed apply process, then the same apply again', () => {
  const sandbox = useSandbox({ seed: 32, zones: [{ name: 'daffeinated.com', plan: 'pro' }], heroku: QUICK_HEROKU });
  const scenario = new Scenario(sandbox, REFERENCE_YAML, ENV);
  const apply = ['apply', '--all', '--yes'];

  it('converges from a sample of kill points', async () => {
    await sandbox().reset();
    await seedForeign(sandbox());
    sandbox().setFaults({});
    expect((await scenario.run(apply)).code).toBe(0);
    const total = sandbox().requestCount();
    const converged = census(sandbox());

    const sample = [0, 0.15, 0.35, 0.5, 0.65, 0.85].map((f) => Math.max(1, Math.round(f * total)));
    let killed = 0;
    for (const k of sample) {
      await sandbox().reset();
      await seedForeign(sandbox());
      sandbox().setFaults({});
      const child = spawn(process.execPath, [join(root, 'bin/daffeinated.js'), ...apply, '--sandbox', sandbox().url], {
        cwd: scenario.cwd,
        env: { PATH: process.env['PATH'] ?? '', HOME: scenario.cwd, ...ENV },
        stdio: 'ignore',
      });
      if ((await killAt(child, () => sandbox().requestCount() >= k)) === 'killed') killed += 1;
      const kept = dataAddonIds(sandbox());
      // On this machine, as a person re-running it would be: the killed run's apply lock is stale.
      const again = await scenario.run(apply, {}, { thisMachine: true });
      const where = `killed after request ${k}\n${again.stderr}`;
      expect(again.code, where).toBe(0);
      expect(census(sandbox()), where).toEqual(converged);
      expect(dataAddonIds(sandbox()), where).toEqual(expect.arrayContaining(kept));
    }
    expect(killed).toBe(sample.length);
    console.info(`killed processes: ${killed} (at requests ${sample.join(', ')} of ${total})`);
  }, 120_000);
});
