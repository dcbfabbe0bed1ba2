import { describe, expect, it } from 'vitest';
import {
  canonicalHostname,
  isHostname,
  isRecordName,
  recordContentProblem,
  relativeRecordName,
  zoneOf,
} from '../../../src/config/hostname.js';

describe('canonicalHostname', () => {
  it('lower-cases and drops one trailing dot', () => {
    expect(canonicalHostname('WWW.Example.COM.')).toBe('www.example.com');
    expect(canonicalHostname('example.com')).toBe('example.com');
  });
});

describe('isHostname', () => {
  it.each(['example.com', 'www.example.com.', 'A-1.b2.example', 'xn--caf-dma.example', `${'a'.repeat(63)}.com`])(
    'accepts %s',
    (name) => {
      expect(isHostname(name)).toBe(true);
    },
  );

  it.each([
    'localhost',
    '-www.example.com',
    'www-.example.com',
    'exa mple.com',
    'under_score.example.com',
    'example.123',
    '',
    '.',
    `${'a'.repeat(64)}.com`,
    `${'abcdefghi.'.repeat(26)}com`,
    '*.example.com',
  ])('rejects %j', (name) => {
    expect(isHostname(name)).toBe(false);
  });

  it('accepts a leading wildcard label only when asked', () => {
    expect(isHostname('*.example.com', { wildcard: true })).toBe(true);
    expect(isHostname('www.*.example.com', { wildcard: true })).toBe(false);
  });
});

describe('relativeRecordName', () => {
  it('makes names relative to the zone and the apex @', () => {
    expect(relativeRecordName('@', 'example.com')).toBe('@');
    expect(relativeRecordName('Example.com.', 'example.com')).toBe('@');
    expect(relativeRecordName('www.example.com', 'example.com')).toBe('www');
    expect(relativeRecordName('WWW', 'example.com')).toBe('www');
    expect(relativeRecordName('notexample.com', 'example.com')).toBe('notexample.com');
  });
});

describe('isRecordName', () => {
  it.each(['@', '*', 'www', '_dmarc', '_sip._tcp', '*.dev', 'a.b.c', 'WWW.'])('accepts %s', (name) => {
    expect(isRecordName(name)).toBe(true);
  });

  it.each(['', 'a..b', '-a', 'a b', '*.*', `${'a'.repeat(64)}`])('rejects %j', (name) => {
    expect(isRecordName(name)).toBe(false);
  });
});

describe('zoneOf', () => {
  const zones = ['example.com', 'api.example.com', 'other.org'];
  it('picks the most specific zone containing the host', () => {
    expect(zoneOf('example.com', zones)).toBe('example.com');
    expect(zoneOf('www.example.com', zones)).toBe('example.com');
    expect(zoneOf('v1.api.example.com', zones)).toBe('api.example.com');
    expect(zoneOf('api.example.com', ['api.example.com', 'example.com'])).toBe('api.example.com');
    expect(zoneOf('notexample.com', zones)).toBeUndefined();
  });
});

describe('recordContentProblem', () => {
  it.each([
    ['A', '192.0.2.1', undefined],
    ['A', '300.1.1.1', '"300.1.1.1" is not an IPv4 address'],
    ['AAAA', '2001:db8::1', undefined],
    ['AAAA', '192.0.2.1', '"192.0.2.1" is not an IPv6 address'],
    ['CNAME', 'target.example.com.', undefined],
    ['MX', 'not a host', '"not a host" is not a hostname'],
    ['NS', 'ns1.example.net', undefined],
    ['TXT', 'anything at all', undefined],
    ['CAA', ' ', 'content must not be empty'],
  ])('%s %j', (type, content, problem) => {
    expect(recordContentProblem(type, content)).toBe(problem);
  });
});
