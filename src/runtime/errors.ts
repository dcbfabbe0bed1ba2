import { type Diagnostic, formatDiagnostic, sortDiagnostics } from './diagnostics.js';
import { replaceSecrets, showsSecret } from './secret-text.js';

/** Process exit codes (DESIGN §5). */
export const ExitCode = {
  Ok: 0,
  Error: 1,
  /** `plan --detailed-exitcode` found changes, or `drift` found drift. */
  Changes: 2,
  /** Refused for safety: unsafe plan, stale plan, confirmation declined. */
  Refused: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * Root of every error daffeinated reports to a user. `message` says what failed, `hint` what to do
 * next. The CLI prints `message` and `hint` and never a stack trace unless `--debug`.
 */
export class DaffError extends Error {
  readonly hint: string | undefined;
  readonly exitCode: ExitCode;
  constructor(message: string, options: { hint?: string; cause?: unknown; exitCode?: ExitCode } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? ExitCode.Error;
  }
}

/** The config is invalid; holds every problem found in one run. */
export class ConfigError extends DaffError {
  readonly diagnostics: readonly Diagnostic[];
  constructor(diagnostics: readonly Diagnostic[], hint?: string) {
    const sorted = sortDiagnostics(diagnostics);
    const errors = sorted.filter((d) => d.severity === 'error').length;
    super(
      `${errors} problem${errors === 1 ? '' : 's'} in the configuration:\n${sorted.map((d) => `  ${formatDiagnostic(d)}`).join('\n')}`,
      hint === undefined ? {} : { hint },
    );
    this.diagnostics = sorted;
  }
}

/**
 * A build or release output stream answered an HTTP error: Heroku's `output_stream_url` answers
 * 404 (or another status >= 400) until the output exists, so callers retry it for a while.
 */
export class StreamUnavailableError extends DaffError {
  constructor(readonly status: number, origin: string) {
    super(`The output stream at ${origin} answered HTTP ${status}`);
  }
}

/** Bad command-line usage (unknown environment, conflicting flags, missing credentials). */
export class UsageError extends DaffError {}

/** A provider API call failed. Carries where (address), the HTTP status and the API's request id. */
export class ProviderError extends DaffError {
  readonly provider: 'heroku' | 'cloudflare';
  readonly status: number | undefined;
  readonly requestId: string | undefined;
  readonly address: string | undefined;
  /** The API's own error id/code, e.g. Heroku `invalid_params`, Cloudflare `81053`. */
  readonly apiCode: string | undefined;
  /** The request's full URL (never holds a token), when the client knew it. */
  readonly url: string | undefined;
  constructor(
    provider: 'heroku' | 'cloudflare',
    message: string,
    details: {
      status?: number;
      requestId?: string;
      address?: string;
      apiCode?: string;
      url?: string;
      hint?: string;
      cause?: unknown;
    } = {},
  ) {
    super(message, { ...(details.hint === undefined ? {} : { hint: details.hint }), cause: details.cause });
    this.provider = provider;
    this.status = details.status;
    this.requestId = details.requestId;
    this.address = details.address;
    this.apiCode = details.apiCode;
    this.url = details.url;
  }

  /** A copy of this error attributed to a resource address. */
  at(address: string): ProviderError {
    const copy = new (this.constructor as typeof ProviderError)(this.provider, this.message, {
      ...(this.status === undefined ? {} : { status: this.status }),
      ...(this.requestId === undefined ? {} : { requestId: this.requestId }),
      ...(this.apiCode === undefined ? {} : { apiCode: this.apiCode }),
      ...(this.url === undefined ? {} : { url: this.url }),
      ...(this.hint === undefined ? {} : { hint: this.hint }),
      address,
      cause: this.cause,
    });
    return copy;
  }
}
export class AuthError extends ProviderError {}
export class NotFoundError extends ProviderError {}
export class RateLimitedError extends ProviderError {}
export class ConflictError extends ProviderError {}

/** The plan would do something destructive or too large without consent. */
export class UnsafePlanError extends DaffError {
  readonly reasons: readonly string[];
  constructor(reasons: readonly string[], hint: string) {
    super(`Refusing to apply: ${reasons.length === 1 ? reasons[0] : `\n${reasons.map((r) => `  - ${r}`).join('\n')}`}`, {
      hint,
      exitCode: ExitCode.Refused,
    });
    this.reasons = reasons;
  }
}

/** A saved plan no longer matches live state or config. */
export class StalePlanError extends DaffError {
  constructor(message: string) {
    super(message, { hint: 'Run `daffeinated plan --out FILE` again and review the new plan.', exitCode: ExitCode.Refused });
  }
}

/** The user declined, or no confirmation was possible (no TTY and no --yes). */
export class ConfirmationError extends DaffError {
  constructor(message: string, hint: string) {
    super(message, { hint, exitCode: ExitCode.Refused });
  }
}

/** An apply stopped part way. Lists what was applied, what failed and what was not attempted. */
export class PartialApplyError extends DaffError {
  readonly applied: readonly string[];
  readonly failed: readonly { address: string; error: DaffError }[];
  readonly notAttempted: readonly string[];
  constructor(
    applied: readonly string[],
    failed: readonly { address: string; error: DaffError }[],
    notAttempted: readonly string[],
  ) {
    const lines = [
      `Apply stopped: ${failed.length} change${failed.length === 1 ? '' : 's'} failed.`,
      ...failed.map((f) => `  ✗ ${f.address}: ${describeError(f.error)}`),
      ...(applied.length ? [`  applied: ${applied.join(', ')}`] : []),
      ...(notAttempted.length ? [`  not attempted: ${notAttempted.join(', ')}`] : []),
    ];
    super(lines.join('\n'), {
      hint: 'Fix the cause and run the same command again: it continues from what is live now.',
    });
    this.applied = applied;
    this.failed = failed;
    this.notAttempted = notAttempted;
  }
}

/** A bug in daffeinated, not in the user's input. */
export class InternalError extends DaffError {
  constructor(message: string, cause?: unknown) {
    super(message, { hint: 'This is a bug in daffeinated; please report it with the output of --debug.', cause });
  }
}

/**
 * The error with every occurrence of `secrets` in its message and hint replaced by `[redacted]`.
 * APIs sometimes echo what they were sent ("Url https://user:token@… is invalid"), so a failed
 * write of a sensitive value is passed through here before anyone can print it. The redacted copy
 * keeps status, request id, API code and address; its cause is kept only when it shows no secret
 * either (with --debug, causes are printed). Unchanged when no secret appears.
 */
export function redacted(error: DaffError, secrets: Iterable<string>): DaffError {
  const found = [...new Set(secrets)];
  const scrub = (text: string) => scrubSecrets(text, found);
  const shows = (text: string | undefined) => text !== undefined && showsSecret(text, found);
  if (!shows(error.message) && !shows(error.hint)) return error;
  const cause = error.cause instanceof Error && !errorShows(error.cause, found) ? error.cause : undefined;
  const hint = error.hint === undefined ? {} : { hint: scrub(error.hint) };
  if (error instanceof ProviderError) {
    const Kind = error.constructor as typeof ProviderError;
    return new Kind(error.provider, scrub(error.message), {
      ...(error.status === undefined ? {} : { status: error.status }),
      ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
      ...(error.apiCode === undefined ? {} : { apiCode: error.apiCode }),
      ...(error.address === undefined ? {} : { address: error.address }),
      ...hint,
      ...(cause === undefined ? {} : { cause }),
    });
  }
  return new DaffError(scrub(error.message), { ...hint, exitCode: error.exitCode, ...(cause === undefined ? {} : { cause }) });
}

/**
 * Whether any of `secrets` appears in `error`'s message or stack, or anywhere down its cause chain:
 * everything `--debug` prints. Clients check what a library threw (a connection error, a test
 * double's "no match for request" listing the headers) before keeping it as a cause.
 */
export function errorShows(error: unknown, secrets: readonly string[]): boolean {
  const seen = new Set<unknown>();
  for (let current = error; current !== undefined && current !== null && !seen.has(current); ) {
    seen.add(current);
    const text = current instanceof Error ? `${current.message}\n${current.stack ?? ''}` : String(current);
    if (showsSecret(text, secrets)) return true;
    current = current instanceof Error ? current.cause : undefined;
  }
  return false;
}

/**
 * `text` with every occurrence of `secrets` replaced by `[redacted]`, longest first (one may
 * contain another), as written or JSON-escaped (see secret-text.ts).
 */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  return replaceSecrets(text, secrets);
}

/** One-line description of an error with its status and request id when it has them. */
export function describeError(error: DaffError): string {
  if (error instanceof ProviderError) {
    const bits = [
      error.status === undefined ? undefined : `HTTP ${error.status}`,
      error.apiCode,
      error.requestId === undefined ? undefined : `request id ${error.requestId}`,
    ].filter((b): b is string => b !== undefined);
    return bits.length ? `${error.message} (${bits.join(', ')})` : error.message;
  }
  return error.message;
}

/** Exhaustiveness guard for discriminated unions. */
export function assertNever(value: never, what = 'value'): never {
  throw new InternalError(`unexpected ${what}: ${JSON.stringify(value)}`);
}

/**
 * Whether a failed write may still have taken effect: there was no answer at all, or a server
 * error. Creating POSTs are never resent blindly; after such a failure, re-read and reconcile.
 */
export function mayHaveHappened(error: unknown): boolean {
  return error instanceof ProviderError && (error.status === undefined || error.status >= 500);
}
