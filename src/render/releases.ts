import type { ReleaseEntry } from '../model/status.js';
import { assertNever } from '../runtime/errors.js';
import { escapeCell } from './markdown.js';

export type ReleasesFormat = 'human' | 'json' | 'markdown';

/** `releases ENV` in `format`, newest first, ending in a newline. JSON: `{formatVersion: 1, kind: "releases", app, releases}`. */
export function renderReleases(app: string, releases: readonly ReleaseEntry[], format: ReleasesFormat): string {
  switch (format) {
    case 'human':
      return `${[`Releases of ${app}, newest first:`, ...releases.map(humanLine)].join('\n')}\n`;
    case 'json':
      return `${JSON.stringify({ formatVersion: 1, kind: 'releases', app, releases }, null, 2)}\n`;
    case 'markdown':
      return `${[
        `## Releases of ${app}`,
        '',
        '| version | status | commit | by | when | description |',
        '|---|---|---|---|---|---|',
        ...releases.map(
          (r) =>
            `| v${r.version}${r.current ? ' (current)' : ''} | ${r.status} | ${short(r.commit)} | ${escapeCell(r.user ?? '')} | ${r.createdAt ?? ''} | ${escapeCell(r.description)} |`,
        ),
      ].join('\n')}\n`;
    default:
      return assertNever(format, 'releases format');
  }
}

function humanLine(r: ReleaseEntry): string {
  const marker = r.current ? '*' : ' ';
  const by = r.user === null ? '' : ` ${r.user}`;
  return `${marker} v${r.version}  ${r.status.padEnd(9)} ${short(r.commit).padEnd(7)} ${r.createdAt ?? ''}${by}  ${r.description}`;
}

function short(commit: string | null): string {
  return commit === null ? '-' : commit.slice(0, 7);
}
