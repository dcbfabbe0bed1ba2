import { ConfirmationError } from '../runtime/errors.js';
import type { Io } from '../runtime/io.js';
import type { ConsentRequest } from '../workflows/converge.js';

export interface ConfirmRequest extends ConsentRequest {
  /** `--yes` was given. */
  readonly yes: boolean;
}

/**
 * Nothing changes without consent: `--yes`, or a person at a terminal typing `yes` — or, when a
 * production-stage environment is affected, its app names. Without a terminal and without
 * `--yes`, refuses (exit 3) and says how to proceed.
 */
export async function confirmOrRefuse(io: Io, request: ConfirmRequest): Promise<void> {
  if (request.yes) return;
  if (!io.interactive) {
    throw new ConfirmationError(
      `Refusing to ${request.action} without confirmation: standard input is not a terminal`,
      `Pass --yes to ${request.action} non-interactively (e.g. in CI).`,
    );
  }
  const production = request.productionApps;
  const expected = production.length > 0 ? production.join(' ') : 'yes';
  const question =
    production.length > 0
      ? `This changes production. Type the app name${production.length > 1 ? 's' : ''} (${expected}) to ${request.action}: `
      : `${request.question} Type yes to continue: `;
  const answer = (await io.prompt(question)).trim();
  if (answer !== expected) {
    throw new ConfirmationError(`${capitalise(request.action)} cancelled: the confirmation did not match`, 'Nothing was changed.');
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
