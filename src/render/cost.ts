import type { CostEstimate } from '../engine/types.js';

/** A plan's cost change with its amounts formatted (`$5.00`, `+$45.00`). */
export interface CostView {
  /** Sorted by address. */
  readonly lines: readonly {
    readonly address: string;
    readonly beforeCents: number;
    readonly afterCents: number;
    /** `heroku-postgresql:essential-0 $5.00 → heroku-postgresql:standard-0 $50.00 (+$45.00)`. */
    readonly text: string;
  }[];
  readonly deltaCents: number;
  /** `+$45.00/month`. */
  readonly totalText: string;
  readonly unpriced: readonly { readonly address: string; readonly reason: string }[];
}

/** US dollars from cents: `$5.00`; `signed` adds `+` to positive amounts (`-` is always shown). */
export function formatCents(cents: number, signed = false): string {
  const text = `$${(Math.abs(cents) / 100).toFixed(2)}`;
  if (cents < 0) return `-${text}`;
  return signed && cents > 0 ? `+${text}` : text;
}

/** The view of a cost estimate: every amount formatted, lines in the estimate's (address) order. */
export function toCostView(cost: CostEstimate): CostView {
  const side = (label: string | undefined, cents: number) =>
    label === undefined ? formatCents(0) : `${label} ${formatCents(cents)}`;
  return {
    lines: cost.lines.map((line) => ({
      address: line.address,
      beforeCents: line.beforeCents,
      afterCents: line.afterCents,
      text: `${side(line.before, line.beforeCents)} → ${side(line.after, line.afterCents)} (${formatCents(line.afterCents - line.beforeCents, true)})`,
    })),
    deltaCents: cost.deltaCents,
    totalText: `${formatCents(cost.deltaCents, true)}/month`,
    unpriced: cost.unpriced.map((u) => ({ address: u.address, reason: u.reason })),
  };
}
