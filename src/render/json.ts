import type { Diagnostic } from '../runtime/diagnostics.js';
import type { JsonValue } from './format-value.js';
import type { AttributeRow, ChangeView, PlanView, SourceView } from './view-model.js';

/**
 * Version of the JSON document below; bumped on any incompatible change. 2: drift documents name
 * attribute sides `before`/`after` like plans; `expected` split out of `unmanaged`.
 */
export const JSON_FORMAT_VERSION = 2;

/**
 * The plan (or drift) as JSON, for `--format json`: one shape for both (schemas/output.schema.json).
 * Keys are sorted at every level, arrays keep the view's order, output is indented by two spaces
 * and ends in a newline. Schema (version 2):
 *
 * ```
 * {
 *   formatVersion: 2,
 *   kind: "plan" | "drift",                  // "plan" also for apply
 *   scopes: string[],                        // environments and zones covered, sorted
 *   summary: {create, update, replace, delete: number},
 *   changes: [{
 *     address: string,                       // e.g. "heroku.app[staging]"
 *     action: "create" | "update" | "replace" | "delete",
 *     provider: "heroku" | "cloudflare",
 *     kind: string,                          // e.g. "heroku.app"
 *     scope: string,
 *     source?: {file, line, col},            // where app.yaml declares the resource
 *     because?: string[],                    // replace only: attributes forcing it
 *     attributes: [{                         // sorted by name
 *       name: string,
 *       before?: Json, after?: Json,         // absent when the attribute does not exist on that side;
 *                                            // in a drift document before is live, after is app.yaml
 *       sensitive: boolean,
 *       changed?: boolean,                   // sensitive attributes only: whether the value differs
 *       source?: {file, line, col}
 *     }]
 *   }],
 *   steps?: [{address, note}],              // changes applied in several steps, and what the steps do
 *   deferred: [{address, reason}],
 *   unmanaged: [{address, attribute?, note, source?}],     // undeclared: a person may want to look
 *   expected: [{address, attribute?, kind, note}],         // add-on vars, certificate statuses…
 *   accepted: [{address, attribute?, reason, expires?, source?}],   // drift accepted by drift.ignore
 *   diagnostics: [{severity: "error" | "warning", message, path?, file?, line?, col?, hint?}],
 *   result?: {status, applied, failed: [{address, error}], notAttempted, error?},   // apply only
 *   cost?: {                                 // present when changes alter the monthly bill
 *     deltaCents: number,                    // US cents per month, after − before
 *     lines: [{address, beforeCents, afterCents}],
 *     unpriced: [{address, reason}]          // changes the API gave no price for
 *   }
 * }
 * ```
 *
 * A value is plain JSON, except: a sensitive value is the string "(sensitive)" (never the value or
 * a hash of it), and a value not known until apply is `{"unknown": "known after apply"}`, also when
 * nested. Must not be used as a plan file on its own: it cannot be applied (values are redacted).
 */
export function renderJson(view: PlanView, extra: { readonly result?: ApplyResultView } = {}): string {
  return jsonText(planJson(view, extra));
}

/** The document `renderJson` prints, as a value: `deploy` and `promote` embed it as their `infrastructure`. */
export function planJson(view: PlanView, extra: { readonly result?: ApplyResultView } = {}): JsonValue {
  return {
    ...(extra.result === undefined ? {} : { result: resultJson(extra.result) }),
    formatVersion: JSON_FORMAT_VERSION,
    kind: view.kind,
    scopes: [...view.scopes],
    summary: {
      create: view.summary.create,
      update: view.summary.update,
      replace: view.summary.replace,
      delete: view.summary.delete,
    },
    changes: view.changes.map(changeJson),
    ...(view.steps.length === 0 ? {} : { steps: view.steps.map((s) => ({ address: s.address, note: s.note })) }),
    deferred: view.deferred.map((d) => ({ address: d.address, reason: d.reason })),
    unmanaged: view.unmanaged.map((u) => ({
      address: u.address,
      ...(u.attribute === undefined ? {} : { attribute: u.attribute }),
      note: u.note,
      ...(u.source === undefined ? {} : { source: sourceJson(u.source) }),
    })),
    expected: view.expected.map((e) => ({
      address: e.address,
      ...(e.attribute === undefined ? {} : { attribute: e.attribute }),
      kind: e.kind,
      note: e.note,
    })),
    accepted: view.accepted.map((a) => ({
      address: a.address,
      ...(a.attribute === undefined ? {} : { attribute: a.attribute }),
      reason: a.reason,
      ...(a.expires === undefined ? {} : { expires: a.expires }),
      ...(a.source === undefined ? {} : { source: sourceJson(a.source) }),
    })),
    diagnostics: view.diagnostics.map(diagnosticJson),
    ...(view.cost === undefined
      ? {}
      : {
          cost: {
            deltaCents: view.cost.deltaCents,
            lines: view.cost.lines.map((l) => ({ address: l.address, beforeCents: l.beforeCents, afterCents: l.afterCents })),
            unpriced: view.cost.unpriced.map((u) => ({ address: u.address, reason: u.reason })),
          },
        }),
  };
}

/** A document as every `--format json` of this module prints it: keys sorted at every level, two-space indent, a final newline. */
export function jsonText(document: JsonValue): string {
  return `${JSON.stringify(sortKeys(document), null, 2)}\n`;
}

/**
 * What `apply --format json` adds to the plan it applied: every change of the plan is in exactly
 * one of `applied`, `failed` (with the error) and `notAttempted`, each in plan order. `status`:
 * `applied` (all of them, or nothing to do), `failed` (a change failed), `not-applied` (stopped
 * before applying anything: refused, not confirmed, locked; `error` says why).
 */
export interface ApplyResultView {
  readonly status: 'applied' | 'failed' | 'not-applied';
  readonly applied: readonly string[];
  readonly failed: readonly { readonly address: string; readonly error: string }[];
  readonly notAttempted: readonly string[];
  readonly error?: string;
}

function resultJson(result: ApplyResultView): JsonValue {
  return {
    status: result.status,
    applied: [...result.applied],
    failed: result.failed.map((f) => ({ address: f.address, error: f.error })),
    notAttempted: [...result.notAttempted],
    ...(result.error === undefined ? {} : { error: result.error }),
  };
}

function changeJson(change: ChangeView): JsonValue {
  return {
    address: change.address,
    action: change.action,
    provider: change.provider,
    kind: change.kind,
    scope: change.scope,
    ...(change.source ? { source: sourceJson(change.source) } : {}),
    ...(change.because ? { because: [...change.because] } : {}),
    attributes: change.rows.map(attributeJson),
  };
}

function attributeJson(row: AttributeRow): JsonValue {
  return {
    name: row.name,
    ...(row.before ? { before: row.before.json } : {}),
    ...(row.after ? { after: row.after.json } : {}),
    sensitive: row.sensitive,
    ...(row.sensitive ? { changed: row.changed } : {}),
    ...(row.source ? { source: sourceJson(row.source) } : {}),
  };
}

function sourceJson(source: SourceView): JsonValue {
  return { file: source.file, line: source.line, col: source.col };
}

export function diagnosticJson(d: Diagnostic): JsonValue {
  const out: { [key: string]: JsonValue } = { severity: d.severity, message: d.message };
  if (d.path !== undefined) out['path'] = d.path;
  if (d.file !== undefined) out['file'] = d.file;
  if (d.line !== undefined) out['line'] = d.line;
  if (d.col !== undefined) out['col'] = d.col;
  if (d.hint !== undefined) out['hint'] = d.hint;
  return out;
}

function sortKeys(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === 'object' && value !== null) {
    const record = value as { readonly [key: string]: JsonValue };
    const out: { [key: string]: JsonValue } = {};
    for (const key of Object.keys(record).sort()) out[key] = sortKeys(record[key] as JsonValue);
    return out;
  }
  return value;
}
