import { describe, expect, it } from 'vitest';
import { diffResource } from '../../../src/engine/diff.js';
import type { Change } from '../../../src/engine/types.js';
import type { Resource } from '../../../src/model/resource.js';
import { Unknown } from '../../../src/model/value.js';
import { dnsForStep } from '../../../src/providers/cloudflare/dns-steps.js';
import { certificateOf, withCertificate } from '../../../src/providers/heroku/convert-kinds.js';
import type { ApplyContext } from '../../../src/providers/provider.js';
import { aResource, dns } from '../engine/builders.js';

const cname = (proxied: boolean, content: Resource['attributes'][string] = 'target.herokudns.com') =>
  ({ ...dns('daffeinated.com', 'CNAME', 'www', content), attributes: { type: 'CNAME', name: 'www', content, proxied, ttl: 1 } }) as Resource;
const address = cname(true).address;
const reporter = { info() {}, warn() {}, progress() {} };
const context = (extra: Partial<ApplyContext>): ApplyContext => ({ reporter, outputs: new Map(), ...extra });
const later = new Map([[address, ['proxied']]]);

describe('dnsForStep: a record with a later proxied step', () => {
  it('is created DNS-only in its first step, and left alone by a first step with nothing else to write', () => {
    const created = dnsForStep([diffResource(cname(true, new Unknown('known after apply')), undefined) as Change], context({ later }))[0];
    expect(created?.action === 'create' && created.after.attributes['proxied']).toBe(false);
    const onlyProxied = dnsForStep([diffResource(cname(true), cname(false)) as Change], context({ later }))[0];
    expect(onlyProxied?.diffs).toEqual([]);
    const wasProxied = dnsForStep([diffResource(cname(true, 'new.herokudns.com'), cname(true, 'old.herokudns.com')) as Change], context({ later }))[0];
    expect(wasProxied?.diffs.map((d) => [d.attribute, d.before, d.after])).toEqual([['content', 'old.herokudns.com', 'new.herokudns.com']]);
    expect(wasProxied?.action === 'update' && wasProxied.after.attributes['proxied']).toBe(false);
  });

  it('is turned proxied in its proxied step, as an update from what the first step wrote', () => {
    const written = { type: 'CNAME', name: 'www', content: 'target.herokudns.com', proxied: false, ttl: 1 };
    const step = dnsForStep([diffResource(cname(true, new Unknown('known after apply')), undefined) as Change], context({ step: 'proxied', outputs: new Map([[address, written]]) }))[0];
    expect(step?.action).toBe('update');
    expect(step?.diffs).toEqual([{ attribute: 'proxied', before: false, after: true, sensitive: false }]);
    expect(step?.action === 'update' && step.before.attributes['content']).toBe('target.herokudns.com');
  });

  it('leaves records without later steps as planned, and refuses a step it does not know', () => {
    const plain = diffResource(cname(true), undefined) as Change;
    expect(dnsForStep([plain], context({}))).toEqual([plain]);
    expect(() => dnsForStep([plain], context({ step: 'certificate' }))).toThrow('the Cloudflare provider has no DNS step certificate');
  });
});

describe("a domain's certificate as read", () => {
  it('is issued for `cert issued` and `ok`, else the status itself, `none` while ACM is off', () => {
    expect(['cert issued', 'ok', 'pending', 'failing', null].map(certificateOf)).toEqual(['issued', 'issued', 'pending', 'failing', 'none']);
  });

  it('is read only for domains that declare one, so no other domain ever drifts on it', () => {
    const live = aResource('heroku.domain', 'staging', 'www.daffeinated.com', { hostname: 'www.daffeinated.com' });
    const api = { acm_status: 'pending' } as Parameters<typeof withCertificate>[1];
    expect(withCertificate(live, api, []).attributes).toEqual({ hostname: 'www.daffeinated.com' });
    const wanting = { ...live, attributes: { ...live.attributes, certificate: 'issued' } };
    expect(withCertificate(live, api, [wanting]).attributes).toEqual({ hostname: 'www.daffeinated.com', certificate: 'pending' });
  });
});
