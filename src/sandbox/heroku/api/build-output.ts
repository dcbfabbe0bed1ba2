import type { OutputLine } from '../model/deploy.js';
import type { SourceInspection } from '../runner/build-source.js';

/**
 * The text a build streams, in Heroku's layout (`-----> step`, indented detail, ` !     error`),
 * describing what the sandbox actually did with the source. The lines known at the start are
 * spread evenly over the build's duration; `finalLines` adds the release lines when it ends.
 */
export interface BuildOutputInput {
  readonly stack: string;
  readonly buildpacks: readonly { name: string }[] | null;
  readonly sourceSize: number | null;
  /** The inspection, or why the source could not be used at all. */
  readonly result: SourceInspection;
  /** A failure armed through the admin route, reported instead of success. */
  readonly injected: string | null;
}

export function buildOutput(input: BuildOutputInput, startMs: number, dueMs: number): OutputLine[] {
  const texts = [`-----> Building on the ${displayStack(input.stack)} stack`];
  if (input.buildpacks !== null && input.buildpacks.length > 0) {
    texts.push('-----> Using buildpacks:', ...input.buildpacks.map((b, i) => `       ${i + 1}. ${b.name}`));
  }
  const { result } = input;
  if (!result.ok) texts.push(` !     ${result.reason}`, ' !     Push failed');
  else {
    texts.push(
      result.language === null
        ? '-----> No default language could be detected; using the source as is'
        : `-----> ${result.language} app detected`,
      '       (sandbox: buildpacks are not run; the slug is the uploaded source)',
      '-----> Discovering process types',
      `       ${describeTypes(result)}`,
    );
    if (input.injected !== null) texts.push(` !     ${input.injected}`, ' !     Push failed');
    else texts.push('-----> Compressing...', `       Done: ${humanSize(input.sourceSize ?? 0)}`, '-----> Launching...');
  }
  const span = Math.max(0, dueMs - startMs);
  return texts.map((text, i) => ({ atMs: startMs + Math.floor((span * i) / texts.length), text }));
}

/** The closing lines of a successful build, at its end. */
export function finalLines(atMs: number, version: number, webUrl: string, releasePhase: boolean): OutputLine[] {
  const lines = releasePhase
    ? ['       Release command declared: this new release will not be available until the command succeeds.']
    : [];
  lines.push(`       Released v${version}`, `       ${webUrl} deployed to Heroku`, '');
  return lines.map((text) => ({ atMs, text }));
}

function describeTypes(result: Extract<SourceInspection, { ok: true }>): string {
  const types = Object.keys(result.processTypes).sort().join(', ');
  if (result.origin === 'procfile') return `Procfile declares types -> ${types}`;
  if (result.origin === 'default') return `Default types for buildpack -> ${types}`;
  return 'Procfile declares types -> (none)';
}

function displayStack(stack: string): string {
  return stack.replace(/^heroku-/, 'Heroku-');
}

function humanSize(bytes: number): string {
  if (bytes < 1024) return `${bytes}B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)}K`;
  return `${(bytes / 1024 / 1024).toFixed(1)}M`;
}
