/**
 * The config pipeline on text: parse (positions kept) → interpolate `${VAR}` → schema → cross-field
 * rules → normalize. Every stage runs on whatever the previous one could make of the document, so
 * one run reports every problem; a `Config` is produced only when there is no error.
 */
import type { Config } from '../model/config.js';
import { type Diagnostic, formatDiagnostic, sortDiagnostics } from '../runtime/diagnostics.js';
import { mergeEnvironments } from './environments.js';
import { Findings } from './findings.js';
import { type Env, interpolateTree } from './interpolate.js';
import { shapeDiagnostics } from './issues.js';
import { parseYamlTree } from './load.js';
import { normalizeConfig } from './normalize.js';
import { reservedKeys } from './reserved.js';
import { checkEnvironments } from './rules-environments.js';
import { checkPurge } from './rules-purge.js';
import { checkZones } from './rules-zones.js';
import { checkShape } from './schema.js';
import { formatPath, isPlainMap } from './tree.js';

export interface ParseResult {
  /** Present exactly when `diagnostics` holds no error. */
  readonly config?: Config;
  /** Sorted by position; identical findings (e.g. from one `defaults` node shared by two environments) once. */
  readonly diagnostics: Diagnostic[];
}

/** Pure: validates and normalizes app.yaml text. `file` is used in locations only. */
export function parseConfig(text: string, file: string, env: Env): ParseResult {
  const parsed = parseYamlTree(text, file);
  const tree = parsed.tree;
  if (tree === undefined) return { diagnostics: finish(parsed.diagnostics) };
  if (!isPlainMap(tree.value)) {
    const empty = tree.value === null;
    return {
      diagnostics: [
        {
          severity: 'error',
          message: empty ? 'the configuration is empty' : 'the configuration must be a map of settings',
          file,
          line: 1,
          col: 1,
          hint: 'start with `version: 1`, `name:` and `environments:` (see config/app.yaml)',
        },
      ],
    };
  }
  // A reserved key would be dropped or misread by every later stage: it is the only problem reported.
  const reserved = reservedKeys(tree);
  if (reserved.length > 0) return { diagnostics: finish([...parsed.diagnostics, ...reserved]) };
  const interpolated = interpolateTree(tree, env);
  const shape = checkShape(interpolated.value);
  const environments = mergeEnvironments(interpolated.value);
  const findings = new Findings(tree);
  checkEnvironments(environments, findings);
  checkZones(interpolated.value, environments, findings);
  checkPurge(interpolated.value, environments, findings);
  // A value whose interpolation failed is reported once, not again as a bad name or a clash.
  const failed = new Set([...interpolated.failed].map((id) => formatPath(JSON.parse(id))));
  const downstream = [...shapeDiagnostics(shape.issues, tree, interpolated.value), ...findings.list].filter(
    (d) => d.path === undefined || !failed.has(d.path),
  );
  const diagnostics = finish([...interpolated.diagnostics, ...downstream]);
  if (shape.data === undefined || diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  return { config: normalizeConfig(shape.data, environments, tree, interpolated.substituted), diagnostics };
}

function finish(list: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return sortDiagnostics(list).filter((d) => {
    const key = formatDiagnostic(d);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
