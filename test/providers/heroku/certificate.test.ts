import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { apiDomain } from './fixtures.js';
import { context, create, FakeHeroku, provider, resource } from './support.js';

afterEach(() => {
  nock.cleanAll();
});

// A domain's `certificate` step (providers/heroku/certificate.ts): bounded, with progress, and an
// error that names the domain, its ACM status and what to check.
const domain = resource('heroku.domain', ['staging', 'www.demo.example'], { hostname: 'www.demo.example', certificate: 'issued' });
const path = '/apps/demo-staging/domains/www.demo.example';

describe('the certificate step of a domain', () => {
  it('polls the domain until ACM says `cert issued`, with progress', async () => {
    const statuses = ['pending', 'pending', 'cert issued'];
    const fake = new FakeHeroku().on('GET', path, () => [200, apiDomain('www.demo.example', { acm_status: statuses.shift() as string })], 3);
    const progress: string[] = [];
    const result = await provider().apply([create(domain)], { ...context(progress), step: 'certificate' });
    fake.done();
    expect(result.applied).toEqual([domain.address]);
    expect(progress).toContain(`${domain.address}: waiting for the ACM certificate of www.demo.example (acm_status pending)`);
    expect(progress.at(-1)).toBe(`${domain.address}: certificate issued for www.demo.example`);
    expect(result.outputs.get(domain.address)).toEqual({ hostname: 'www.demo.example', cname: 'www-x1y2.herokudns.com', certificate: 'issued' });
  });

  it('gives up after its bound, naming the domain, its ACM status and what to check', async () => {
    const failing = apiDomain('www.demo.example', { acm_status: 'pending', acm_status_reason: null });
    const fake = new FakeHeroku().reply('GET', path, 200, failing, 100);
    const result = await provider().apply([create(domain)], { ...context(), step: 'certificate' });
    expect(fake.unmatched).toEqual([]);
    const error = result.failed[0]?.error;
    expect(error?.message).toBe('The ACM certificate of www.demo.example was not issued within 10 s (acm_status pending)');
    expect(error?.hint).toContain('www.demo.example is a DNS-only (grey cloud) CNAME to www-x1y2.herokudns.com');
    expect(error?.hint).toContain('run apply again: the record stays DNS-only until the certificate is issued');
  });
});
