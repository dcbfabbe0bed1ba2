#!/usr/bin/env node
/**
 * Keeps one open GitHub issue for the drift of a platform, after a `daffeinated drift` run:
 *
 *   node scripts/drift-issue.mjs --exit-code N --report FILE [--label drift] [--run-url URL]
 *
 * - exit code 2 (drift): opens the issue (labelled `--label`) with the markdown report as its body,
 *   or replaces the body of the open one; it comments only when the drift differs from what the body
 *   showed (a fingerprint of the report is kept in the body), so an unchanged drift stays quiet.
 * - exit code 0 (clean): closes the open issue, if any, with a comment.
 * - any other exit code (the check could not run): touches nothing and exits 1, so the job fails.
 *
 * It talks to GitHub only through the `gh` CLI (GH_TOKEN, and GH_REPO outside a checkout).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const TITLE = 'Config drift detected';
const MARKER = /<!-- daffeinated-drift-fingerprint: ([0-9a-f]{64}) -->/;

const { values } = parseArgs({
  options: {
    'exit-code': { type: 'string' },
    report: { type: 'string' },
    label: { type: 'string', default: 'drift' },
    'run-url': { type: 'string', default: '' },
  },
});
const exitCode = values['exit-code'];
const label = values.label;
const runUrl = values['run-url'];
const run = runUrl === '' ? 'the latest run' : `[this run](${runUrl})`;

if (exitCode === '0') closeIfOpen();
else if (exitCode === '2') reportDrift();
else {
  process.stderr.write(
    `daffeinated drift could not check the platform (exit code ${exitCode ?? 'missing'}): ` +
      `the drift issue is left as it is. Read the error above this step.\n`,
  );
  process.exitCode = 1;
}

function gh(args, input) {
  return execFileSync('gh', args, { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'inherit'] });
}

function openIssue() {
  const listed = JSON.parse(
    gh(['issue', 'list', '--label', label, '--state', 'open', '--json', 'number,body', '--limit', '1']),
  );
  return listed[0];
}

function closeIfOpen() {
  const issue = openIssue();
  if (issue === undefined) {
    process.stdout.write('No drift, and no open drift issue.\n');
    return;
  }
  const comment = `No drift in ${run}: live matches app.yaml again. Closing; a new issue opens if drift comes back.`;
  gh(['issue', 'close', String(issue.number), '--comment', comment]);
  process.stdout.write(`No drift: closed issue #${issue.number}.\n`);
}

function reportDrift() {
  if (values.report === undefined) throw new Error('--report FILE (the markdown drift report) is required on drift');
  const report = readFileSync(values.report, 'utf8').trim();
  const fingerprint = createHash('sha256').update(report).digest('hex');
  const body = `${report}\n\n_Last checked in ${run}._\n<!-- daffeinated-drift-fingerprint: ${fingerprint} -->\n`;
  const issue = openIssue();
  if (issue === undefined) {
    gh(['label', 'create', label, '--color', 'D93F0B', '--description', 'live differs from app.yaml', '--force']);
    const url = gh(['issue', 'create', '--title', TITLE, '--label', label, '--body-file', '-'], body).trim();
    process.stdout.write(`Drift: opened ${url}.\n`);
    return;
  }
  const previous = MARKER.exec(issue.body ?? '')?.[1];
  gh(['issue', 'edit', String(issue.number), '--body-file', '-'], body);
  if (previous === fingerprint) {
    process.stdout.write(`Drift unchanged: refreshed issue #${issue.number} without a comment.\n`);
    return;
  }
  gh(['issue', 'comment', String(issue.number), '--body', `The drift changed in ${run}: the description shows the current report.`]);
  process.stdout.write(`Drift changed: updated issue #${issue.number} and commented.\n`);
}
