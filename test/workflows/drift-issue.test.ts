import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeGh, fakeGh } from './fake-gh.js';

// scripts/drift-issue.mjs as the drift workflow runs it, against a fake `gh` that serves issue state.
const script = resolve(dirname(fileURLToPath(import.meta.url)), '../../scripts/drift-issue.mjs');
const RUN = 'https://github.test/o/r/actions/runs/7';
const REPORT_A = '## Drift\n\n- production: config var `LOG_LEVEL` is `debug` live, `info` in app.yaml\n';
const REPORT_B = '## Drift\n\n- production: config var `LOG_LEVEL` is `trace` live, `info` in app.yaml\n';

let gh: FakeGh;
let dir: string;

beforeEach(() => {
  gh = fakeGh();
  dir = mkdtempSync(join(tmpdir(), 'daffeinated-drift-issue-'));
});
afterEach(() => {
  for (const path of [gh.bin, dir]) rmSync(path, { recursive: true, force: true });
});

function runScript(exitCode: string, report?: string) {
  const reportFile = join(dir, 'drift.md');
  if (report !== undefined) writeFileSync(reportFile, report);
  const result = spawnSync(
    process.execPath,
    [script, '--exit-code', exitCode, '--report', reportFile, '--label', 'drift', '--run-url', RUN],
    { encoding: 'utf8', env: { ...process.env, ...gh.env, PATH: `${gh.bin}${delimiter}${process.env['PATH'] ?? ''}` } },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const verbs = () => gh.state().calls.map((c) => c.args.slice(0, 2).join(' '));
const resetCalls = () => gh.setState({ ...gh.state(), calls: [] });

describe('the drift issue (scripts/drift-issue.mjs with a fake gh)', () => {
  it('opens one labelled issue with the report on the first drift', () => {
    const result = runScript('2', REPORT_A);
    expect(result).toMatchObject({ status: 0, stdout: 'Drift: opened https://github.test/o/r/issues/1.\n' });
    expect(verbs()).toEqual(['issue list', 'label create', 'issue create']);
    const [issue, ...others] = gh.state().issues;
    expect(others).toEqual([]);
    expect(issue).toMatchObject({ number: 1, title: 'Config drift detected', labels: ['drift'], state: 'open', comments: [] });
    expect(issue?.body).toContain('`LOG_LEVEL` is `debug` live');
    expect(issue?.body).toContain(`_Last checked in [this run](${RUN})._`);
    expect(gh.state().labels).toEqual(['drift']);
  });

  it('replaces the body without a comment when the drift is unchanged', () => {
    runScript('2', REPORT_A);
    resetCalls();
    const result = runScript('2', `${REPORT_A}\n`);
    expect(result).toMatchObject({ status: 0, stdout: 'Drift unchanged: refreshed issue #1 without a comment.\n' });
    expect(verbs()).toEqual(['issue list', 'issue edit']);
    expect(gh.state().issues).toHaveLength(1);
    expect(gh.state().issues[0]?.comments).toEqual([]);
  });

  it('replaces the body and comments once when the drift changed', () => {
    runScript('2', REPORT_A);
    resetCalls();
    const result = runScript('2', REPORT_B);
    expect(result).toMatchObject({ status: 0, stdout: 'Drift changed: updated issue #1 and commented.\n' });
    expect(verbs()).toEqual(['issue list', 'issue edit', 'issue comment']);
    const issue = gh.state().issues[0];
    expect(issue?.body).toContain('`trace` live');
    expect(issue?.body).not.toContain('`debug` live');
    expect(issue?.comments).toEqual([`The drift changed in [this run](${RUN}): the description shows the current report.`]);
  });

  it('comments on an open issue whose body has no fingerprint (opened by hand or by an older workflow)', () => {
    gh.setState({
      issues: [{ number: 4, title: 'Drift', body: 'old text', labels: ['drift'], state: 'open', comments: [] }],
      labels: ['drift'],
      calls: [],
    });
    runScript('2', REPORT_A);
    expect(verbs()).toEqual(['issue list', 'issue edit', 'issue comment']);
    expect(gh.state().issues[0]?.body).toContain('`debug` live');
  });

  it('closes the open issue with a comment when a run is clean', () => {
    runScript('2', REPORT_A);
    resetCalls();
    const result = runScript('0');
    expect(result).toMatchObject({ status: 0, stdout: 'No drift: closed issue #1.\n' });
    expect(verbs()).toEqual(['issue list', 'issue close']);
    const issue = gh.state().issues[0];
    expect(issue?.state).toBe('closed');
    expect(issue?.comments).toEqual([
      `No drift in [this run](${RUN}): live matches app.yaml again. Closing; a new issue opens if drift comes back.`,
    ]);
    // The next drift opens a new issue rather than reviving the closed one.
    runScript('2', REPORT_B);
    expect(gh.state().issues.map((i) => [i.number, i.state])).toEqual([[1, 'closed'], [2, 'open']]);
  });

  it('does nothing but look when a run is clean and no issue is open', () => {
    expect(runScript('0')).toMatchObject({ status: 0, stdout: 'No drift, and no open drift issue.\n' });
    expect(verbs()).toEqual(['issue list']);
  });

  it('leaves the issue untouched and fails when the check could not run', () => {
    runScript('2', REPORT_A);
    const before = gh.state();
    resetCalls();
    const result = runScript('1', REPORT_B);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('could not check the platform (exit code 1): the drift issue is left as it is');
    expect(gh.state()).toEqual({ ...before, calls: [] });
  });
});
