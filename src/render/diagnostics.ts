import { type Diagnostic, formatLocation, sortDiagnostics } from '../runtime/diagnostics.js';
import { ConfigError, DaffError, describeError, ProviderError } from '../runtime/errors.js';
import { createPalette, type Palette } from './colors.js';

export interface DiagnosticsRenderOptions {
  /** ANSI colour; the caller decides (TTY, NO_COLOR). Default false. */
  readonly color?: boolean;
}

export interface ErrorRenderOptions extends DiagnosticsRenderOptions {
  /** Append stack traces (the error's and its causes'), as `--debug` asks. Default false. */
  readonly debug?: boolean;
}

/**
 * Diagnostics, sorted, one block each: `file:line:col: error: message (at path)` and, when there is
 * one, `  hint: …` below. Returns "" for an empty list, otherwise text ending in a newline.
 */
export function renderDiagnostics(diagnostics: readonly Diagnostic[], options: DiagnosticsRenderOptions = {}): string {
  const lines = diagnosticLines(diagnostics, createPalette(options.color ?? false));
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/** The lines of `renderDiagnostics`, for embedding in other renderings. */
export function diagnosticLines(diagnostics: readonly Diagnostic[], palette: Palette): string[] {
  return sortDiagnostics(diagnostics).flatMap((d) => {
    const where = formatLocation(d);
    const severity = d.severity === 'error' ? palette.error(d.severity) : palette.warning(d.severity);
    const at = d.path ? palette.dim(` (at ${d.path})`) : '';
    const head = `${where ? `${where}: ` : ''}${severity}: ${indentRest(d.message, '  ')}${at}`;
    return d.hint ? [head, hintLine(d.hint, palette)] : [head];
  });
}

/**
 * An error for stderr: `Error: <what failed>` (with the address, HTTP status, API code and request id
 * of a ProviderError), then `  hint: <what to do next>` when the error has one. A ConfigError lists
 * its diagnostics. Stack traces only with `debug`. Accepts any thrown value. Ends in a newline.
 */
export function renderError(error: unknown, options: ErrorRenderOptions = {}): string {
  const palette = createPalette(options.color ?? false);
  const label = palette.bold(palette.error('Error:'));
  const lines = [`${label} ${indentRest(headline(error), '  ')}`];
  if (error instanceof ConfigError) lines.push(...diagnosticLines(error.diagnostics, palette).map((l) => `  ${l}`));
  if (error instanceof DaffError && error.hint) lines.push(hintLine(error.hint, palette));
  if (options.debug) lines.push(...debugLines(error, palette));
  return `${lines.join('\n')}\n`;
}

function headline(error: unknown): string {
  if (error instanceof ConfigError) return error.message.split('\n')[0] ?? error.message;
  if (error instanceof ProviderError && error.address) return `${error.address}: ${describeError(error)}`;
  if (error instanceof DaffError) return describeError(error);
  if (error instanceof Error) return error.message;
  return String(error);
}

function hintLine(hint: string, palette: Palette): string {
  return `  ${palette.dim('hint:')} ${indentRest(hint, '    ')}`;
}

function debugLines(error: unknown, palette: Palette): string[] {
  const lines: string[] = [];
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current !== undefined && !seen.has(current)) {
    seen.add(current);
    const text =
      current instanceof SyntaxError
        ? withoutParserQuote(current)
        : current instanceof Error
          ? (current.stack ?? `${current.name}: ${current.message}`)
          : String(current);
    lines.push('', palette.dim(current === error ? text : `Caused by: ${text}`));
    current = current instanceof Error ? current.cause : undefined;
  }
  return lines;
}

/**
 * A parser's error (`JSON.parse`: `Unexpected token 'p', "postgres:/"... is not valid JSON`) quotes
 * the text it parsed, which may be an API body holding secrets: only its position and stack are
 * printed.
 */
function withoutParserQuote(error: SyntaxError): string {
  const head = `${error.name}: ${error.message}`;
  const position = / at position \d+/.exec(error.message)?.[0] ?? '';
  const stack = error.stack?.startsWith(head) ? error.stack.slice(head.length) : '';
  return `${error.name}: the parser's message is withheld, it may quote the body${position}${stack}`;
}

/** Indents every line after the first, so multi-line messages stay under their label. */
function indentRest(text: string, indent: string): string {
  return text.replaceAll('\n', `\n${indent}`);
}
