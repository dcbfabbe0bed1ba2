import type { ExpectedKind } from '../engine/types.js';
import { assertNever } from '../runtime/errors.js';
import type { ExpectedView } from './view-model.js';

/** Order of the counts in the summary line. */
const KIND_ORDER: readonly ExpectedKind[] = ['addon-var', 'certificate', 'domain-status', 'provisioning', 'not-managed-this-run'];

/**
 * One line for everything expected, e.g. `8 add-on variables, 3 certificates: as expected`;
 * undefined when there is nothing.
 */
export function expectedSummary(expected: readonly ExpectedView[]): string | undefined {
  if (expected.length === 0) return undefined;
  const counts = new Map<ExpectedKind, number>();
  for (const item of expected) counts.set(item.kind, (counts.get(item.kind) ?? 0) + 1);
  const parts = KIND_ORDER.flatMap((kind) => {
    const n = counts.get(kind);
    return n === undefined ? [] : [counted(kind, n)];
  });
  return `${parts.join(', ')}: as expected`;
}

function counted(kind: ExpectedKind, n: number): string {
  const s = n === 1 ? '' : 's';
  switch (kind) {
    case 'addon-var':
      return `${n} add-on variable${s}`;
    case 'certificate':
      return `${n} certificate${s}`;
    case 'domain-status':
      return `${n} domain status${n === 1 ? '' : 'es'} pending`;
    case 'provisioning':
      return `${n} add-on${s} provisioning`;
    case 'not-managed-this-run':
      return `${n} config var${s} not managed in this run (from_env unset)`;
    default:
      return assertNever(kind, 'expected kind');
  }
}
