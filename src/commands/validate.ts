import { ExitCode } from '../runtime/errors.js';
import type { Io } from '../runtime/io.js';
import { type GlobalOptions, prepare } from './context.js';
import { renderDiagnosticsFor } from './output.js';

/** `validate`: config only, offline. Problems throw ConfigError (exit 1); warnings print to stderr. */
export function validateCommand(io: Io, global: GlobalOptions): ExitCode {
  const prepared = prepare(io, global, { names: [], all: true, defaultAll: true });
  const warnings = prepared.warnings;
  if (warnings.length > 0) io.stderr(renderDiagnosticsFor(warnings, io));
  const count = prepared.environments.length;
  io.stdout(`${prepared.config.file} is valid: ${count} environment${count === 1 ? '' : 's'} (${prepared.environments.join(', ')}), ${Object.keys(prepared.config.cloudflare.zones).length} zone(s).\n`);
  return ExitCode.Ok;
}
