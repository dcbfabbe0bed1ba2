import type { EnvironmentDifference } from '../engine/types.js';
import { code, escapeCell } from './markdown.js';

export interface EnvironmentDiffView {
  readonly left: string;
  readonly right: string;
  readonly differences: readonly EnvironmentDifference[];
}

const ABSENT = '—';

/** `daffeinated diff A B` as aligned text: one row per difference, grouped by aspect. */
export function renderEnvironmentDiffHuman(view: EnvironmentDiffView): string {
  if (view.differences.length === 0) {
    return `${view.right} has the same effective settings as ${view.left} (config keys, formation, add-ons, features, buildpacks, region, stack).\n`;
  }
  const rows = view.differences.map((d) => [`${d.aspect}.${d.key}`, d.left ?? ABSENT, d.right ?? ABSENT] as const);
  const header = ['', view.left, view.right] as const;
  const keyWidth = Math.max(...rows.map((r) => r[0].length));
  const leftWidth = Math.max(header[1].length, ...rows.map((r) => r[1].length));
  const line = (r: readonly [string, string, string]) => `  ${r[0].padEnd(keyWidth)}  ${r[1].padEnd(leftWidth)}  ${r[2]}`.trimEnd();
  const count = view.differences.length;
  return `${[line(header), ...rows.map(line)].join('\n')}\n\n${count} difference${count === 1 ? '' : 's'} between ${view.left} and ${view.right}.\n`;
}

/** Versioned JSON: `{formatVersion: 1, kind: "environment-diff", left, right, differences: [{aspect, key, left?, right?}]}`. */
export function renderEnvironmentDiffJson(view: EnvironmentDiffView): string {
  const document = {
    differences: view.differences.map((d) => ({
      aspect: d.aspect,
      key: d.key,
      ...(d.left === undefined ? {} : { left: d.left }),
      ...(d.right === undefined ? {} : { right: d.right }),
    })),
    formatVersion: 1,
    kind: 'environment-diff',
    left: view.left,
    right: view.right,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

export function renderEnvironmentDiffMarkdown(view: EnvironmentDiffView): string {
  const title = `## ${code(view.left)} vs ${code(view.right)}`;
  if (view.differences.length === 0) return `${title}\n\nNo differences.\n`;
  const rows = view.differences.map(
    (d) => `| ${escapeCell(d.aspect)} | ${escapeCell(code(d.key))} | ${escapeCell(d.left ?? ABSENT)} | ${escapeCell(d.right ?? ABSENT)} |`,
  );
  return `${title}\n\n| Aspect | Key | ${escapeCell(view.left)} | ${escapeCell(view.right)} |\n| --- | --- | --- | --- |\n${rows.join('\n')}\n`;
}
