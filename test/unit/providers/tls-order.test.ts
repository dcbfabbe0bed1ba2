import { describe, expect, it } from 'vitest';
import { diffResource } from '../../../src/engine/diff.js';
import { executionGroups } from '../../../src/engine/groups.js';
import type { Change, Ordering } from '../../../src/engine/types.js';
import { awaitsCertificate } from '../../../src/model/certificate.js';
import type { Resource } from '../../../src/model/resource.js';
import { tlsOrdering } from '../../../src/providers/cloudflare/tls-order.js';
import { herokuOrdering } from '../../../src/providers/heroku/order.js';
import { aResource, app, dns } from '../engine/builders.js';

// The sequence that keeps Let's Encrypt's HTTP-01 validation reachable and Full (strict) from
// answering 526: Heroku domain → CNAME DNS-only → certificate issued → CNAME proxied (and the
// zone's SSL mode `strict` only after the certificate).
const create = (resource: Resource): Change => diffResource(resource, undefined) as Change;
const update = (after: Resource, before: Resource): Change => diffResource(after, before) as Change;

const appS = app('staging');
const domain = (certificate: string | undefined, extra: Partial<Resource> = {}) =>
  aResource('heroku.domain', 'staging', 'www.daffeinated.com', { hostname: 'www.daffeinated.com', ...(certificate ? { certificate } : {}) }, { dependsOn: [appS.address], ...extra });
const record = () =>
  dns('daffeinated.com', 'CNAME', 'www', 'target.herokudns.com', { dependsOn: [domain(undefined).address] });
const withProxied = (resource: Resource, proxied: boolean): Resource => ({ ...resource, attributes: { ...resource.attributes, proxied } });
const mx = dns('daffeinated.com', 'MX', '@', 'mx1.mail.example');
const settings = (ssl: string) => aResource('cloudflare.settings', 'daffeinated.com', undefined, { ssl });

function ordering(changes: readonly Change[]): Ordering {
  const heroku = herokuOrdering(changes);
  const cloudflare = tlsOrdering(changes);
  return {
    steps: [...(heroku.steps ?? []), ...(cloudflare.steps ?? [])],
    edges: [...(heroku.edges ?? []), ...(cloudflare.edges ?? [])],
    batches: [
      ...changes.filter((c) => c.kind === 'cloudflare.dns').map((c) => ({ step: { address: c.address }, key: { key: 'dns daffeinated.com', deletes: 'first' as const } })),
      ...(cloudflare.batches ?? []),
    ],
  };
}

const shape = (changes: readonly Change[]) =>
  executionGroups(changes, ordering(changes)).map((g) => `${g.changes.map((c) => c.address).join(' + ')}${g.step ? ` #${g.step}` : ''}`);

describe('awaitsCertificate', () => {
  it('holds for a domain created, replaced or updated to a certificate not issued yet, never for a delete', () => {
    expect(awaitsCertificate(create(domain('issued')))).toBe(true);
    expect(awaitsCertificate(create(domain(undefined)))).toBe(false);
    expect(awaitsCertificate(update(domain('issued'), domain('pending')))).toBe(true);
    expect(awaitsCertificate(update(domain('issued'), domain('failing')))).toBe(true);
    expect(awaitsCertificate(diffResource(undefined, domain('issued')) as Change)).toBe(false);
    expect(awaitsCertificate(create(withProxied(record(), true)))).toBe(false);
  });
});

describe('the TLS sequence across the Heroku and Cloudflare orderings', () => {
  it('a new proxied domain: domain, DNS-only with the zone, certificate, then proxied; strict after the certificate', () => {
    const changes = [create(appS), create(domain('issued')), create(withProxied(record(), true)), create(mx), update(settings('strict'), settings('full'))];
    expect(shape(changes)).toEqual([
      'heroku.app[staging]',
      'heroku.domain[staging/www.daffeinated.com]',
      'cloudflare.dns[daffeinated.com/MX/@] + cloudflare.dns[daffeinated.com/CNAME/www]',
      'heroku.domain[staging/www.daffeinated.com] #certificate',
      'cloudflare.dns[daffeinated.com/CNAME/www] #proxied',
      'cloudflare.settings[daffeinated.com]',
    ]);
  });

  it('resumes after a crash between DNS-only and proxied: the wait, then the record turned proxied', () => {
    const changes = [update(domain('issued'), domain('pending')), update(withProxied(record(), true), withProxied(record(), false))];
    expect(shape(changes)).toEqual([
      'heroku.domain[staging/www.daffeinated.com]',
      'cloudflare.dns[daffeinated.com/CNAME/www]',
      'heroku.domain[staging/www.daffeinated.com] #certificate',
      'cloudflare.dns[daffeinated.com/CNAME/www] #proxied',
    ]);
  });

  it('adds nothing when the certificate is issued already, the record is DNS-only, or ACM is not asked for', () => {
    const issued = [update(withProxied(record(), true), withProxied(record(), false))];
    expect(shape(issued)).toEqual(['cloudflare.dns[daffeinated.com/CNAME/www]']);
    const dnsOnly = [create(domain('issued')), create(withProxied(record(), false))];
    expect(tlsOrdering(dnsOnly)).toEqual({ steps: [], edges: [], batches: [] });
    const noAcm = [create(domain(undefined)), create(withProxied(record(), true)), update(settings('strict'), settings('full'))];
    expect(herokuOrdering(noAcm).steps).toEqual([]);
    expect(tlsOrdering(noAcm)).toEqual({});
  });

  it('leaves a zone already strict, and domains of other zones, out of the settings edge', () => {
    const other = aResource('heroku.domain', 'staging', 'shop.example.org', { hostname: 'shop.example.org', certificate: 'issued' }, { dependsOn: [appS.address] });
    const changes = [create(other), update(settings('strict'), settings('full'))];
    expect(tlsOrdering(changes).edges).toEqual([]);
    const already = [create(domain('issued')), update({ ...settings('strict'), attributes: { ssl: 'strict', min_tls_version: '1.2' } }, settings('strict'))];
    expect(tlsOrdering(already).edges).toEqual([]);
  });
});
