import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
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
});
