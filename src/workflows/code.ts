import { DaffError, ExitCode } from '../runtime/errors.js';
import { type GitCommit, gitArchive, gitChangedFiles, gitHead, gitRepoRoot } from '../runtime/exec.js';

/** The code `deploy` ships: the commit at HEAD of the repository around a directory. */
export interface Code {
  readonly root: string;
  readonly commit: GitCommit;
  /** `git archive --format=tar.gz HEAD`. */
  readonly tarball: Buffer;
  /** Tracked files that differ from HEAD (only with --allow-dirty; they are not shipped). */
  readonly uncommitted: readonly string[];
}

/**
 * Reads the code to deploy from the repository around `cwd`, before anything is changed anywhere:
 * refuses outside a git repository (exit 1) and, unless `allowDirty`, when tracked files have
 * uncommitted changes (exit 3) — what ships is HEAD, so uncommitted edits would silently not be
 * deployed.
 */
export async function readCode(cwd: string, allowDirty: boolean): Promise<Code> {
  const root = await gitRepoRoot(cwd);
  const uncommitted = await gitChangedFiles(root);
  if (uncommitted.length > 0 && !allowDirty) {
    const shown = uncommitted.slice(0, 5).map((line) => `\n  ${line}`).join('');
    const more = uncommitted.length > 5 ? `\n  … and ${uncommitted.length - 5} more` : '';
    throw new DaffError(
      `Refusing to deploy: ${uncommitted.length} tracked file${uncommitted.length === 1 ? ' has' : 's have'} uncommitted changes in ${root}:${shown}${more}`,
      {
        hint: 'deploy ships the last commit (git HEAD), not the working tree. Commit or stash the changes, or pass --allow-dirty to ship HEAD without them.',
        exitCode: ExitCode.Refused,
      },
    );
  }
  const commit = await gitHead(root);
  const tarball = await gitArchive(root);
  return { root, commit, tarball, uncommitted };
}
