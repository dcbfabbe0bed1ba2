import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A stand-in for the `gh` CLI: an executable on PATH that serves issues from a JSON state file and
 * records every call (its arguments and standard input). It knows the calls scripts/drift-issue.mjs
 * makes and fails loudly on any other, so a new call cannot pass unnoticed.
 */
export interface FakeIssue {
  readonly number: number;
  title: string;
  body: string;
  readonly labels: string[];
  state: 'open' | 'closed';
  readonly comments: string[];
}

export interface FakeGhState {
  readonly issues: FakeIssue[];
  readonly labels: string[];
  readonly calls: { readonly args: string[]; readonly stdin: string }[];
}

const SCRIPT = `#!/usr/bin/env node
const { readFileSync, writeFileSync } = require('node:fs');
const file = process.env.FAKE_GH_STATE;
const state = JSON.parse(readFileSync(file, 'utf8'));
const args = process.argv.slice(2);
const stdin = args.includes('-') ? readFileSync(0, 'utf8') : '';
state.calls.push({ args, stdin });
const flag = (name) => { const i = args.indexOf(name); return i < 0 ? undefined : args[i + 1]; };
const issue = () => state.issues.find((i) => i.number === Number(args[2]));
const done = (out) => { writeFileSync(file, JSON.stringify(state)); if (out) process.stdout.write(out + '\\n'); };
const command = args.slice(0, 2).join(' ');
if (command === 'issue list') {
  const found = state.issues
    .filter((i) => i.state === flag('--state') && i.labels.includes(flag('--label')))
    .sort((a, b) => b.number - a.number)
    .slice(0, Number(flag('--limit') ?? 30))
    .map((i) => Object.fromEntries(flag('--json').split(',').map((k) => [k, i[k]])));
  done(JSON.stringify(found));
} else if (command === 'label create') {
  if (!state.labels.includes(args[2])) state.labels.push(args[2]);
  done();
} else if (command === 'issue create') {
  const number = state.issues.reduce((n, i) => Math.max(n, i.number), 0) + 1;
  state.issues.push({ number, title: flag('--title'), body: stdin, labels: [flag('--label')], state: 'open', comments: [] });
  done('https://github.test/o/r/issues/' + number);
} else if (command === 'issue edit' && issue()) {
  issue().body = stdin;
  done();
} else if (command === 'issue comment' && issue()) {
  issue().comments.push(flag('--body'));
  done();
} else if (command === 'issue close' && issue()) {
  issue().state = 'closed';
  issue().comments.push(flag('--comment'));
  done();
} else {
  done();
  process.stderr.write('fake gh: unsupported call: ' + args.join(' ') + '\\n');
  process.exit(1);
}
`;

export interface FakeGh {
  /** Put this first on PATH. */
  readonly bin: string;
  /** The environment the fake reads its state file from. */
  readonly env: Record<string, string>;
  state(): FakeGhState;
  setState(state: FakeGhState): void;
}

export function fakeGh(): FakeGh {
  const dir = mkdtempSync(join(tmpdir(), 'daffeinated-fake-gh-'));
  const stateFile = join(dir, 'state.json');
  writeFileSync(join(dir, 'gh'), SCRIPT);
  chmodSync(join(dir, 'gh'), 0o755);
  const fake: FakeGh = {
    bin: dir,
    env: { FAKE_GH_STATE: stateFile },
    state: () => JSON.parse(readFileSync(stateFile, 'utf8')) as FakeGhState,
    setState: (state) => writeFileSync(stateFile, JSON.stringify(state)),
  };
  fake.setState({ issues: [], labels: [], calls: [] });
  return fake;
}
