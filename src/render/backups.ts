import type { BackupEntry, DatabaseRef } from '../model/backups.js';
import { assertNever } from '../runtime/errors.js';

export type BackupsFormat = 'human' | 'json' | 'markdown';

export interface BackupsReport {
  readonly app: string;
  readonly database: DatabaseRef;
  readonly backups: readonly BackupEntry[];
  readonly captured?: BackupEntry;
  /** Sizes as people read them (workflows/backups.ts `formatBytes`). */
  readonly size: (bytes: number) => string;
}

/**
 * `backups ENV` in `format`, newest first, ending in a newline. JSON: `{formatVersion: 1, kind:
 * "backups", app, database: {name, plan, attachment}, captured?, backups}` with sizes in bytes.
 */
export function renderBackups(report: BackupsReport, format: BackupsFormat): string {
  const { app, database, backups } = report;
  switch (format) {
    case 'human': {
      const head = `Backups of ${database.attachment} (${database.name}, ${database.plan}) on ${app}, newest first:`;
      if (backups.length === 0) return `${head}\n  none yet: take one with \`daffeinated backups ENV --capture\`\n`;
      return `${[head, ...backups.map((b) => humanLine(b, report.size))].join('\n')}\n`;
    }
    case 'json':
      return `${JSON.stringify(
        {
          formatVersion: 1,
          kind: 'backups',
          app,
          database: { name: database.name, plan: database.plan, attachment: database.attachment },
          ...(report.captured === undefined ? {} : { captured: report.captured.id }),
          backups,
        },
        null,
        2,
      )}\n`;
    case 'markdown':
      return `${[
        `## Backups of ${database.attachment} on ${app}`,
        '',
        '| id | created | status | size | kind |',
        '|---|---|---|---|---|',
        ...backups.map(
          (b) =>
            `| ${b.id} | ${b.createdAt} | ${b.status} | ${report.size(b.bytes)} | ${b.scheduled ? 'scheduled' : 'manual'} |`,
        ),
      ].join('\n')}\n`;
    default:
      return assertNever(format, 'backups format');
  }
}

function humanLine(b: BackupEntry, size: (bytes: number) => string): string {
  return `  ${b.id.padEnd(6)} ${b.createdAt.padEnd(20)} ${b.status.padEnd(9)} ${size(b.bytes).padStart(9)}  ${b.scheduled ? 'scheduled' : 'manual'}`;
}
