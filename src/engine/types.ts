import type { Diagnostic } from '../runtime/diagnostics.js';
import type { Address, ProviderId, Resource, ResourceKind, SourceLocation } from '../model/resource.js';
import type { Value } from '../model/value.js';

export type Action = 'create' | 'update' | 'replace' | 'delete';

/** Order in which actions are listed (and, within a dependency level, applied). */
export const ACTION_ORDER: readonly Action[] = ['create', 'update', 'replace', 'delete'];

/**
 * One attribute that differs. `before`/`after` are absent when the attribute does not exist on that
 * side. When `sensitive`, renderers must print "(sensitive)" instead of the values, and JSON output
 * must not contain them.
 */
export interface AttributeDiff {
  readonly attribute: string;
  readonly before?: Value;
  readonly after?: Value;
  readonly sensitive: boolean;
  /** Where app.yaml declares the desired value, when known. */
  readonly source?: SourceLocation;
}

interface ChangeBase {
  readonly address: Address;
  readonly provider: ProviderId;
  readonly kind: ResourceKind;
  readonly scope: string;
  /** Attribute-level differences (for create: every desired attribute; for delete: every live one). */
  readonly diffs: readonly AttributeDiff[];
}

export type Change =
  | (ChangeBase & { readonly action: 'create'; readonly after: Resource })
  | (ChangeBase & { readonly action: 'update'; readonly before: Resource; readonly after: Resource })
  | (ChangeBase & {
      readonly action: 'replace';
      readonly before: Resource;
      readonly after: Resource;
      /** Attributes that force the replacement. */
      readonly because: readonly string[];
    })
  | (ChangeBase & { readonly action: 'delete'; readonly before: Resource });

/** A desired resource that cannot be applied yet, e.g. formation before the first release. */
export interface Deferral {
  readonly address: Address;
  readonly reason: string;
}

/**
 * Why a live thing outside app.yaml is expected: add-on vars (`addon-var`), certificate and DNS
 * target statuses (`certificate`, `domain-status`), an add-on still provisioning, a var whose
 * optional `from_env` variable is unset (`not-managed-this-run`). Expected items are summarised
 * in one line, never annotated and never fail `drift --strict`.
 */
export const EXPECTED_KINDS = ['addon-var', 'certificate', 'domain-status', 'provisioning', 'not-managed-this-run'] as const;
export type ExpectedKind = (typeof EXPECTED_KINDS)[number];

/** Something live that app.yaml does not declare: reported, never touched (unless pruned). */
export interface Unmanaged {
  readonly address: Address;
  /** Present when only some attributes of a managed resource are undeclared (e.g. one config var). */
  readonly attribute?: string;
  readonly note: string;
  /** Present when the tool expects it (see `ExpectedKind`); absent for something a person should look at. */
  readonly expected?: ExpectedKind;
  /** An undeclared attribute: where app.yaml declares its resource (e.g. the `config:` a var would join). */
  readonly source?: SourceLocation;
}

/** Drift that app.yaml's `drift.ignore` accepts (with a reason), reported but not failing. */
export interface AcceptedDrift {
  readonly address: Address;
  /** Absent when the whole change is accepted. */
  readonly attribute?: string;
  readonly reason: string;
  /** YYYY-MM-DD after which it counts as drift again. */
  readonly expires?: string;
  /** Where app.yaml declares the ignore entry. */
  readonly source?: SourceLocation;
}

/** What app.yaml asks for, for the scopes being planned. */
export interface DesiredState {
  readonly resources: readonly Resource[];
  /** `kind@scope` pairs whose undeclared live resources are deleted instead of reported. */
  readonly prune: readonly string[];
}

/** What the providers read. Must contain only resources of the planned scopes. */
export interface LiveState {
  readonly resources: readonly Resource[];
  readonly deferred: readonly Deferral[];
  /** Live resources that exist but belong to someone else (e.g. add-on-owned config vars). */
  readonly diagnostics: readonly Diagnostic[];
  /**
   * Totals per `kind@<zone or scope>` that the provider saw but did not return as resources (e.g.
   * every DNS record of a zone, including ones we do not manage); they override the counts of
   * `resources` in `Plan.liveCounts`.
   */
  readonly counts?: { readonly [kindAtScope: string]: number };
  /**
   * Read-only facts about live things that are neither changes nor drift (config vars an add-on
   * owns, a domain's certificate status, an add-on still provisioning). They join
   * `Plan.unmanaged`, are never diffed and never enter the digests.
   */
  readonly notes?: readonly Unmanaged[];
}

export interface PlanSummary {
  readonly create: number;
  readonly update: number;
  readonly replace: number;
  readonly delete: number;
}

/**
 * The result of comparing desired with live. Deterministic: changes sorted by dependency level,
 * then action, then address (see `executionLevels`). Sensitive values do appear in `changes` (in
 * `diffs` marked `sensitive` and in the `before`/`after` resources' attributes): renderers and plan
 * files must redact them. `digests` never depend on a raw secret (they hash keyed HMACs of them).
 */
export interface Plan {
  readonly formatVersion: 1;
  /** The scopes (environments) this plan covers, sorted. */
  readonly scopes: readonly string[];
  readonly changes: readonly Change[];
  readonly deferred: readonly Deferral[];
  readonly unmanaged: readonly Unmanaged[];
  /** Drift accepted by `drift.ignore` (drift checks only; absent in plans). */
  readonly accepted?: readonly AcceptedDrift[];
  readonly diagnostics: readonly Diagnostic[];
  readonly summary: PlanSummary;
  /**
   * Number of live resources per `kind@scope` (see `prunesKey`), e.g. a zone's DNS records, for
   * the safety thresholds. Keys sorted; kinds with no live resource in a scope are absent.
   */
  readonly liveCounts: { readonly [kindAtScope: string]: number };
  /** sha256 (hex) of the redacted desired and live states: a saved plan is stale when these move. */
  readonly digests: { readonly desired: string; readonly live: string };
  /** Monthly cost change of the plan's changes, from the providers' price lists; absent when none prices. */
  readonly cost?: CostEstimate;
  /**
   * Changes apply will make in several steps, with what their providers say the steps do (e.g. a
   * record written DNS-only, proxied once a certificate is issued). Sorted by address; absent when none.
   */
  readonly steps?: readonly StepNote[];
}

export interface StepNote {
  readonly address: Address;
  readonly note: string;
}

/** The monthly price of one changed resource before and after the change, in US cents. */
export interface CostLine {
  readonly address: Address;
  /** What is priced on each side, e.g. `2 × standard-2x` or `heroku-postgresql:standard-0`; absent when nothing is. */
  readonly before?: string;
  readonly after?: string;
  readonly beforeCents: number;
  readonly afterCents: number;
}

/**
 * What a plan does to the monthly bill, from the provider's own price data (Heroku's dyno sizes
 * and add-on plans). Only changes are priced: a deferred formation costs nothing until it applies.
 */
export interface CostEstimate {
  /** Sorted by address. */
  readonly lines: readonly CostLine[];
  /** Sum of `afterCents - beforeCents` over `lines`. */
  readonly deltaCents: number;
  /** Changes whose price the API did not give; they are not in `deltaCents`. Sorted by address. */
  readonly unpriced: readonly { readonly address: Address; readonly reason: string }[];
}

export function prunesKey(kind: ResourceKind, scope: string): string {
  return `${kind}@${scope}`;
}

/**
 * What safety (engine/safety.ts) knows about one kind beyond the `protect` flag of its resources,
 * declared by the provider that owns the kind: pure data and pure functions. Whether a resource is
 * protected stays its own `protect` flag (from app.yaml on the desired side, set by the provider's
 * read on the live side): it is part of the state digests, and app.yaml can set it.
 */
export interface KindPolicy {
  /**
   * What destroying a protected live resource of this kind loses, as the end of a refusal
   * (`deleting heroku.app[old] destroys the app with …`). Absent: `destroys it (it is marked protect)`.
   */
  readonly deleteLoses?: (live: Resource) => string;
  /** A limit on how much of a group of live resources one plan may change without `--force`. */
  readonly changeThreshold?: ChangeThreshold;
}

/**
 * octoDNS-style guard: more than `percent` of a group's live resources of the kind may not be
 * updated, replaced or deleted without `--force`, in groups of at least `minLive`. The group's
 * live count is `Plan.liveCounts[prunesKey(kind, group)]`, which the provider's read must supply.
 */
export interface ChangeThreshold {
  readonly percent: number;
  readonly minLive: number;
  /** The group a change of the kind counts against, e.g. a DNS record's zone. */
  readonly groupOf: (change: Change) => string;
  /** What refusals call a group and one resource of it: `zone`, `DNS record`. */
  readonly groupNoun: string;
  readonly resourceNoun: string;
}

/** The policies of the kinds that have one; providers export theirs (Provider `kinds`). */
export type KindPolicies = { readonly [K in ResourceKind]?: KindPolicy };

/** What part of an environment a difference is in. */
export type Aspect = 'region' | 'stack' | 'config' | 'formation' | 'addons' | 'features' | 'buildpacks' | 'maintenance' | 'acm';

/**
 * One effective difference between two environments after inheritance. `left`/`right` are
 * display strings, absent when that side lacks the key; secret values are never included (a
 * sensitive literal shows as "(sensitive value)", so two different secrets read as equal text but
 * still count as a difference).
 */
export interface EnvironmentDifference {
  readonly aspect: Aspect;
  readonly key: string;
  readonly left?: string;
  readonly right?: string;
  readonly leftSource?: SourceLocation;
  readonly rightSource?: SourceLocation;
}

/**
 * A point in apply order: a change, or a later step of a change applied in several. Without
 * `step` it names the change's first (or only) step, which is also what `dependsOn` names; `step`
 * names one of the later steps its provider declared (`Ordering.steps`), e.g. turning a DNS record
 * proxied once the certificate it needs is issued.
 */
export interface StepRef {
  readonly address: Address;
  readonly step?: string;
}

/**
 * `before` is applied before `after` starts. Taken as declared in either phase (never reversed for
 * deletes, unlike `dependsOn`); an edge naming a change the plan does not hold puts no constraint.
 */
export interface Edge {
  readonly before: StepRef;
  readonly after: StepRef;
}

/**
 * Steps (of changes of one provider) with equal keys reach that provider's `apply` in one call,
 * which serves them with one request (or as few as the API allows). `deletes` says what becomes of
 * the key's deletes: `apart`, they form a batch of their own, applied with the other deletes after
 * every create and update; `first`, they join the creates and updates in one call, whose request
 * runs every delete before the rest (a Cloudflare DNS batch: a record swapped for one of another
 * type under the same name is removed before its successor is posted).
 */
export interface BatchKey {
  readonly key: string;
  readonly deletes: 'apart' | 'first';
}

/**
 * What a provider declares about applying the changes of a plan, as data (`Provider.ordering`);
 * the engine alone (order.ts, groups.ts) turns it, with the resources' `dependsOn`, into an order.
 * Every part is optional: a change nothing names is one step, applied on its own once its
 * `dependsOn` are.
 */
export interface Ordering {
  /** Edges beyond `dependsOn`, e.g. an environment's deletes in the order its API needs; may name any provider's changes. */
  readonly edges?: readonly Edge[];
  /**
   * Changes applied in several steps: the names of the steps after the first, in order; each waits
   * for the one before. `note` says what the steps do, for plans (`Plan.steps`).
   */
  readonly steps?: readonly { readonly address: Address; readonly later: readonly string[]; readonly note?: string }[];
  /** Steps applied together with others (`BatchKey`); a step not listed is applied on its own. */
  readonly batches?: readonly { readonly step: StepRef; readonly key: BatchKey }[];
}
