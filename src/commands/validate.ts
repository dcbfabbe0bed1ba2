import type { Diagnostic } from '../runtime/diagnostics.js';
import { ConfigError, DaffError, ExitCode } from '../runtime/errors.js';
import type { Io } from '../runtime/io.js';
import { prepareEnvironments } from '../workflows/prepare.js';
import { type GlobalOptions, loadAppYaml } from './context.js';
import { type OutputFormat, renderDiagnosticsFor } from './output.js';

/** Version of `validate --format json`'s document; bumped on any incompatible change. */
export const VALIDATE_FORMAT_VERSION = 1;

/**
 * `validate`: config only, offline, without secrets: `from_env` variables are not read (plan and
 * apply report unset ones). Problems throw ConfigError (exit 1); warnings print to stderr. With
 * `--format json` stdout is one document, also when invalid:
 * `{formatVersion, kind: "validate", valid, file?, environments, zones, diagnostics}` (diagnostics
 * as in the plan document: severity, message, path?, file?, line?, col?, hint?).
 */
export function validateCommand(io: Io, global: GlobalOptions, format: OutputFormat = 'human'): ExitCode {
  const json = format === 'json';
  try {
    const prepared = prepareEnvironments(loadAppYaml(io, global), { names: [], all: true, defaultAll: true }, undefined);
    const warnings = prepared.warnings;
    const zones = Object.keys(prepared.config.cloudflare.zones);
    if (json) {
      io.stdout(document({ valid: true, file: prepared.config.file, environments: [...prepared.environments], zones, diagnostics: warnings }));
      return ExitCode.Ok;
    }
    if (warnings.length > 0) io.stderr(renderDiagnosticsFor(warnings, io));
    const count = prepared.environments.length;
    io.stdout(`${prepared.config.file} is valid: ${count} environment${count === 1 ? '' : 's'} (${prepared.environments.join(', ')}), ${zones.length} zone(s).\n`);
    return ExitCode.Ok;
  } catch (error) {
    if (json && error instanceof DaffError) {
      const diagnostics: readonly Diagnostic[] =
        error instanceof ConfigError ? error.diagnostics : [{ severity: 'error', message: error.message, ...(error.hint ? { hint: error.hint } : {}) }];
      io.stdout(document({ valid: false, environments: [], zones: [], diagnostics }));
    }
    throw error;
  }
}

function document(content: {
  readonly valid: boolean;
  readonly file?: string;
  readonly environments: readonly string[];
  readonly zones: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
}): string {
  const doc = {
    diagnostics: content.diagnostics.map((d) => ({
      ...(d.col === undefined ? {} : { col: d.col }),
      ...(d.file === undefined ? {} : { file: d.file }),
      ...(d.hint === undefined ? {} : { hint: d.hint }),
      ...(d.line === undefined ? {} : { line: d.line }),
      message: d.message,
      ...(d.path === undefined ? {} : { path: d.path }),
      severity: d.severity,
    })),
    environments: content.environments,
    ...(content.file === undefined ? {} : { file: content.file }),
    formatVersion: VALIDATE_FORMAT_VERSION,
    kind: 'validate',
    valid: content.valid,
    zones: content.zones,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
