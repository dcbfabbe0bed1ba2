import type { CommitComparison, DnsPointing, EnvironmentStatus, HealthAnswer, StatusReport } from '../model/status.js';
import { assertNever } from '../runtime/errors.js';
import { escapeCell } from './markdown.js';

export type StatusFormat = 'human' | 'json' | 'markdown';

/** `status` in `format`, ending in a newline. JSON: `{formatVersion: 1, kind: "status", environments, comparisons}`. */
export function renderStatus(report: StatusReport, format: StatusFormat): string {
  switch (format) {
    case 'human':
      return `${[...report.environments.map(humanEnvironment), ...report.comparisons.map(describeComparison)].join('\n')}\n`;
    case 'json':
      return `${JSON.stringify({ formatVersion: 1, kind: 'status', ...report }, null, 2)}\n`;
    case 'markdown':
      return markdown(report);
    default:
      return assertNever(format, 'status format');
  }
}

/** `production is 3 commits behind staging (abc1234 → def5678)`, or `… runs other code than …` when git cannot count. */
export function describeComparison(c: CommitComparison): string {
  const commits = `(${c.toCommit.slice(0, 7)} vs ${c.fromCommit.slice(0, 7)})`;
  if (c.behind === undefined) return `${c.to} runs a different commit than ${c.from} ${commits}`;
  if (c.behind === 0) return `${c.to} is not behind ${c.from} but runs a different commit ${commits}`;
  return `${c.to} is ${c.behind} commit${c.behind === 1 ? '' : 's'} behind ${c.from} ${commits}`;
}

function humanEnvironment(e: EnvironmentStatus): string {
  const head = `${e.name}${e.stage === undefined ? '' : ` (${e.stage})`}: ${e.app}`;
  if (!e.exists) return `${head}\n  app:       does not exist (apply or deploy creates it)\n`;
  return [
    head,
    `  release:   ${describeRelease(e)}`,
    `  formation: ${describeFormation(e)}`,
    `  dynos:     ${e.dynos.length === 0 ? 'none' : e.dynos.map((d) => `${d.count} ${d.state}`).join(', ')}`,
    `  add-ons:   ${e.addons.length === 0 ? 'none' : e.addons.map((a) => `${a.name} (${a.plan}) ${a.state}`).join(', ')}`,
    ...(e.domains.length === 0
      ? ['  domains:   none']
      : e.domains.map(
          (d, i) =>
            `  ${i === 0 ? 'domains:  ' : '          '} ${d.hostname}: ${describeCertificate(d.certificate, 'none (no ACM)')}; DNS ${describeDns(d.dns, d.target)}`,
        )),
    `  health:    ${describeHealth(e.health)}`,
    '',
  ].join('\n');
}

export function describeRelease(e: EnvironmentStatus): string {
  const r = e.release;
  if (r === undefined) return 'none';
  const by = [r.user === null ? '' : ` by ${r.user}`, r.createdAt === null ? '' : ` at ${r.createdAt}`].join('');
  return `v${r.version} ${r.status}, commit ${r.commit === null ? 'none' : r.commit.slice(0, 7)}${by} — ${r.description}`;
}

function describeFormation(e: EnvironmentStatus): string {
  return e.formation.length === 0 ? 'none' : e.formation.map((f) => `${f.type} ${f.quantity} × ${f.size}`).join(', ');
}

/**
 * `certificate issued`, `certificate pending`…: ACM's status after the word, without repeating it
 * (Heroku says `cert issued`); `certificate <none>` without ACM.
 */
function describeCertificate(status: string | null, none: string): string {
  return `certificate ${status === null ? none : status.replace(/^cert(ificate)? /, '')}`;
}

export function describeDns(dns: DnsPointing, target: string | null): string {
  switch (dns.kind) {
    case 'points':
      return `points at ${dns.content}`;
    case 'elsewhere':
      return `points at ${dns.content}, NOT at ${target ?? "Heroku's target"}`;
    case 'missing':
      return `MISSING (no record; should point at ${target ?? "Heroku's target"})`;
    case 'unmanaged':
      return 'not in a zone app.yaml declares (not checked)';
    case 'unreadable':
      return `unknown (the zone could not be read: ${dns.reason})`;
    default:
      return assertNever(dns, 'DNS pointing');
  }
}

export function describeHealth(health: HealthAnswer): string {
  switch (health.kind) {
    case 'not-configured':
      return 'not configured (no healthcheck in app.yaml)';
    case 'skipped':
      return `not checked: ${health.reason}`;
    case 'answered':
      return `${health.ok ? 'healthy' : 'UNHEALTHY'} (${health.answer} at ${health.url})`;
    default:
      return assertNever(health, 'health answer');
  }
}

/** A Mermaid pipeline (stage → app → release/commit), then a table per environment. */
function markdown(report: StatusReport): string {
  const node = (i: number) => `env${i}`;
  const label = (e: EnvironmentStatus) =>
    `${e.name}<br/>${e.app}<br/>${e.release === undefined ? 'no release' : `v${e.release.version} ${e.release.commit?.slice(0, 7) ?? 'no commit'}`}`;
  const mermaid = [
    '```mermaid',
    'flowchart LR',
    ...report.environments.map((e, i) => `  ${node(i)}["${label(e).replaceAll('"', "'")}"]`),
    ...report.environments.slice(1).map((_, i) => `  ${node(i)} --> ${node(i + 1)}`),
    '```',
  ];
  const sections = report.environments.map((e) => {
    const rows: [string, string][] = e.exists
      ? [
          ['release', describeRelease(e)],
          ['formation', describeFormation(e)],
          ['dynos', e.dynos.map((d) => `${d.count} ${d.state}`).join(', ') || 'none'],
          ['add-ons', e.addons.map((a) => `${a.name} (${a.plan}) ${a.state}`).join(', ') || 'none'],
          ...e.domains.map((d): [string, string] => [
            d.hostname,
            `${describeCertificate(d.certificate, 'none')}; DNS ${describeDns(d.dns, d.target)}`,
          ]),
          ['health', describeHealth(e.health)],
        ]
      : [['app', 'does not exist']];
    return [
      `### ${e.name} (${e.app})`,
      '',
      '| | |',
      '|---|---|',
      ...rows.map(([k, v]) => `| ${escapeCell(k)} | ${escapeCell(v)} |`),
      '',
    ].join('\n');
  });
  const comparisons = report.comparisons.map((c) => `- ${describeComparison(c)}`);
  return `${['## Status', '', ...mermaid, '', ...comparisons, ...(comparisons.length > 0 ? [''] : []), ...sections].join('\n')}`;
}
