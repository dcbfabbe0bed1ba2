import { describe, expect, it } from 'vitest';
import { diffAll, diffResource } from '../../../src/engine/diff.js';
import { prunesKey } from '../../../src/engine/types.js';
import { Unknown } from '../../../src/model/value.js';
import { InternalError } from '../../../src/runtime/errors.js';
import { addon, addresses, aResource, app, config, desiredState, dns, generatedSecret, liveState } from './builders.js';

const at = { file: 'app.yaml', line: 12, col: 5 };

describe('diffResource', () => {
  it('returns undefined when both sides are absent', () => {
    expect(diffResource(undefined, undefined)).toBeUndefined();
  });

  it('creates a desired-only resource, with every defined attribute as an `after` diff, sorted', () => {
    const desired = config(
      'staging',
      { NODE_ENV: 'production', API_KEY: 'k-123', SKIP: undefined as never },
      {
        sensitive: ['API_KEY'],
        attributeSources: { NODE_ENV: at },
      },
    );
    const change = diffResource(desired, undefined);
    expect(change).toMatchObject({
      action: 'create',
      address: 'heroku.config[staging]',
      provider: 'heroku',
      scope: 'staging',
    });
    expect(change?.diffs).toEqual([
      { attribute: 'API_KEY', after: 'k-123', sensitive: true },
      { attribute: 'NODE_ENV', after: 'production', sensitive: false, source: at },
    ]);
    expect(change?.action === 'create' && change.after).toBe(desired);
  });

  it('deletes a live-only resource, with every live attribute as a `before` diff', () => {
    const live = config('staging', { OLD: 'x', TOKEN: 's3cret' }, { sensitive: ['TOKEN'] });
    const change = diffResource(undefined, live);
    expect(change).toMatchObject({ action: 'delete', before: live });
    expect(change?.diffs).toEqual([
      { attribute: 'OLD', before: 'x', sensitive: false },
      { attribute: 'TOKEN', before: 's3cret', sensitive: true },
    ]);
  });

  it('returns undefined when every declared attribute matches', () => {
    expect(diffResource(app('staging'), app('staging'))).toBeUndefined();
  });

  it('updates what differs, with before, after and the declaring source', () => {
    const desired = app('staging', { stack: 'heroku-24', maintenance: false }, { attributeSources: { stack: at } });
    const live = app('staging', { stack: 'heroku-22', maintenance: false });
    const change = diffResource(desired, live);
    expect(change).toMatchObject({ action: 'update', before: live, after: desired });
    expect(change?.diffs).toEqual([
      { attribute: 'stack', before: 'heroku-22', after: 'heroku-24', sensitive: false, source: at },
    ]);
  });

  it('shows an attribute missing live as a diff with only `after`', () => {
    const change = diffResource(app('staging', { team: 'daff' }), app('staging'));
    expect(change?.diffs).toEqual([{ attribute: 'team', after: 'daff', sensitive: false }]);
  });

  it('replaces when a differing attribute is in replaceOn, naming only those that differ', () => {
    const desired = app(
      'staging',
      { region: 'eu', team: 'daff', stack: 'heroku-24' },
      { replaceOn: ['region', 'team'] },
    );
    const live = app('staging', { region: 'us', team: 'daff', stack: 'heroku-22' });
    const change = diffResource(desired, live);
    expect(change?.action).toBe('replace');
    expect(change?.action === 'replace' && change.because).toEqual(['region']);
    expect(change?.diffs.map((d) => d.attribute)).toEqual(['region', 'stack']);
  });

  it('updates in place when the replaceOn attributes are equal', () => {
    const desired = addon(
      'production',
      'database',
      { plan: 'heroku-postgresql:standard-0' },
      { replaceOn: ['service'] },
    );
    const live = addon('production', 'database', { plan: 'heroku-postgresql:essential-0' });
    expect(diffResource(desired, live)?.action).toBe('update');
  });

  it('marks a diff sensitive when either side lists the attribute', () => {
    const fromDesired = diffResource(config('s', { A: '1' }, { sensitive: ['A'] }), config('s', { A: '2' }));
    const fromLive = diffResource(config('s', { A: '1' }), config('s', { A: '2' }, { sensitive: ['A'] }));
    expect(fromDesired?.diffs[0]?.sensitive).toBe(true);
    expect(fromLive?.diffs[0]?.sensitive).toBe(true);
  });

  it('refuses to compare resources at different addresses', () => {
    expect(() => diffResource(app('staging'), app('production'))).toThrow(InternalError);
    expect(() => diffResource(app('staging'), app('production'))).toThrow(
      /heroku\.app\[staging\].*heroku\.app\[production\]/,
    );
  });

  describe('generated secrets (Unknown with preserveLive)', () => {
    it('never regenerates a secret that exists live', () => {
      const desired = config('staging', { SESSION_SECRET: generatedSecret() }, { sensitive: ['SESSION_SECRET'] });
      const live = config('staging', { SESSION_SECRET: 'already-made' });
      expect(diffResource(desired, live)).toBeUndefined();
    });

    it('generates it when there is no live value (absent or null)', () => {
      const secret = generatedSecret();
      const desired = config('staging', { SESSION_SECRET: secret }, { sensitive: ['SESSION_SECRET'] });
      for (const live of [config('staging', {}), config('staging', { SESSION_SECRET: null })]) {
        const change = diffResource(desired, live);
        expect(change?.action).toBe('update');
        expect(change?.diffs[0]).toMatchObject({ attribute: 'SESSION_SECRET', after: secret, sensitive: true });
      }
    });

    it('matches nested inside arrays and records', () => {
      const desired = app('s', { list: ['a', generatedSecret()], map: { k: generatedSecret(), n: 1 } });
      expect(diffResource(desired, app('s', { list: ['a', 'x'], map: { k: 'y', n: 1 } }))).toBeUndefined();
    });

    it.each([
      ['a shorter array', { list: ['a'], map: { k: 'y', n: 1 } }],
      ['a non-array', { list: 'a', map: { k: 'y', n: 1 } }],
      ['a different element', { list: ['b', 'x'], map: { k: 'y', n: 1 } }],
      ['a record with other keys', { list: ['a', 'x'], map: { k: 'y' } }],
      ['a non-record', { list: ['a', 'x'], map: ['k'] }],
      ['a record missing the key', { list: ['a', 'x'], map: { j: 'y', n: 1 } }],
    ])('differs from %s', (_what, liveAttributes) => {
      const desired = app('s', { list: ['a', generatedSecret()], map: { k: generatedSecret(), n: 1 } });
      expect(diffResource(desired, app('s', liveAttributes))?.action).toBe('update');
    });
  });

  it('always shows an Unknown without preserveLive as a change (known after apply)', () => {
    const target = new Unknown('DNS target of heroku.domain[staging/www.daffeinated.com]');
    const change = diffResource(
      dns('daffeinated.com', 'CNAME', 'www', target),
      dns('daffeinated.com', 'CNAME', 'www', 'x.herokudns.com'),
    );
    expect(change?.diffs).toEqual([
      { attribute: 'content', before: 'x.herokudns.com', after: target, sensitive: false },
    ]);
  });

  it('removes undeclared live attributes from an exclusive resource (diffs with only `before`)', () => {
    const desired = config('staging', { NODE_ENV: 'production' }, { exclusive: true });
    const live = config(
      'staging',
      { NODE_ENV: 'production', LEGACY: 'x', OLD_TOKEN: 't' },
      { sensitive: ['OLD_TOKEN'] },
    );
    const change = diffResource(desired, live);
    expect(change?.action).toBe('update');
    expect(change?.diffs).toEqual([
      { attribute: 'LEGACY', before: 'x', sensitive: false },
      { attribute: 'OLD_TOKEN', before: 't', sensitive: true },
    ]);
  });

  it('replaces when an exclusive removal hits a replaceOn attribute', () => {
    const desired = app('s', {}, { exclusive: true, replaceOn: ['team'] });
    const change = diffResource(desired, app('s', { team: 'old' }));
    expect(change?.action === 'replace' && change.because).toEqual(['team']);
  });

  it('leaves undeclared live attributes alone on a non-exclusive resource', () => {
    expect(diffResource(config('staging', { A: '1' }), config('staging', { A: '1', B: '2' }))).toBeUndefined();
  });

  it('never removes or diffs an attribute this run does not manage (an optional from_env unset), even when exclusive', () => {
    const note = 'not managed in this run: its from_env variable STRIPE_KEY is unset or empty';
    const desired = config('staging', { NODE_ENV: 'production' }, { exclusive: true, notManaged: { STRIPE_KEY: note } });
    expect(diffResource(desired, config('staging', { NODE_ENV: 'production', STRIPE_KEY: 'sk_live' }))).toBeUndefined();
    const expected = { address: 'heroku.config[staging]', attribute: 'STRIPE_KEY', note, expected: 'not-managed-this-run' };
    const live = liveState([config('staging', { NODE_ENV: 'production', STRIPE_KEY: 'sk_live', HAND: 'x' })]);
    expect(diffAll(desiredState([desired]), live)).toMatchObject({ unmanaged: [expected] });
    expect(diffAll(desiredState([desired]), live).changes.map((c) => c.diffs.map((d) => d.attribute))).toEqual([['HAND']]);
    expect(diffAll(desiredState([desired]), liveState([])).unmanaged).toEqual([expected]);
  });

  it('treats a desired attribute set to undefined as undeclared', () => {
    const desired = config('staging', { A: undefined as never }, { exclusive: true });
    const change = diffResource(desired, config('staging', { A: '1' }));
    expect(change?.diffs).toEqual([{ attribute: 'A', before: '1', sensitive: false }]);
  });
});

describe('diffAll', () => {
  it('pairs by address: create, update, no change, unmanaged resource, unmanaged attribute', () => {
    const desired = desiredState([
      app('staging'),
      config('staging', { NODE_ENV: 'production' }),
      addon('staging', 'cache', { plan: 'heroku-redis:mini' }),
      app('production', { stack: 'heroku-24' }),
    ]);
    const live = liveState([
      app('staging'),
      config('staging', { NODE_ENV: 'development', ZETA: 'z', ALPHA: 'a' }),
      app('production', { stack: 'heroku-22' }),
      addon('staging', 'papertrail', { plan: 'papertrail:choklad' }),
    ]);
    const result = diffAll(desired, live);
    expect(result.changes.map((c) => [c.action, c.address])).toEqual([
      ['create', 'heroku.addon[staging/cache]'],
      ['update', 'heroku.app[production]'],
      ['update', 'heroku.config[staging]'],
    ]);
    expect(result.unmanaged).toEqual([
      { address: 'heroku.addon[staging/papertrail]', note: expect.stringContaining('set environments.staging.prune.addons: true to remove it') },
      { address: 'heroku.config[staging]', attribute: 'ALPHA', note: expect.stringContaining('add ALPHA to environments.staging.config') },
      { address: 'heroku.config[staging]', attribute: 'ZETA', note: expect.stringContaining('set environments.staging.prune.config: true') },
    ]);
    expect(result.deferred).toEqual([]);
  });

  it('sorts resource-level unmanaged entries before the attributes of a longer address', () => {
    const live = liveState([
      addon('staging', 'a', { plan: 'x' }),
      aResource('heroku.addon', 'staging', 'a-b', { plan: 'y' }),
    ]);
    const desired = desiredState([aResource('heroku.addon', 'staging', 'a-b', {})]);
    expect(diffAll(desired, live).unmanaged.map((u) => [u.address, u.attribute])).toEqual([
      ['heroku.addon[staging/a-b]', 'plan'],
      ['heroku.addon[staging/a]', undefined],
    ]);
  });

  it('deletes undeclared live resources only where prune names their kind@scope', () => {
    const live = liveState([
      addon('staging', 'old', { plan: 'x' }),
      addon('production', 'old', { plan: 'x' }),
      dns('daffeinated.com', 'A', 'legacy', '192.0.2.1'),
    ]);
    const result = diffAll(desiredState([], [prunesKey('heroku.addon', 'staging')]), live);
    expect(result.changes.map((c) => [c.action, c.address])).toEqual([['delete', 'heroku.addon[staging/old]']]);
    expect(result.unmanaged.map((u) => u.address)).toEqual([
      'cloudflare.dns[daffeinated.com/A/legacy]',
      'heroku.addon[production/old]',
    ]);
  });

  it('does not diff deferred addresses on either side, and keeps the first reason per address, sorted', () => {
    const formation = aResource('heroku.formation', 'staging', 'web', { quantity: 2 });
    const worker = aResource('heroku.formation', 'staging', 'worker', { quantity: 1 });
    const live = liveState([aResource('heroku.formation', 'staging', 'web', { quantity: 1 }), worker], {
      deferred: [
        { address: formation.address, reason: 'needs the first release' },
        { address: worker.address, reason: 'worker reason' },
        { address: formation.address, reason: 'duplicate' },
      ],
    });
    const result = diffAll(desiredState([formation], [prunesKey('heroku.formation', 'staging')]), live);
    expect(result.changes).toEqual([]);
    expect(result.unmanaged).toEqual([]);
    expect(result.deferred).toEqual([
      { address: formation.address, reason: 'needs the first release' },
      { address: worker.address, reason: 'worker reason' },
    ]);
  });

  it('rejects duplicate addresses on either side', () => {
    expect(() => diffAll(desiredState([app('s'), app('s')]), liveState([]))).toThrow(
      /two desired resources.*heroku\.app\[s\]/,
    );
    expect(() => diffAll(desiredState([]), liveState([app('s'), app('s')]))).toThrow(/two live resources/);
  });

  describe('references to live values', () => {
    const domainAddress = 'heroku.domain[staging/www.daffeinated.com]';
    const target = () => new Unknown('DNS target', { ref: { address: domainAddress, attribute: 'cname' } });
    const domain = (attributes: Record<string, string>) =>
      aResource('heroku.domain', 'staging', 'www.daffeinated.com', { hostname: 'www.daffeinated.com', ...attributes });
    const record = () => dns('daffeinated.com', 'CNAME', 'www', target(), { dependsOn: [domainAddress] });

    it('fills a reference from a live resource the plan leaves alone, so a converged setup plans empty', () => {
      const desired = desiredState([domain({}), record()]);
      const live = liveState([
        domain({ cname: 'abc.herokudns.com' }),
        dns('daffeinated.com', 'CNAME', 'www', 'abc.herokudns.com'),
      ]);
      expect(diffAll(desired, live).changes).toEqual([]);
    });

    it('fills it with the live value when the record differs', () => {
      const desired = desiredState([domain({}), record()]);
      const live = liveState([
        domain({ cname: 'abc.herokudns.com' }),
        dns('daffeinated.com', 'CNAME', 'www', 'old.example'),
      ]);
      const [change] = diffAll(desired, live).changes;
      expect(change?.diffs).toEqual([
        { attribute: 'content', before: 'old.example', after: 'abc.herokudns.com', sensitive: false },
      ]);
      expect(change?.action === 'update' && change.after.attributes['content']).toBe('abc.herokudns.com');
    });

    it('fills it from an unmanaged live resource', () => {
      const live = liveState([
        domain({ cname: 'abc.herokudns.com' }),
        dns('daffeinated.com', 'CNAME', 'www', 'abc.herokudns.com'),
      ]);
      expect(diffAll(desiredState([record()]), live).changes).toEqual([]);
    });

    it('keeps it unknown when the referenced resource is created', () => {
      const result = diffAll(desiredState([domain({}), record()]), liveState([]));
      const created = result.changes.find((c) => c.kind === 'cloudflare.dns');
      expect(created?.diffs.find((d) => d.attribute === 'content')?.after).toBeInstanceOf(Unknown);
    });

    it('keeps it unknown when the referenced attribute is itself changing', () => {
      const desired = desiredState([domain({ cname: 'new.herokudns.com' }), record()]);
      const live = liveState([
        domain({ cname: 'abc.herokudns.com' }),
        dns('daffeinated.com', 'CNAME', 'www', 'abc.herokudns.com'),
      ]);
      const change = diffAll(desired, live).changes.find((c) => c.kind === 'cloudflare.dns');
      expect(change?.diffs[0]?.after).toBeInstanceOf(Unknown);
    });

    it('fills it when the referenced resource is updated in other attributes', () => {
      const desired = desiredState([domain({ sni: 'on' }), record()]);
      const live = liveState([
        domain({ cname: 'abc.herokudns.com', sni: 'off' }),
        dns('daffeinated.com', 'CNAME', 'www', 'abc.herokudns.com'),
      ]);
      expect(addresses(diffAll(desired, live).changes)).toEqual([domainAddress]);
    });

    it('keeps it unknown when the referenced resource is pruned', () => {
      const desired = desiredState([record()], [prunesKey('heroku.domain', 'staging')]);
      const live = liveState([
        domain({ cname: 'abc.herokudns.com' }),
        dns('daffeinated.com', 'CNAME', 'www', 'abc.herokudns.com'),
      ]);
      const result = diffAll(desired, live);
      expect(result.changes.map((c) => c.action)).toEqual(['update', 'delete']);
      expect(result.changes[0]?.diffs[0]?.after).toBeInstanceOf(Unknown);
    });

    it('follows chains of references until nothing more resolves', () => {
      const c = aResource('heroku.app', 'c', undefined, { y: 'value' });
      const b = aResource('heroku.app', 'b', undefined, {
        x: new Unknown('b.x', { ref: { address: c.address, attribute: 'y' } }),
      });
      const a = aResource('heroku.app', 'a', undefined, {
        w: new Unknown('a.w', { ref: { address: b.address, attribute: 'x' } }),
      });
      const live = liveState([c, { ...b, attributes: { x: 'value' } }, { ...a, attributes: { w: 'value' } }]);
      expect(diffAll(desiredState([a, b, c]), live).changes).toEqual([]);
    });
  });
});
