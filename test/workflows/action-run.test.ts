import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeGh, fakeGh } from './fake-gh.js';

// scripts/action-run.sh (the step of action.yml) as a user's repository runs it: a fake `npx`
// stands for the registry release and records how it was called; a fake `gh` serves the issues.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;

const FAKE_NPX = `#!/usr/bin/env node
const { appendFileSync, writeFileSync } = require('node:fs');
const args = process.argv.slice(2);
appendFileSync(process.env.FAKE_NPX_LOG, JSON.stringify({ args, token: process.env.INPUT_GITHUB_TOKEN ?? null }) + '\\n');
const report = args.indexOf('--report');
if (report >= 0) writeFileSync(args[report + 1], '## Drift\\n\\n- one change\\n');
process.stdout.write('{"drift":true}\\n');
process.exit(Number(process.env.FAKE_EXIT));
`;

let gh: FakeGh;
let workspace: string;
let bin: string;

beforeEach(() => {
  gh = fakeGh();
  workspace = mkdtempSync(join(tmpdir(), 'daffeinated-action-ws-'));
  bin = mkdtempSync(join(tmpdir(), 'daffeinated-action-bin-'));
  for (const tool of ['npx', 'npm']) {
    writeFileSync(join(bin, tool), FAKE_NPX);
    chmodSync(join(bin, tool), 0o755);
  }
});
afterEach(() => {
  for (const path of [gh.bin, workspace, bin]) rmSync(path, { recursive: true, force: true });
});

const defaults = {
  INPUT_COMMAND: 'drift',
  INPUT_ENVIRONMENTS: '',
  INPUT_FORMAT: '',
  INPUT_ARGS: '',
  INPUT_OUTPUT: '',
  INPUT_REPORT: '',
  INPUT_DRIFT_ISSUE: 'false',
  INPUT_DRIFT_ISSUE_LABEL: 'drift',
  INPUT_EXPECTED_EXIT_CODES: '0',
  INPUT_GITHUB_TOKEN: 'github-token-for-the-issue',
};

function runAction(inputs: Partial<typeof defaults>, exitCode: number, checkout = workspace) {
  const output = join(workspace, 'github-output');
  writeFileSync(output, '');
  const result = spawnSync('bash', [join(root, 'scripts/action-run.sh')], {
    cwd: checkout,
    encoding: 'utf8',
    env: {
      ...process.env,
      ...gh.env,
      ...defaults,
      ...inputs,
      PATH: [bin, gh.bin, process.env['PATH'] ?? ''].join(delimiter),
      FAKE_NPX_LOG: join(workspace, 'npx.log'),
      FAKE_EXIT: String(exitCode),
      GITHUB_ACTION_PATH: root,
      GITHUB_WORKSPACE: checkout,
      GITHUB_OUTPUT: output,
      RUNNER_TEMP: workspace,
      GITHUB_SERVER_URL: 'https://github.test',
      GITHUB_REPOSITORY: 'o/r',
      GITHUB_RUN_ID: '7',
    },
  });
  const logFile = join(workspace, 'npx.log');
  const calls = existsSync(logFile)
    ? readFileSync(logFile, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { args: string[]; token: string | null })
    : [];
  return { status: result.status, stdout: result.stdout, outputs: readFileSync(output, 'utf8'), calls };
}

describe('the action step (scripts/action-run.sh)', () => {
  it('runs the release package.json names with the inputs, and keeps the drift issue', () => {
    const result = runAction(
      {
        INPUT_ENVIRONMENTS: 'all',
        INPUT_FORMAT: 'json',
        INPUT_ARGS: '--strict',
        INPUT_OUTPUT: 'drift.json',
        INPUT_REPORT: 'drift.md',
        INPUT_DRIFT_ISSUE: 'true',
        INPUT_EXPECTED_EXIT_CODES: '0 2',
      },
      2,
    );
    expect(result.status).toBe(0);
    expect(result.calls).toEqual([
      {
        args: ['--yes', `daffeinated@${version}`, 'drift', '--all', '--format', 'json', '--report', 'drift.md', '--strict'],
        token: null,
      },
    ]);
    expect(readFileSync(join(workspace, 'drift.json'), 'utf8')).toBe('{"drift":true}\n');
    expect(result.outputs).toBe('exit-code=2\nreport=drift.md\n');
    const [issue] = gh.state().issues;
    expect(issue?.body).toContain('- one change');
    expect(issue?.body).toContain('[this run](https://github.test/o/r/actions/runs/7)');
    expect(gh.state().calls.every((c) => c.args[0] !== 'issue' || c.args[1] !== 'close')).toBe(true);
  });

  it('fails with the exit code and leaves the drift issue alone when the check could not run', () => {
    gh.setState({
      issues: [{ number: 3, title: 'Config drift detected', body: 'old', labels: ['drift'], state: 'open', comments: [] }],
      labels: ['drift'],
      calls: [],
    });
    const result = runAction({ INPUT_ENVIRONMENTS: 'all', INPUT_DRIFT_ISSUE: 'true', INPUT_EXPECTED_EXIT_CODES: '0 2' }, 1);
    expect(result.status).toBe(1);
    expect(result.outputs).toBe(`exit-code=1\nreport=${join(workspace, 'daffeinated-drift.md')}\n`);
    expect(gh.state().calls).toEqual([]);
    expect(gh.state().issues[0]).toMatchObject({ state: 'open', body: 'old', comments: [] });
  });

  it('passes environment names as arguments and fails on an exit code not expected', () => {
    const result = runAction({ INPUT_COMMAND: 'plan', INPUT_ENVIRONMENTS: 'staging  production', INPUT_ARGS: '--detailed-exitcode' }, 2);
    expect(result.status).toBe(2);
    expect(result.calls.map((c) => c.args.slice(2))).toEqual([['plan', 'staging', 'production', '--detailed-exitcode']]);
    expect(result.stdout).toContain('daffeinated exited with 2, which is not one of the expected exit codes (0).');
    expect(gh.state().calls).toEqual([]);
  });

  it("runs this checkout, installed and built, when the action is the workspace (this repository's own workflows)", () => {
    const result = runAction({ INPUT_COMMAND: '--version' }, 0, root);
    expect(result.status).toBe(0);
    expect(result.calls).toEqual([
      { args: ['ci', '--no-audit', '--no-fund'], token: null },
      { args: ['run', 'build'], token: null },
    ]);
    expect(result.stdout).toContain(`daffeinated --version\n${version}\n`);
    expect(result.outputs).toBe('exit-code=0\nreport=\n');
  });

  it('refuses a drift issue for another command before running anything', () => {
    const result = runAction({ INPUT_COMMAND: 'plan', INPUT_DRIFT_ISSUE: 'true' }, 0);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain("::error title=daffeinated action::drift-issue: true needs command: drift (it is 'plan').");
    expect(result.calls).toEqual([]);
  });
});
