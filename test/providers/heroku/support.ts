import nock from 'nock';
import { expect } from 'vitest';
import type { Change } from '../../../src/engine/types.js';
import { makeAddress, type Resource } from '../../../src/model/resource.js';
import type { PollOptions } from '../../../src/providers/heroku/apply-support.js';
import { HerokuClient } from '../../../src/providers/heroku/client.js';
import { HerokuProvider } from '../../../src/providers/heroku/index.js';
import type { ApplyContext } from '../../../src/providers/provider.js';
import { herokuSchema as schema, validator } from '../../contract/heroku-schema.js';
import type { Schema } from '../../helpers/json-schema.js';

export const BASE = 'https://api.heroku.example';


interface Link {
  readonly method: string;
  readonly href: string;
  readonly schema?: Schema;
}
const allLinks: { link: Link; pattern: RegExp; literal: number }[] = [];
for (const definition of Object.values(schema['definitions'] as Record<string, { links?: Link[] }>)) {
  for (const link of definition.links ?? []) {
    const parts = link.href.replace(/\{\([^)]*\)\}/g, '*').split('/');
    const pattern = new RegExp(
      `^${parts.map((p) => (p === '*' ? '[^/]+' : p.replace(/[.*+?^$()|[\]\\~]/g, '\\$&'))).join('/')}$`,
    );
    allLinks.push({ link, pattern, literal: parts.filter((p) => p !== '*').length });
  }
}

/**
 * Problems of a request body against the official schema's request schema (`link.schema`) for the
 * method and path, plus any top-level key the schema does not list. Throws when no link matches.
 */
export function requestProblems(method: string, path: string, body: unknown): string[] {
  const bare = path.split('?')[0] as string;
  const candidates = allLinks
    .filter((l) => l.link.method === method && l.pattern.test(bare))
    .sort((a, b) => b.literal - a.literal);
  const found = candidates[0]?.link;
  if (found === undefined) throw new Error(`no link in the Heroku schema for ${method} ${bare}`);
  if (found.schema === undefined)
    return body === undefined || (typeof body === 'object' && body !== null && Object.keys(body).length === 0)
      ? []
      : [`${method} ${bare} takes no body`];
  const problems = validator.validate(body, found.schema);
  const properties = found.schema['properties'] as Record<string, unknown> | undefined;
  if (properties !== undefined && typeof body === 'object' && body !== null) {
    for (const key of Object.keys(body))
      if (!(key in properties)) problems.push(`$: property "${key}" is not in the schema`);
  }
  return problems;
}

export interface Recorded {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
  /** The `Range` header, when sent. */
  readonly range?: string;
}

type Reply = [number, unknown] | [number, unknown, Record<string, string>];
type Handler = (body: unknown, path: string) => Reply | Promise<Reply>;

/**
 * nock in front of BASE that records every request, checks every write's body against the
 * schema, and reports requests nothing was set up for (`unmatched`); `done` asserts neither
 * happened.
 */
export class FakeHeroku {
  readonly requests: Recorded[] = [];
  readonly unmatched: string[] = [];
  /** Schema problems of request bodies, `METHOD path: problem`. */
  readonly problems: string[] = [];
  private readonly listener = (req: { method?: string; path?: string }) =>
    this.unmatched.push(`${req.method} ${req.path}`);

  constructor() {
    nock.emitter.on('no match', this.listener);
  }

  on(method: string, path: string | RegExp, handler: Handler, times = 1): this {
    const fake = this;
    nock(BASE)
      .intercept(path, method)
      .times(times)
      .reply(async function (this: { req: { headers: Record<string, string | undefined> } }, uri: string, body: unknown) {
        const parsed = body === '' ? undefined : body;
        const range = this.req.headers['range'];
        fake.requests.push({ method, path: uri, body: parsed, ...(range === undefined ? {} : { range }) });
        if (method !== 'GET' && method !== 'DELETE') {
          try {
            for (const problem of requestProblems(method, uri, parsed ?? {}))
              fake.problems.push(`${method} ${uri}: ${problem}`);
          } catch (error) {
            fake.problems.push(String(error));
          }
        }
        return handler(parsed, uri);
      });
    return this;
  }

  reply(method: string, path: string | RegExp, status: number, body: unknown, times = 1): this {
    return this.on(method, path, () => [status, body], times);
  }

  /** Requests other than GET, as `METHOD path`. */
  writes(): string[] {
    return this.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);
  }

  done(): void {
    nock.emitter.removeListener('no match', this.listener);
    expect(this.unmatched).toEqual([]);
    expect(this.problems).toEqual([]);
  }
}

/** Instant polling whose clock moves by each sleep; `sleeps` records them. */
export function instantPoll(sleeps: number[] = []): PollOptions {
  let now = 0;
  return {
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
    now: () => now,
    firstDelayMs: 250,
    maxDelayMs: 2_000,
    timeoutMs: 10_000,
  };
}

export const APPS = new Map([
  ['staging', 'demo-staging'],
  ['production', 'demo-production'],
]);

export function provider(poll: PollOptions = instantPoll()): HerokuProvider {
  const client = new HerokuClient({ baseUrl: BASE, token: 't', userAgent: 'test', sleep: async () => {} });
  return new HerokuProvider(client, APPS, { poll });
}

export function context(progress: string[] = []): ApplyContext {
  return {
    reporter: {
      info: () => {},
      warn: () => {},
      progress: (address, message) => progress.push(`${address}: ${message}`),
    },
    outputs: new Map(),
  };
}

export function resource(
  kind: Resource['kind'],
  parts: string[],
  attributes: Resource['attributes'],
  extra: Partial<Resource> = {},
): Resource {
  return {
    address: makeAddress(kind, ...parts),
    provider: 'heroku',
    kind,
    scope: parts[0] as string,
    attributes,
    sensitive: [],
    ...extra,
  };
}

export function create(after: Resource): Change {
  const diffs = Object.entries(after.attributes).map(([attribute, value]) => ({
    attribute,
    after: value,
    sensitive: after.sensitive.includes(attribute),
  }));
  return {
    action: 'create',
    address: after.address,
    provider: 'heroku',
    kind: after.kind,
    scope: after.scope,
    after,
    diffs,
  };
}

/** The attribute diffs of `names` between `before` and `after` (none sensitive). */
function diffsOf(before: Resource, after: Resource, names: readonly string[]): Change['diffs'] {
  return names.map((attribute) => ({
    attribute,
    before: before.attributes[attribute] ?? null,
    after: after.attributes[attribute] ?? null,
    sensitive: false,
  }));
}

export function update(before: Resource, after: Resource, changed: string[]): Change {
  const diffs = diffsOf(before, after, changed);
  return {
    action: 'update',
    address: after.address,
    provider: 'heroku',
    kind: after.kind,
    scope: after.scope,
    before,
    after,
    diffs,
  };
}

export function replace(before: Resource, after: Resource, because: string[]): Change {
  const diffs = diffsOf(before, after, because);
  return {
    action: 'replace',
    address: after.address,
    provider: 'heroku',
    kind: after.kind,
    scope: after.scope,
    before,
    after,
    diffs,
    because,
  };
}

export function remove(before: Resource): Change {
  return {
    action: 'delete',
    address: before.address,
    provider: 'heroku',
    kind: before.kind,
    scope: before.scope,
    before,
    diffs: [],
  };
}

/** Resolves once `n` callers wait on it: proves that n requests were in flight at the same time. */
export function barrier(n: number, timeoutMs = 3_000): () => Promise<void> {
  let arrived = 0;
  let release!: () => void;
  const all = new Promise<void>((resolve) => {
    release = resolve;
  });
  return async () => {
    arrived += 1;
    if (arrived === n) release();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`only ${arrived} of ${n} requests arrived together`)), timeoutMs);
    });
    try {
      await Promise.race([all, timeout]);
    } finally {
      clearTimeout(timer);
    }
  };
}
