import { ExitCode, UsageError } from '../runtime/errors.js';
import type { Io } from '../runtime/io.js';
import { candidates, completableFrom, type ProgramSpec, SHELLS } from './complete.js';
import { completionScript } from './completion-scripts.js';

/** `completion SHELL`: prints the script that completes daffeinated in that shell. */
export function completionCommand(io: Io, shell: string): ExitCode {
  const known = SHELLS.find((s) => s === shell);
  if (known === undefined) throw new UsageError(`No completion for the shell ${shell}`, { hint: `Choose one of: ${SHELLS.join(', ')}.` });
  io.stdout(completionScript(known));
  return ExitCode.Ok;
}

/**
 * `__complete WORDS…` (hidden; called by the completion scripts): the candidates for the last
 * word, one per line. app.yaml is read only when a candidate needs it. Always exits 0.
 */
export function completeCommand(io: Io, program: ProgramSpec, words: readonly string[]): ExitCode {
  let app: ReturnType<typeof completableFrom> | undefined;
  const found = candidates(program, words.length === 0 ? [''] : words, () => {
    app ??= completableFrom(io, words);
    return app;
  });
  io.stdout(found.map((c) => `${c}\n`).join(''));
  return ExitCode.Ok;
}
