import type { CostReport, EnvironmentCost } from '../model/cost.js';
import { assertNever } from '../runtime/errors.js';
import { formatCents } from './cost.js';
import { escapeCell } from './markdown.js';

export type CostFormat = 'human' | 'json' | 'markdown';

/**
 * `cost` in `format`, ending in a newline. JSON: `{formatVersion: 1, kind: "cost", currency: "USD",
 * environments: [{name, app, lines: [{address, what, cents}], unpriced, totalCents}], totalCents}`.
 */
export function renderCostReport(report: CostReport, format: CostFormat): string {
  switch (format) {
    case 'human':
      return `${[...report.environments.map(human), `Total: ${formatCents(report.totalCents)}/month`].join('\n')}\n`;
    case 'json':
      return `${JSON.stringify({ formatVersion: 1, kind: 'cost', currency: 'USD', ...report }, null, 2)}\n`;
    case 'markdown':
      return `${['## Monthly cost', '', ...report.environments.flatMap(markdown), `**Total: ${formatCents(report.totalCents)}/month**`].join('\n')}\n`;
    default:
      return assertNever(format, 'cost format');
  }
}

function human(e: EnvironmentCost): string {
  const width = Math.max(0, ...e.lines.map((l) => l.address.length));
  return [
    `${e.name} (${e.app}): ${formatCents(e.totalCents)}/month`,
    ...e.lines.map((l) => `  ${l.address.padEnd(width)}  ${formatCents(l.cents).padStart(10)}  ${l.what}`),
    ...e.unpriced.map((u) => `  ${u.address.padEnd(width)}  ${'unpriced'.padStart(10)}  ${u.reason}`),
    '',
  ].join('\n');
}

function markdown(e: EnvironmentCost): string[] {
  return [
    `### ${e.name} (${e.app}): ${formatCents(e.totalCents)}/month`,
    '',
    '| resource | what | monthly |',
    '|---|---|---:|',
    ...e.lines.map((l) => `| ${escapeCell(l.address)} | ${escapeCell(l.what)} | ${formatCents(l.cents)} |`),
    ...e.unpriced.map((u) => `| ${escapeCell(u.address)} | ${escapeCell(u.reason)} | unpriced |`),
    '',
  ];
}
