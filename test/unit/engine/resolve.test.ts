import { describe, expect, it } from 'vitest';
import { diffResource } from '../../../src/engine/diff.js';
import { liveOutputs, resolveUnknowns } from '../../../src/engine/resolve.js';
import type { Change } from '../../../src/engine/types.js';
import { Unknown } from '../../../src/model/value.js';
import { aResource, app, config, dns } from './builders.js';

const DOMAIN = 'heroku.domain[staging/www.daffeinated.com]';
const cname = () => new Unknown('DNS target', { ref: { address: DOMAIN, attribute: 'cname' } });
const outputs = new Map([[DOMAIN, { cname: 'abc.herokudns.com', nothing: undefined as never }]]);

describe('resolveUnknowns', () => {
  it('replaces a referenced Unknown with the output value', () => {
    const record = dns('daffeinated.com', 'CNAME', 'www', cname());
    const resolved = resolveUnknowns(record, outputs);
    expect(resolved.attributes['content']).toBe('abc.herokudns.com');
    expect(resolved).not.toBe(record);
    expect({ ...resolved, attributes: {} }).toEqual({ ...record, attributes: {} });
  });

  it('resolves deeply inside arrays and records', () => {
    const resource = app('s', { list: ['a', cname()], map: { inner: { target: cname() }, keep: 1 } });
    expect(resolveUnknowns(resource, outputs).attributes).toMatchObject({
      list: ['a', 'abc.herokudns.com'],
      map: { inner: { target: 'abc.herokudns.com' }, keep: 1 },
    });
  });

  it('leaves Unknowns without a ref, or whose output is missing, and returns the same object', () => {
    const generated = new Unknown('generated on first apply', { preserveLive: true });
    const missingAddress = new Unknown('x', { ref: { address: 'heroku.domain[other]', attribute: 'cname' } });
    const missingAttribute = new Unknown('x', { ref: { address: DOMAIN, attribute: 'acm_status' } });
    const undefinedOutput = new Unknown('x', { ref: { address: DOMAIN, attribute: 'nothing' } });
    const resource = config('s', {
      SECRET: generated,
      A: missingAddress,
      B: missingAttribute,
      C: undefinedOutput,
      list: [1, [2]],
      map: { k: { n: null } },
    });
    const resolved = resolveUnknowns(resource, outputs);
    expect(resolved).toBe(resource);
    expect(resolved.attributes['SECRET']).toBe(generated);
  });
});

describe('liveOutputs', () => {
  const domain = aResource('heroku.domain', 'staging', 'www.daffeinated.com', {
    cname: 'abc.herokudns.com',
    sni: 'off',
  });
  const appLive = app('staging', { region: 'us', pending: new Unknown('odd') });
  const addonLive = aResource('heroku.addon', 'staging', 'db', { plan: 'p' });
  const live = new Map([domain, appLive, addonLive].map((r) => [r.address, r]));

  it('gives every attribute of resources without a change, except values containing Unknown', () => {
    expect(liveOutputs(live, []).get(appLive.address)).toEqual({ name: 'daff-staging', region: 'us' });
  });

  it('leaves out attributes an update touches', () => {
    const update = diffResource({ ...domain, attributes: { sni: 'on' } }, domain) as Change;
    expect(update.action).toBe('update');
    expect(liveOutputs(live, [update]).get(domain.address)).toEqual({ cname: 'abc.herokudns.com' });
  });

  it('leaves out resources being replaced or deleted', () => {
    const replace = diffResource(
      { ...appLive, attributes: { region: 'eu' }, replaceOn: ['region'] },
      appLive,
    ) as Change;
    const remove = diffResource(undefined, addonLive) as Change;
    expect(replace.action).toBe('replace');
    const result = liveOutputs(live, [replace, remove]);
    expect([...result.keys()]).toEqual([domain.address]);
  });
});
