import { describe, expect, it } from 'vitest';
import { Unknown } from '../../../../src/model/value.js';
import {
  asPlain,
  asValue,
  fromApiRecord,
  normalizeRule,
  recordFields,
  settingsFromApi,
  settingsToApi,
  writableRule,
} from '../../../../src/providers/cloudflare/convert.js';
import { InternalError } from '../../../../src/runtime/errors.js';

const ZONE = 'daffeinated.com';

describe('DNS records', () => {
  it('reads structured SRV and CAA records from their data, and proxied records with ttl 1', () => {
    const srv = fromApiRecord(ZONE, { id: 's', type: 'SRV', name: `_sip._tcp.${ZONE}`, content: '10 5 5060 ignored', data: { priority: 10, weight: 5, port: 5060, target: 'SIP.Example.com.' }, ttl: 300 });
    expect(srv.attributes).toEqual({ type: 'SRV', name: '_sip._tcp', content: '5 5060 sip.example.com', ttl: 300, priority: 10, comment: '' });
    const caa = fromApiRecord(ZONE, { id: 'c', type: 'CAA', name: ZONE, content: '0 issue "letsencrypt.org"', data: { flags: 0, tag: 'issue', value: 'letsencrypt.org' } });
    expect(caa.content).toBe('0 issue letsencrypt.org');
    const proxied = fromApiRecord(ZONE, { id: 'p', type: 'A', name: `www.${ZONE}`, content: '192.0.2.1', proxied: true, ttl: 300, comment: 'x | managed by daffeinated (staging)' });
    expect(proxied).toMatchObject({ owner: 'staging', attributes: { proxied: true, ttl: 1 } });
  });

  it('writes full names, structured data for SRV and CAA, and only the requested fields', () => {
    const srv = { type: 'SRV', name: '_sip._tcp', content: '5 5060 sip.example.com', ttl: 1, priority: 10, comment: 'c' };
    expect(recordFields(ZONE, srv, ['type', 'name', 'content'])).toEqual({
      type: 'SRV',
      name: `_sip._tcp.${ZONE}`,
      data: { priority: 10, weight: 5, port: 5060, target: 'sip.example.com' },
    });
    expect(recordFields(ZONE, { type: 'CAA', name: '@', content: '0 issue letsencrypt.org' }, ['name', 'content'])).toEqual({
      name: ZONE,
      data: { flags: 0, tag: 'issue', value: 'letsencrypt.org' },
    });
    expect(recordFields(ZONE, { type: 'MX', name: '@', content: 'mx', priority: 20, proxied: false }, ['priority', 'proxied'])).toEqual({ priority: 20, proxied: false });
    expect(() => recordFields(ZONE, { type: 'A', name: 'x', color: 'red' }, ['color'])).toThrow(InternalError);
    expect(() => recordFields(ZONE, { type: 'CNAME', name: 'x', content: new Unknown('later') }, ['content'])).toThrow('still unknown');
  });
});

describe('zone settings', () => {
  const listed = [
    { id: 'ssl', value: 'full' },
    { id: 'always_use_https', value: 'on' },
    { id: 'automatic_https_rewrites', value: 'off' },
    { id: 'security_header', value: { strict_transport_security: { enabled: true, max_age: 600, include_subdomains: false, preload: true, nosniff: true } } },
  ];

  it('reads only declared settings, in app.yaml terms', () => {
    expect(settingsFromApi(listed, ['ssl', 'always_use_https', 'automatic_https_rewrites', 'hsts', 'min_tls_version'])).toEqual({
      ssl: 'full',
      always_use_https: true,
      automatic_https_rewrites: false,
      hsts: { enabled: true, max_age: 600, include_subdomains: false, preload: true, nosniff: true },
    });
  });

  it('writes API values in a fixed order, ssl_automatic_mode before ssl', () => {
    const attributes = { hsts: { enabled: true, max_age: 1, include_subdomains: true, preload: false, nosniff: false }, ssl: 'strict', ssl_automatic_mode: 'custom', automatic_https_rewrites: true };
    expect(settingsToApi(attributes, ['hsts', 'ssl', 'ssl_automatic_mode', 'automatic_https_rewrites'])).toEqual([
      { id: 'ssl_automatic_mode', value: 'custom' },
      { id: 'ssl', value: 'strict' },
      { id: 'automatic_https_rewrites', value: 'on' },
      { id: 'security_header', value: { strict_transport_security: { enabled: true, max_age: 1, include_subdomains: true, preload: false, nosniff: false } } },
    ]);
    expect(settingsToApi(attributes, ['ssl'])).toEqual([{ id: 'ssl', value: 'strict' }]);
  });
});

describe('WAF rules', () => {
  it('normalises our rules like desired ones and keeps drift that was made out of band', () => {
    expect(
      normalizeRule({
        id: 'a'.repeat(32),
        ref: 'daffeinated:x',
        action: 'skip',
        expression: 'true',
        version: '3',
        last_updated: 'then',
        logging: { enabled: true },
        action_parameters: { ruleset: 'current' },
      }),
    ).toEqual({ ref: 'daffeinated:x', action: 'skip', expression: 'true', description: '', enabled: true, action_parameters: { ruleset: 'current' } });
    expect(
      normalizeRule({
        ref: 'daffeinated:rl',
        action: 'block',
        expression: 'e',
        enabled: false,
        logging: { enabled: false },
        action_parameters: { version: 'latest' },
        ratelimit: { characteristics: ['ip.src', 'cf.colo.id'], period: 10, counting_expression: 'other', requests_to_origin: true },
      }),
    ).toEqual({
      ref: 'daffeinated:rl',
      action: 'block',
      expression: 'e',
      description: '',
      enabled: false,
      logging: { enabled: false },
      ratelimit: { characteristics: ['cf.colo.id', 'ip.src'], period: 10, counting_expression: 'other', requests_to_origin: true },
    });
  });

  it('writes foreign rules back without their read-only fields', () => {
    expect(writableRule({ id: 'i', ref: 'r', action: 'log', version: '1', last_updated: 't', categories: ['c'], logging: { enabled: true } })).toEqual({
      id: 'i',
      ref: 'r',
      action: 'log',
      logging: { enabled: true },
    });
  });

  it('converts between API JSON and values, refusing to send an unknown', () => {
    expect(asValue({ a: [1, 'x', null, { b: undefined, c: true }], d: undefined })).toEqual({ a: [1, 'x', null, { c: true }] });
    expect(asValue(() => 1)).toBeNull();
    expect(asPlain({ list: [1, { x: 'y' }] })).toEqual({ list: [1, { x: 'y' }] });
    expect(() => asPlain([new Unknown('known after apply')])).toThrow(InternalError);
  });
});
