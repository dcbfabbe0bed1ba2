import type { Reply } from '../../http.js';
import { HerokuError } from './errors.js';

/**
 * Heroku list pagination (Platform API reference, "Ranges"). The request header is
 * `Range: <key> [start]..[end]; max=<n>, order=asc|desc` where a start written `]v` excludes `v`.
 * The response is 200 when everything left fits in the page, else 206 with
 * `Next-Range: <key> ]<last>..[end]; max=<n>[, order=desc]`; both carry
 * `Content-Range: <key> <first>..<last>` and `Accept-Ranges: <keys>`. Default page 200, max 1000.
 * heroku-client sends `Range: id ..; max=1000` on every request, so every list accepts `id`.
 */
export interface RangeKey<T> {
  readonly name: string;
  readonly value: (item: T) => string | number;
  /** Compare as numbers (e.g. release `version`); otherwise as strings. */
  readonly numeric?: boolean;
}

export const DEFAULT_PAGE_SIZE = 200;
export const MAX_PAGE_SIZE = 1000;

interface RangeSpec {
  key: string;
  start: string | undefined;
  startExclusive: boolean;
  end: string | undefined;
  endExclusive: boolean;
  max: number;
  order: 'asc' | 'desc';
}

export function paginate<T>(
  items: readonly T[],
  keys: readonly RangeKey<T>[],
  rangeHeader: string | undefined,
  render: (item: T) => unknown,
): Reply {
  const spec = parseRange(rangeHeader, keys);
  const key = keys.find((k) => k.name === spec.key) as RangeKey<T>;
  const direction = spec.order === 'desc' ? -1 : 1;
  const bound = (raw: string) => (key.numeric ? Number(raw) : raw);
  const cmp = (a: string | number, b: string | number) => direction * (a < b ? -1 : a > b ? 1 : 0);

  const selected = [...items]
    .sort((a, b) => cmp(key.value(a), key.value(b)))
    .filter((item) => {
      const v = key.value(item);
      if (spec.start !== undefined) {
        const c = cmp(v, bound(spec.start));
        if (c < 0 || (c === 0 && spec.startExclusive)) return false;
      }
      if (spec.end !== undefined) {
        const c = cmp(v, bound(spec.end));
        if (c > 0 || (c === 0 && spec.endExclusive)) return false;
      }
      return true;
    });
  const page = selected.slice(0, spec.max);
  const headers: Record<string, string> = { 'Accept-Ranges': keys.map((k) => k.name).join(', ') };
  const first = page[0];
  const last = page[page.length - 1];
  if (first !== undefined && last !== undefined)
    headers['Content-Range'] = `${spec.key} ${key.value(first)}..${key.value(last)}`;
  const truncated = selected.length > page.length && last !== undefined;
  if (truncated) {
    const end = spec.end === undefined ? '' : `${spec.end}${spec.endExclusive ? '[' : ''}`;
    headers['Next-Range'] =
      `${spec.key} ]${key.value(last)}..${end}; max=${spec.max}${spec.order === 'desc' ? ', order=desc' : ''}`;
  }
  return { status: truncated ? 206 : 200, body: page.map(render), headers };
}

function parseRange<T>(header: string | undefined, keys: readonly RangeKey<T>[]): RangeSpec {
  const spec: RangeSpec = {
    key: 'id',
    start: undefined,
    startExclusive: false,
    end: undefined,
    endExclusive: false,
    max: DEFAULT_PAGE_SIZE,
    order: 'asc',
  };
  if (header === undefined || header.trim() === '') return spec;
  const semicolon = header.indexOf(';');
  const rangePart = (semicolon < 0 ? header : header.slice(0, semicolon)).trim();
  const optionPart = semicolon < 0 ? '' : header.slice(semicolon + 1);

  const space = rangePart.indexOf(' ');
  const bounds = space < 0 ? rangePart : rangePart.slice(space + 1).trim();
  if (space >= 0) spec.key = rangePart.slice(0, space);
  const dots = bounds.indexOf('..');
  if (dots < 0) throw unsatisfiable(`Invalid Range header "${header}": expected "<key> [start]..[end]".`);
  let start = bounds.slice(0, dots);
  let end = bounds.slice(dots + 2);
  if (start.startsWith(']')) spec.startExclusive = true;
  start = start.replace(/^[[\]]/, '');
  if (end.endsWith('[')) spec.endExclusive = true;
  end = end.replace(/[[\]]$/, '');
  spec.start = start === '' ? undefined : start;
  spec.end = end === '' ? undefined : end;

  for (const option of optionPart.split(/[;,]/)) {
    const trimmed = option.trim();
    if (trimmed === '') continue;
    const [name, value = ''] = trimmed.split('=').map((s) => s.trim());
    if (name === 'max') {
      const max = Number(value);
      if (!Number.isInteger(max) || max < 1)
        throw unsatisfiable(`Invalid Range header "${header}": max must be a positive integer.`);
      spec.max = Math.min(max, MAX_PAGE_SIZE);
    } else if (name === 'order') {
      if (value !== 'asc' && value !== 'desc')
        throw unsatisfiable(`Invalid Range header "${header}": order must be asc or desc.`);
      spec.order = value;
    }
  }
  const key = keys.find((k) => k.name === spec.key);
  if (key === undefined) {
    throw unsatisfiable(
      `Invalid Range header "${header}": this list can be ranged by ${keys.map((k) => k.name).join(', ')}.`,
    );
  }
  if (key.numeric && [spec.start, spec.end].some((v) => v !== undefined && !/^-?\d+$/.test(v))) {
    throw unsatisfiable(`Invalid Range header "${header}": ${key.name} bounds must be integers.`);
  }
  return spec;
}

function unsatisfiable(message: string): HerokuError {
  return new HerokuError(416, 'requested_range_not_satisfiable', message);
}
