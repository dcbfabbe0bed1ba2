import type { DrillCost, DrillHealth, DrillReport } from '../model/drill.js';
import { assertNever } from '../runtime/errors.js';
import { formatCents } from './cost.js';
import { escapeCell } from './markdown.js';

export type DrillFormat = 'human' | 'json' | 'markdown';

/**
 * `dr-drill` in `format`, ending in a newline. JSON: `{formatVersion: 1, kind: "dr-drill", ...}`
 * with the report's fields (schemas/output.schema.json); durations in milliseconds, RPO in seconds.
 */
export function renderDrillReport(report: DrillReport, format: DrillFormat): string {
  switch (format) {
    case 'human':
      return `${human(report).join('\n')}\n`;
    case 'json':
      return `${JSON.stringify({ formatVersion: 1, kind: 'dr-drill', ...report }, null, 2)}\n`;
    case 'markdown':
      return `${markdown(report).join('\n')}\n`;
    default:
      return assertNever(format, 'drill format');
  }
}

/** What the drill will create and what it costs, shown before consent is asked (stderr). */
export function renderDrillCost(drill: { readonly environment: string; readonly app: string }, cost: DrillCost): string {
  const width = Math.max(0, ...cost.lines.map((l) => l.address.length), ...cost.unpriced.map((u) => u.address.length));
  return `${[
    `The drill creates ${drill.environment} (app ${drill.app}) and tears it down at the end. While it exists it costs about ${formatCents(cost.hourlyCents)} an hour (${formatCents(cost.monthlyCents)}/month at list prices, prorated by the second):`,
    ...cost.lines.map((l) => `  ${l.address.padEnd(width)}  ${formatCents(l.cents).padStart(10)}/month  ${l.what}`),
    ...cost.unpriced.map((u) => `  ${u.address.padEnd(width)}  ${'unpriced'.padStart(16)}  ${u.reason}`),
  ].join('\n')}\n`;
}

/** `1.2 s`, `4 min 05 s`, `2 h 03 min`. */
export function formatMs(ms: number): string {
  if (ms < 60_000) return `${(Math.max(0, ms) / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 48 * 60) return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
  return `${Math.floor(minutes / 1440)} d ${Math.floor((minutes % 1440) / 60)} h`;
}

export function formatBytes(bytes: number | null): string {
  if (bytes === null) return 'unknown';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

function describeHealth(health: DrillHealth): string {
  switch (health.kind) {
    case 'not-configured':
      return 'not checked: app.yaml declares no healthcheck';
    case 'skipped':
      return `not checked: ${health.reason}`;
    case 'passed':
      return `healthy: ${health.url} answered ${health.answer}`;
    case 'failed':
      return `UNHEALTHY: ${health.url} answered ${health.answer}`;
    default:
      return assertNever(health, 'drill health');
  }
}

function facts(r: DrillReport): [string, string][] {
  return [
    ['RTO', `${formatMs(r.rtoMs)} (creating the environment to ${r.health.kind === 'passed' ? 'a healthy answer' : 'the health check'})`],
    ['RPO', `${formatMs(r.rpoSeconds * 1000)} (backup ${r.backup.name}${r.backup.captured ? ', captured by this drill' : ''}, finished ${r.backup.finishedAt})`],
    ['database', `${formatBytes(r.database.bytes)} restored into ${r.database.plan}`],
    ['code', `slug ${r.release.slugId} of ${r.app} v${r.release.sourceVersion}, released as v${r.release.drillVersion}`],
    ['health', describeHealth(r.health)],
    ['steps', r.steps.map((s) => `${s.step} ${formatMs(s.ms)}`).join(', ')],
    ['cost', `about ${formatCents(r.cost.hourlyCents)} an hour while it ran (${formatCents(r.cost.monthlyCents)}/month)`],
    ['teardown', `${r.drill.app} deleted with ${r.teardown.deleted.filter((a) => a.startsWith('heroku.addon[')).length} add-on(s)${r.teardown.leftoverRemoved.length > 0 ? `; an earlier drill's leftover removed first (${r.teardown.leftoverRemoved.length} resource(s))` : ''}`],
  ];
}

function title(r: DrillReport): string {
  const verdict = r.outcome === 'recovered' ? 'recovered' : 'recovered, but UNHEALTHY';
  return `Recovery drill of ${r.environment} (${r.app}) in ${r.drill.environment} (${r.drill.app}): ${verdict}`;
}

function human(r: DrillReport): string[] {
  const rows = facts(r);
  const width = Math.max(...rows.map(([k]) => k.length));
  return [title(r), ...rows.map(([k, v]) => `  ${`${k}:`.padEnd(width + 1)} ${v}`)];
}

function markdown(r: DrillReport): string[] {
  return [`## ${title(r)}`, '', '| | |', '|---|---|', ...facts(r).map(([k, v]) => `| ${escapeCell(k)} | ${escapeCell(v)} |`)];
}
