import { ExitCode } from '../runtime/errors.js';
import type { Io } from '../runtime/io.js';
import { prepareEnvironments } from '../workflows/prepare.js';
import { type GlobalOptions, loadAppYaml } from './context.js';
import { renderDiagnosticsFor } from './output.js';

/**
 * `validate`: config only, offline, without secrets: `from_env` variables are not read (plan and
 * apply report unset ones). Problems throw ConfigError (exit 1); warnings print to stderr.
 */
export function validateCommand(io: Io, global: GlobalOptions): ExitCode {
  const prepared = prepareEnvironments(loadAppYaml(io, global), { names: [], all: true, defaultAll: true }, undefined);
  const warnings = prepared.warnings;
  if (warnings.length > 0) io.stderr(renderDiagnosticsFor(warnings, io));
  const count = prepared.environments.length;
  io.stdout(`${prepared.config.file} is valid: ${count} environment${count === 1 ? '' : 's'} (${prepared.environments.join(', ')}), ${Object.keys(prepared.config.cloudflare.zones).length} zone(s).\n`);
  return ExitCode.Ok;
}
