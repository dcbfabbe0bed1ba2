import type { Action, AttributeDiff, Change, ExpectedKind, Plan } from '../engine/types.js';
import { ACTION_ORDER } from '../engine/types.js';
import type { ProviderId, Resource, ResourceKind, SourceLocation } from '../model/resource.js';
import { isUnknown, type Value, valuesEqual } from '../model/value.js';
import { type Diagnostic, formatLocation, sortDiagnostics } from '../runtime/diagnostics.js';
import { assertNever } from '../runtime/errors.js';
import {
  compareStrings,
  formatValue,
  type JsonValue,
  SENSITIVE_TEXT,
  toJsonValue,
  UNKNOWN_JSON,
  UNKNOWN_TEXT,
} from './format-value.js';
import { type CostView, toCostView } from './cost.js';
import { splitKeyedList } from './list-diff.js';

/** `plan` and `apply` render the same plan (apply shows what it is about to do); `drift` words it as drift. */
export type RenderMode = 'plan' | 'drift' | 'apply';

/**
 * A displayable value. `literal`: an ordinary value (`text` is one line; may contain a nested
 * "(known after apply)"). `unknown`: the whole value is known after apply. `sensitive`: redacted;
 * neither `text` nor `json` is derived from the secret.
 */
export type ViewValue =
  | { readonly kind: 'literal'; readonly text: string; readonly json: JsonValue }
  | { readonly kind: 'unknown'; readonly text: typeof UNKNOWN_TEXT; readonly json: typeof UNKNOWN_JSON }
  | { readonly kind: 'sensitive'; readonly text: typeof SENSITIVE_TEXT; readonly json: typeof SENSITIVE_TEXT };

/** A source location with its `file:line:col` text. */
export interface SourceView extends SourceLocation {
  readonly text: string;
}

/** One attribute of a change. `before`/`after` are absent when the attribute does not exist on that side. */
export interface AttributeRow {
  readonly name: string;
  readonly before?: ViewValue;
  readonly after?: ViewValue;
  readonly sensitive: boolean;
  /** before ≠ after. Computed from the values before redaction, so it is meaningful for sensitive rows. */
  readonly changed: boolean;
  /** A replace lists this attribute in `because`. */
  readonly forcesReplacement: boolean;
  readonly source?: SourceView;
}

export type ActionSymbol = '+' | '~' | '-/+' | '-';

export interface ChangeView {
  readonly action: Action;
  readonly symbol: ActionSymbol;
  readonly address: string;
  readonly provider: ProviderId;
  readonly kind: ResourceKind;
  readonly scope: string;
  /** Where app.yaml declares the resource (desired side only). */
  readonly source?: SourceView;
  /** Replace only: the attributes that force it, sorted. */
  readonly because?: readonly string[];
  /** Sorted by attribute name. */
  readonly rows: readonly AttributeRow[];
}

export interface SummaryView {
  readonly create: number;
  readonly update: number;
  readonly replace: number;
  readonly delete: number;
  readonly total: number;
  /** `Plan: 1 to create, …` / `No changes. Live matches app.yaml.` (drift: `Drift: …` / `No drift.`). */
  readonly text: string;
}

/**
 * Everything a renderer needs, built once: sorted, formatted and redacted. Holds no `Resource`, no
 * `Unknown` and no secret string, so a renderer cannot leak one by mistake.
 */
export interface PlanView {
  readonly mode: RenderMode;
  readonly kind: 'plan' | 'drift';
  readonly scopes: readonly string[];
  /**
   * Plan: sorted by provider (heroku, cloudflare), scope, action (create, update, replace,
   * delete), address. Drift: in app.yaml order — scopes as declared (`scopeOrder`), then provider,
   * then the line that declares the resource, then address.
   */
  readonly changes: readonly ChangeView[];
  /** Sorted by address. */
  readonly deferred: readonly { readonly address: string; readonly reason: string }[];
  /** What a person may want to look at (not `expected`). Sorted by address, then attribute (resource-level first). */
  readonly unmanaged: readonly UnmanagedView[];
  /** Live things outside app.yaml that the tool expects (add-on vars, certificate statuses…), same order. */
  readonly expected: readonly ExpectedView[];
  /** Drift accepted by `drift.ignore`, sorted by address then attribute; empty outside drift checks. */
  readonly accepted: readonly AcceptedView[];
  /** Sorted by location, then message. */
  readonly diagnostics: readonly Diagnostic[];
  readonly summary: SummaryView;
  /** Monthly cost change of the changes; absent when nothing priced changes. */
  readonly cost?: CostView;
  /** Changes applied in several steps and what the steps do, sorted by address; empty when none. */
  readonly steps: readonly { readonly address: string; readonly note: string }[];
}

export interface UnmanagedView {
  readonly address: string;
  readonly attribute?: string;
  readonly note: string;
  /** An undeclared attribute: where app.yaml declares its resource. */
  readonly source?: SourceView;
}

export interface ExpectedView {
  readonly address: string;
  readonly attribute?: string;
  readonly kind: ExpectedKind;
  readonly note: string;
}

export interface AcceptedView {
  readonly address: string;
  readonly attribute?: string;
  readonly reason: string;
  readonly expires?: string;
  readonly source?: SourceView;
}

/** Providers in apply order: Heroku first, then the DNS that points at it. */
const PROVIDER_RANK: { readonly [P in ProviderId]: number } = { heroku: 0, cloudflare: 1 };

/** The plan symbol of an action: `+` create, `~` update, `-/+` replace, `-` delete. */
export function actionSymbol(action: Action): ActionSymbol {
  switch (action) {
    case 'create':
      return '+';
    case 'update':
      return '~';
    case 'replace':
      return '-/+';
    case 'delete':
      return '-';
    default:
      return assertNever(action, 'action');
  }
}

/**
 * Builds the view of a plan. Pure and deterministic; does not mutate `plan`. Sensitive attributes
 * (`diff.sensitive`, or named in either side's `Resource.sensitive`) keep only "(sensitive)" and
 * whether they changed.
 */
export function toPlanView(plan: Plan, options: ViewOptions): PlanView {
  const drift = options.mode === 'drift';
  const changes = plan.changes
    .map(toChangeView)
    .sort(drift ? declaredOrder(options.scopeOrder ?? []) : compareChanges);
  const byAddress = <T extends { address: string; attribute?: string; note: string }>(a: T, b: T) =>
    compareStrings(a.address, b.address) ||
    compareStrings(a.attribute ?? '', b.attribute ?? '') ||
    compareStrings(a.note, b.note);
  const attributeOf = (u: { attribute?: string }) => (u.attribute === undefined ? {} : { attribute: u.attribute });
  return {
    mode: options.mode,
    kind: drift ? 'drift' : 'plan',
    scopes: [...plan.scopes].sort(compareStrings),
    changes,
    steps: (plan.steps ?? []).map((s) => ({ address: s.address, note: s.note })).sort((a, b) => compareStrings(a.address, b.address)),
    deferred: plan.deferred
      .map((d) => ({ address: d.address, reason: d.reason }))
      .sort((a, b) => compareStrings(a.address, b.address) || compareStrings(a.reason, b.reason)),
    unmanaged: plan.unmanaged
      .filter((u) => u.expected === undefined)
      .map((u) => ({ address: u.address, ...attributeOf(u), note: u.note, ...(u.source ? { source: toSourceView(u.source) } : {}) }))
      .sort(byAddress),
    expected: plan.unmanaged
      .flatMap((u) => (u.expected === undefined ? [] : [{ address: u.address, ...attributeOf(u), kind: u.expected, note: u.note }]))
      .sort(byAddress),
    accepted: (plan.accepted ?? [])
      .map((a) => ({
        address: a.address,
        ...(a.attribute === undefined ? {} : { attribute: a.attribute }),
        reason: a.reason,
        ...(a.expires === undefined ? {} : { expires: a.expires }),
        ...(a.source === undefined ? {} : { source: toSourceView(a.source) }),
      }))
      .sort((a, b) => compareStrings(a.address, b.address) || compareStrings(a.attribute ?? '', b.attribute ?? '')),
    diagnostics: sortDiagnostics(plan.diagnostics).map((d) => ({ ...d })),
    summary: summarize(changes, options.mode),
    ...(plan.cost === undefined ? {} : { cost: toCostView(plan.cost) }),
  };
}

export interface ViewOptions {
  readonly mode: RenderMode;
  /** Drift: the environments (then zones) in the order app.yaml declares them. */
  readonly scopeOrder?: readonly string[];
}

/** Scopes as declared (undeclared ones after, by name), provider, app.yaml line, address. */
function declaredOrder(scopeOrder: readonly string[]): (a: ChangeView, b: ChangeView) => number {
  const rank = (scope: string) => {
    const index = scopeOrder.indexOf(scope);
    return index < 0 ? scopeOrder.length : index;
  };
  const line = (c: ChangeView) => c.source?.line ?? Number.MAX_SAFE_INTEGER;
  return (a, b) =>
    rank(a.scope) - rank(b.scope) ||
    compareStrings(a.scope, b.scope) ||
    PROVIDER_RANK[a.provider] - PROVIDER_RANK[b.provider] ||
    line(a) - line(b) ||
    (a.source?.col ?? 0) - (b.source?.col ?? 0) ||
    compareStrings(a.address, b.address);
}

function compareChanges(a: ChangeView, b: ChangeView): number {
  return (
    PROVIDER_RANK[a.provider] - PROVIDER_RANK[b.provider] ||
    compareStrings(a.scope, b.scope) ||
    ACTION_ORDER.indexOf(a.action) - ACTION_ORDER.indexOf(b.action) ||
    compareStrings(a.address, b.address)
  );
}

function sides(change: Change): { before?: Resource; after?: Resource; because: readonly string[] } {
  switch (change.action) {
    case 'create':
      return { after: change.after, because: [] };
    case 'update':
      return { before: change.before, after: change.after, because: [] };
    case 'replace':
      return { before: change.before, after: change.after, because: change.because };
    case 'delete':
      return { before: change.before, because: [] };
    default:
      return assertNever(change, 'change');
  }
}

function toChangeView(change: Change): ChangeView {
  const { before, after, because } = sides(change);
  const secret = new Set([...(before?.sensitive ?? []), ...(after?.sensitive ?? [])]);
  const forcing = new Set(because);
  const rows = change.diffs
    .flatMap((diff) => {
      const sensitive = diff.sensitive || secret.has(diff.attribute);
      // Providers key an item's location `<attribute>/<ref>` in attributeSources (Cloudflare's WAF rules).
      const sourceOf = (ref: string) => after?.attributeSources?.[`${diff.attribute}/${ref}`];
      const parts = change.action === 'update' && !sensitive ? splitKeyedList(diff, sourceOf) : undefined;
      return (parts ?? [diff]).map((part) => toRow(part, sensitive, forcing.has(diff.attribute)));
    })
    .sort((a, b) => compareStrings(a.name, b.name));
  return {
    action: change.action,
    symbol: actionSymbol(change.action),
    address: change.address,
    provider: change.provider,
    kind: change.kind,
    scope: change.scope,
    ...(after?.source === undefined ? {} : { source: toSourceView(after.source) }),
    ...(change.action === 'replace' ? { because: [...because].sort(compareStrings) } : {}),
    rows,
  };
}

function toRow(diff: AttributeDiff, sensitive: boolean, forcesReplacement: boolean): AttributeRow {
  return {
    name: diff.attribute,
    ...(diff.before === undefined ? {} : { before: toViewValue(diff.before, sensitive) }),
    ...(diff.after === undefined ? {} : { after: toViewValue(diff.after, sensitive) }),
    sensitive,
    changed: !valuesEqual(diff.before, diff.after),
    forcesReplacement,
    ...(diff.source === undefined ? {} : { source: toSourceView(diff.source) }),
  };
}

/** Redaction happens here, before formatting: a sensitive value is never read past this point. */
function toViewValue(value: Value, sensitive: boolean): ViewValue {
  if (sensitive) return { kind: 'sensitive', text: SENSITIVE_TEXT, json: SENSITIVE_TEXT };
  if (isUnknown(value)) return { kind: 'unknown', text: UNKNOWN_TEXT, json: { ...UNKNOWN_JSON } };
  return { kind: 'literal', text: formatValue(value), json: toJsonValue(value) };
}

function toSourceView(source: SourceLocation): SourceView {
  return { file: source.file, line: source.line, col: source.col, text: formatLocation(source) };
}

function summarize(changes: readonly ChangeView[], mode: RenderMode): SummaryView {
  const counts = { create: 0, update: 0, replace: 0, delete: 0 };
  for (const change of changes) counts[change.action] += 1;
  const total = changes.length;
  const drift = mode === 'drift';
  const counted = `${counts.create} to create, ${counts.update} to update, ${counts.replace} to replace, ${counts.delete} to delete.`;
  const text =
    total === 0
      ? drift
        ? 'No drift.'
        : 'No changes. Live matches app.yaml.'
      : `${drift ? 'Drift' : 'Plan'}: ${counted}`;
  return { ...counts, total, text };
}

/**
 * Comments on a row beyond its values: "value changed" for a sensitive value that differs (the
 * values themselves show as "(sensitive)" on both sides), "forces replacement" for a `because` one.
 */
export function rowNotes(row: AttributeRow): string[] {
  const notes: string[] = [];
  if (row.sensitive && row.changed && row.before && row.after) notes.push('value changed');
  if (row.forcesReplacement) notes.push('forces replacement');
  return notes;
}

/**
 * Consecutive runs of `items` with the same key, in order. With the view's sort order, grouping by
 * provider (or provider and scope) yields each group exactly once.
 */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): { key: string; items: T[] }[] {
  const groups: { key: string; items: T[] }[] = [];
  for (const item of items) {
    const k = key(item);
    const last = groups.at(-1);
    if (last && last.key === k) last.items.push(item);
    else groups.push({ key: k, items: [item] });
  }
  return groups;
}
