import {
  type Address,
  parseAddress,
  type ProviderId,
  type ResourceKind,
  type SourceLocation,
} from '../model/resource.js';
import type { Diagnostic } from '../runtime/diagnostics.js';
import { DaffError } from '../runtime/errors.js';
import { ACTION_ORDER, type Action, type Deferral, EXPECTED_KINDS, type ExpectedKind, type PlanSummary, type Unmanaged } from './types.js';

/** The format version this daffeinated writes and reads. */
export const PLAN_FORMAT_VERSION = 1;

/** What a plan file holds instead of a sensitive value. */
export const SENSITIVE_PLACEHOLDER = '(sensitive)';

/** A value as stored in a plan file: an Unknown is `{"unknown": reason}`, a secret is "(sensitive)". */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

export interface SavedAttributeDiff {
  readonly attribute: string;
  readonly before?: JsonValue;
  readonly after?: JsonValue;
  readonly sensitive: boolean;
  readonly source?: SourceLocation;
}

export interface SavedChange {
  readonly action: Action;
  readonly address: Address;
  readonly provider: ProviderId;
  readonly kind: ResourceKind;
  readonly scope: string;
  readonly diffs: readonly SavedAttributeDiff[];
  /** Replace only. */
  readonly because?: readonly string[];
}

/**
 * A plan as read back from a plan file: what was planned (redacted, for display) and the digests
 * that tell whether it is stale. It cannot be applied as is (secrets are not in it): apply builds a
 * fresh plan and refuses when its digests differ (`checkStale`).
 */
export interface SavedPlan {
  readonly formatVersion: typeof PLAN_FORMAT_VERSION;
  readonly scopes: readonly string[];
  readonly changes: readonly SavedChange[];
  readonly deferred: readonly Deferral[];
  readonly unmanaged: readonly Unmanaged[];
  readonly diagnostics: readonly Diagnostic[];
  readonly summary: PlanSummary;
  readonly digests: { readonly desired: string; readonly live: string };
}

const HINT = 'Create plan files with `daffeinated plan --out FILE`, and do not edit them.';

/** Parses and validates the text of a plan file; any problem is a DaffError saying what and where. */
export function parsePlanFile(text: string): SavedPlan {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new DaffError(`Invalid plan file: not JSON (${(error as Error).message}).`, { hint: HINT });
  }
  const root = object(data, 'the plan');
  if (root['formatVersion'] !== PLAN_FORMAT_VERSION) {
    const version = root['formatVersion'];
    throw typeof version === 'number'
      ? new DaffError(
          `This plan file has format version ${version}; this daffeinated reads version ${PLAN_FORMAT_VERSION}.`,
          {
            hint: 'Plan again with this version of daffeinated: `daffeinated plan --out FILE`.',
          },
        )
      : new DaffError('Not a daffeinated plan file: formatVersion is missing.', { hint: HINT });
  }
  const digests = object(root['digests'], 'digests');
  const summary = object(root['summary'], 'summary');
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    scopes: list(root['scopes'], 'scopes', string),
    changes: list(root['changes'], 'changes', change),
    deferred: list(root['deferred'], 'deferred', (value, path) => {
      const item = object(value, path);
      return { address: string(item['address'], `${path}.address`), reason: string(item['reason'], `${path}.reason`) };
    }),
    unmanaged: list(root['unmanaged'], 'unmanaged', (value, path) => {
      const item = object(value, path);
      const attribute = optional(item['attribute'], `${path}.attribute`, string);
      const expected = optional(item['expected'], `${path}.expected`, expectedKind);
      return {
        address: string(item['address'], `${path}.address`),
        ...(attribute === undefined ? {} : { attribute }),
        note: string(item['note'], `${path}.note`),
        ...(expected === undefined ? {} : { expected }),
      };
    }),
    diagnostics: list(root['diagnostics'], 'diagnostics', diagnostic),
    summary: {
      create: count(summary['create'], 'summary.create'),
      update: count(summary['update'], 'summary.update'),
      replace: count(summary['replace'], 'summary.replace'),
      delete: count(summary['delete'], 'summary.delete'),
    },
    digests: { desired: digest(digests['desired'], 'digests.desired'), live: digest(digests['live'], 'digests.live') },
  };
}

type Check<T> = (value: unknown, path: string) => T;

function fail(path: string, expected: string): never {
  throw new DaffError(`Invalid plan file: ${path} must be ${expected}.`, { hint: HINT });
}

function object(value: unknown, path: string): { [key: string]: unknown } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'an object');
  return value as { [key: string]: unknown };
}

function list<T>(value: unknown, path: string, item: Check<T>): T[] {
  if (!Array.isArray(value)) fail(path, 'a list');
  return value.map((element, i) => item(element, `${path}[${i}]`));
}

function optional<T>(value: unknown, path: string, check: Check<T>): T | undefined {
  return value === undefined ? undefined : check(value, path);
}

const string: Check<string> = (value, path) => (typeof value === 'string' ? value : fail(path, 'a string'));

const expectedKind: Check<ExpectedKind> = (value, path) =>
  EXPECTED_KINDS.includes(value as ExpectedKind) ? (value as ExpectedKind) : fail(path, `one of ${EXPECTED_KINDS.join(', ')}`);

const count: Check<number> = (value, path) =>
  Number.isInteger(value) && (value as number) >= 0 ? (value as number) : fail(path, 'a whole number ≥ 0');

const digest: Check<string> = (value, path) =>
  typeof value === 'string' && /^[0-9a-f]{64}$/.test(value) ? value : fail(path, 'a sha256 digest (64 hex digits)');

function oneOf<T extends string>(values: readonly T[]): Check<T> {
  return (value, path) => (values.includes(value as T) ? (value as T) : fail(path, `one of ${values.join(', ')}`));
}

const PROVIDERS: readonly ProviderId[] = ['heroku', 'cloudflare'];

function change(value: unknown, path: string): SavedChange {
  const item = object(value, path);
  const action = oneOf(ACTION_ORDER)(item['action'], `${path}.action`);
  const address = string(item['address'], `${path}.address`);
  const kind = string(item['kind'], `${path}.kind`);
  if (parseAddress(address)?.kind !== kind) fail(`${path}.kind`, `the kind in its address (${address})`);
  const because = optional(item['because'], `${path}.because`, (v, p) => list(v, p, string));
  return {
    action,
    address,
    provider: oneOf(PROVIDERS)(item['provider'], `${path}.provider`),
    kind: kind as ResourceKind,
    scope: string(item['scope'], `${path}.scope`),
    diffs: list(item['diffs'], `${path}.diffs`, attributeDiff),
    ...(because === undefined ? {} : { because }),
  };
}

function attributeDiff(value: unknown, path: string): SavedAttributeDiff {
  const item = object(value, path);
  const sensitive = item['sensitive'];
  if (typeof sensitive !== 'boolean') fail(`${path}.sensitive`, 'true or false');
  const source = optional(item['source'], `${path}.source`, location);
  return {
    attribute: string(item['attribute'], `${path}.attribute`),
    ...(item['before'] === undefined ? {} : { before: item['before'] as JsonValue }),
    ...(item['after'] === undefined ? {} : { after: item['after'] as JsonValue }),
    sensitive,
    ...(source === undefined ? {} : { source }),
  };
}

function location(value: unknown, path: string): SourceLocation {
  const item = object(value, path);
  return {
    file: string(item['file'], `${path}.file`),
    line: count(item['line'], `${path}.line`),
    col: count(item['col'], `${path}.col`),
  };
}

function diagnostic(value: unknown, path: string): Diagnostic {
  const item = object(value, path);
  const optionalFields = {
    path: optional(item['path'], `${path}.path`, string),
    file: optional(item['file'], `${path}.file`, string),
    line: optional(item['line'], `${path}.line`, count),
    col: optional(item['col'], `${path}.col`, count),
    hint: optional(item['hint'], `${path}.hint`, string),
  };
  return {
    severity: oneOf(['error', 'warning'] as const)(item['severity'], `${path}.severity`),
    message: string(item['message'], `${path}.message`),
    ...Object.fromEntries(Object.entries(optionalFields).filter(([, v]) => v !== undefined)),
  };
}
