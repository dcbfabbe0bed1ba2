import { createHmac } from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { secretHash, stateDigests } from '../../../src/engine/digest.js';
import { canonicalJson, Unknown } from '../../../src/model/value.js';
import { InternalError } from '../../../src/runtime/errors.js';
import { app, config, desiredState, generatedSecret, liveState, shuffled } from './builders.js';

/** Every text that goes into a sha256, to prove no raw secret ever does. */
const captured = vi.hoisted(() => ({ hashed: [] as string[] }));
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return {
    ...actual,
    createHash: (algorithm: string) => {
      const hash = actual.createHash(algorithm);
      const wrapper = {
        update(text: string) {
          captured.hashed.push(text);
          hash.update(text);
          return wrapper;
        },
        digest: (encoding: 'hex') => hash.digest(encoding),
      };
      return wrapper;
    },
  };
});

const KEY = 'k1';
const DESIRED_SECRET = 'sk_live_desired-secret-value';
const LIVE_SECRET = 'live-generated-secret-value';

const desiredWith = (stripe: string) =>
  desiredState([
    app('staging'),
    config(
      'staging',
      { NODE_ENV: 'production', STRIPE_KEY: stripe, SESSION_SECRET: generatedSecret() },
      {
        sensitive: ['STRIPE_KEY', 'SESSION_SECRET'],
      },
    ),
  ]);
const liveWith = (session: string) =>
  liveState([
    app('staging'),
    config('staging', { NODE_ENV: 'production', SESSION_SECRET: session }, { sensitive: ['SESSION_SECRET'] }),
  ]);

beforeEach(() => {
  captured.hashed.length = 0;
});

describe('stateDigests', () => {
  it('hashes sensitive values only as keyed HMACs, never raw', () => {
    const digests = stateDigests(desiredWith(DESIRED_SECRET), liveWith(LIVE_SECRET), KEY);
    const hashedText = captured.hashed.join('\n');
    expect(captured.hashed).toHaveLength(2);
    expect(hashedText).not.toContain(DESIRED_SECRET);
    expect(hashedText).not.toContain(LIVE_SECRET);
    expect(hashedText).toContain(secretHash(DESIRED_SECRET, KEY));
    expect(hashedText).toContain(secretHash(LIVE_SECRET, KEY));
    expect(hashedText).toContain('"NODE_ENV":"production"');
    expect(JSON.stringify(digests)).not.toContain(DESIRED_SECRET);
  });

  it('treats an attribute as sensitive in both states when either side marks it', () => {
    const desired = desiredState([config('staging', { TOKEN: DESIRED_SECRET })]);
    const live = liveState([config('staging', { TOKEN: LIVE_SECRET }, { sensitive: ['TOKEN'] })]);
    stateDigests(desired, live, KEY);
    expect(captured.hashed.join('\n')).not.toContain(DESIRED_SECRET);
  });

  it('changes when a secret changes, on either side', () => {
    const base = stateDigests(desiredWith(DESIRED_SECRET), liveWith(LIVE_SECRET), KEY);
    const otherDesired = stateDigests(desiredWith(`${DESIRED_SECRET}2`), liveWith(LIVE_SECRET), KEY);
    const otherLive = stateDigests(desiredWith(DESIRED_SECRET), liveWith(`${LIVE_SECRET}2`), KEY);
    expect(otherDesired.desired).not.toBe(base.desired);
    expect(otherDesired.live).toBe(base.live);
    expect(otherLive.live).not.toBe(base.live);
    expect(otherLive.desired).toBe(base.desired);
  });

  it('depends on the key only through secrets', () => {
    const a = stateDigests(desiredWith(DESIRED_SECRET), liveWith(LIVE_SECRET), 'key-a');
    const b = stateDigests(desiredWith(DESIRED_SECRET), liveWith(LIVE_SECRET), 'key-b');
    expect(a.desired).not.toBe(b.desired);
    const plain = desiredState([app('staging')]);
    expect(stateDigests(plain, liveState([]), 'key-a')).toEqual(stateDigests(plain, liveState([]), 'key-b'));
  });

  it('ignores resource order, set order, source locations and undefined attributes', () => {
    const at = { file: 'app.yaml', line: 1, col: 1 };
    const one = desiredState(
      [app('a', {}, { replaceOn: ['region', 'team'], dependsOn: ['x', 'y'], sensitive: ['p', 'q'] }), app('b')],
      ['k@a', 'k@b'],
    );
    const two = desiredState(
      [
        app('b', { gone: undefined as never }, { source: at, attributeSources: { name: at } }),
        app('a', {}, { replaceOn: ['team', 'region'], dependsOn: ['y', 'x', 'y'], sensitive: ['q', 'p'] }),
      ],
      ['k@b', 'k@a', 'k@a'],
    );
    const live = liveState(shuffled([app('a'), app('b')], 3), {
      deferred: [
        { address: 'x', reason: 'r1' },
        { address: 'x', reason: 'r0' },
        { address: 'w', reason: 'r' },
      ],
    });
    const liveReordered = { ...live, deferred: shuffled(live.deferred, 5), resources: [app('b'), app('a')] };
    expect(stateDigests(one, live, KEY)).toEqual(stateDigests(two, liveReordered, KEY));
  });

  it('moves when prune, deferrals or protection change', () => {
    const base = stateDigests(desiredState([app('a')]), liveState([app('a')]), KEY);
    expect(stateDigests(desiredState([app('a')], ['heroku.addon@a']), liveState([app('a')]), KEY).desired).not.toBe(
      base.desired,
    );
    expect(stateDigests(desiredState([app('a', {}, { protect: true })]), liveState([app('a')]), KEY).desired).not.toBe(
      base.desired,
    );
    const deferred = liveState([app('a')], {
      deferred: [{ address: 'heroku.formation[a/web]', reason: 'no release yet' }],
    });
    expect(stateDigests(desiredState([app('a')]), deferred, KEY).live).not.toBe(base.live);
  });

  it('gives one live digest for every order of the deferrals, ordered by address then reason', () => {
    const deferrals = [
      { address: 'x', reason: 'r1' },
      { address: 'x', reason: 'r0' },
      { address: 'w', reason: 'r' },
    ];
    const orders = [
      [0, 1, 2],
      [0, 2, 1],
      [1, 0, 2],
      [1, 2, 0],
      [2, 0, 1],
      [2, 1, 0],
    ].map((order) => order.map((i) => deferrals[i] as (typeof deferrals)[number]));
    const lives = orders.map((deferred) => stateDigests(desiredState([]), liveState([], { deferred }), KEY).live);
    expect(new Set(lives).size).toBe(1);
    expect(captured.hashed[1]).toContain('"deferred":[{"address":"w","reason":"r"},{"address":"x","reason":"r0"},{"address":"x","reason":"r1"}]');
  });

  it('moves when a dependency or a replace-on attribute changes', () => {
    const digest = (options: { dependsOn?: string[]; replaceOn?: string[] }) =>
      stateDigests(desiredState([app('a', {}, options)]), liveState([]), KEY).desired;
    const base = digest({});
    expect(digest({ dependsOn: ['heroku.app[b]'] })).not.toBe(base);
    expect(digest({ dependsOn: ['heroku.app[c]'] })).not.toBe(digest({ dependsOn: ['heroku.app[b]'] }));
    expect(digest({ replaceOn: ['region'] })).not.toBe(base);
    expect(digest({ replaceOn: ['stack'] })).not.toBe(digest({ replaceOn: ['region'] }));
  });

  it('leaves out an undefined sensitive attribute like any undefined attribute', () => {
    const absent = desiredState([config('staging', {}, { sensitive: ['TOKEN'] })]);
    const undefinedValue = desiredState([config('staging', { TOKEN: undefined as never }, { sensitive: ['TOKEN'] })]);
    expect(stateDigests(undefinedValue, liveState([]), KEY)).toEqual(stateDigests(absent, liveState([]), KEY));
  });

  it('refuses an empty key', () => {
    expect(() => stateDigests(desiredState([]), liveState([]), '')).toThrow(InternalError);
    expect(() => stateDigests(desiredState([]), liveState([]), '')).toThrow('the digest key must not be empty');
  });

  it('hashes canonical JSON: keys sorted at every level, nested values and Unknowns included', () => {
    const rules = [{ ref: 'r', ratelimit: { requests: 1, characteristics: ['ip.src'] }, action: 'block' }];
    const desired = desiredState(
      [
        app('staging', { zeta: 1, hsts: { max_age: 1, enabled: true }, rules, pending: new Unknown('later') }),
        config(
          'staging',
          { B: '1', A: generatedSecret() },
          {
            sensitive: ['A'],
            dependsOn: ['heroku.app[staging]'],
            exclusive: true,
            protect: true,
            replaceOn: ['B'],
          },
        ),
      ],
      ['k@b', 'k@a'],
    );
    const live = liveState([app('staging', { zeta: 2 })], { deferred: [{ reason: 'r', address: 'x' }] });
    stateDigests(desired, live, KEY);
    expect(captured.hashed).toHaveLength(2);
    for (const text of captured.hashed) expect(text).toBe(canonicalJson(JSON.parse(text)));
    expect(captured.hashed[0]).toContain('"pending":{"unknown":"later"}');
  });
});

describe('secretHash', () => {
  it('is an HMAC-SHA256 of the canonical JSON of the value, labelled', () => {
    const expected = createHmac('sha256', KEY).update(JSON.stringify('s3cret')).digest('hex');
    expect(secretHash('s3cret', KEY)).toBe(`hmac-sha256:${expected}`);
  });

  it('hashes an Unknown as its JSON form', () => {
    const expected = createHmac('sha256', KEY).update('{"unknown":"generated on first apply"}').digest('hex');
    expect(secretHash(new Unknown('generated on first apply', { preserveLive: true }), KEY)).toBe(
      `hmac-sha256:${expected}`,
    );
  });

  it('refuses an empty key', () => {
    expect(() => secretHash('s3cret', '')).toThrow('the digest key must not be empty');
  });
});
