import { copyFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SandboxHandle, startSandbox } from '../../src/sandbox/index.js';
import { cli } from '../helpers/cli.js';

// Invalid config means exit 1, every problem located, no stack trace, and zero API calls.
const fixtures = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures/config/invalid');
const names = readdirSync(fixtures).filter((f) => f.endsWith('.yaml')).sort();

let sandbox: SandboxHandle;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(async () => {
  await sandbox.close();
});

describe('invalid configs never reach an API', () => {
  it('has at least 15 distinct invalid fixtures', () => {
    expect(names.length).toBeGreaterThanOrEqual(15);
  });

  for (const name of names) {
    it(`${name}: plan, apply and drift exit 1 with located problems and no request`, async () => {
      const cwd = mkdtempSync(join(tmpdir(), 'daff-invalid-'));
      copyFileSync(join(fixtures, name), join(cwd, 'app.yaml'));
      sandbox.resetLog();
      for (const args of [['plan', '--all'], ['apply', '--all', '--yes'], ['drift', '--all'], ['validate']]) {
        const result = await cli([...args, '--sandbox', sandbox.url], { cwd });
        expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(1);
        expect(result.stdout).toBe('');
        // Every reported problem carries file:line:col.
        const problems = result.stderr.split('\n').filter((line) => /: error: /.test(line));
        expect(problems.length).toBeGreaterThan(0);
        for (const line of problems) expect(line).toMatch(/app\.yaml:\d+:\d+: error: /);
        expect(result.stderr).not.toMatch(/\n\s+at .*\.(js|ts):\d+/);
      }
      expect(sandbox.requestLog()).toEqual([]);
    });
  }
});
