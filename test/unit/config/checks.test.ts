import { describe, expect, it } from 'vitest';
import {
  configVarProblems,
  dnsRecordProblems,
  isCalendarDate,
  isDnsTtl,
  isLogDrainUrl,
} from '../../../src/config/checks.js';

describe('isLogDrainUrl', () => {
  it.each([
    ['syslog+tls://logs.example.com:6514', true],
    ['https://logs.example.com/drain?token=x', true],
    ['syslog+tls://logs.example.com', false],
    ['syslog://logs.example.com:514', false],
    ['http://logs.example.com', false],
    ['https://', false],
    ['logs.example.com:6514', false],
    ['not a url', false],
  ])('%s → %s', (url, ok) => {
    expect(isLogDrainUrl(url)).toBe(ok);
  });
});

describe('isCalendarDate', () => {
  it.each([
    ['2030-01-31', true],
    ['2028-02-29', true],
    ['2027-02-29', false],
    ['2030-13-01', false],
    ['2030-1-1', false],
  ])('%s → %s', (date, ok) => {
    expect(isCalendarDate(date)).toBe(ok);
  });
});

describe('isDnsTtl', () => {
  it.each([
    [1, true],
    [60, true],
    [86_400, true],
    [0, false],
    [30, false],
    [86_401, false],
  ])('%i → %s', (ttl, ok) => {
    expect(isDnsTtl(ttl)).toBe(ok);
  });
});

describe('configVarProblems', () => {
  it('accepts exactly one source with its own companion', () => {
    expect(configVarProblems({ value: 'x', sensitive: true })).toEqual([]);
    expect(configVarProblems({ generate: 'secret', bytes: 64 })).toEqual([]);
    expect(configVarProblems({ from_env: 'X', optional: true })).toEqual([]);
  });

  it('refuses none, several, and misplaced companions', () => {
    const hint = 'e.g. {value: "x"}, {generate: secret} or {from_env: VAR}';
    expect(configVarProblems({ sensitive: true })).toEqual([
      { message: 'a config var needs one of value, generate or from_env', hint },
    ]);
    expect(configVarProblems({ value: 'x', from_env: 'X' })).toEqual([
      { message: 'give only one of value, from_env', hint },
    ]);
    expect(configVarProblems({ value: 'x', bytes: 32, optional: false })).toEqual([
      { key: 'bytes', message: '"bytes" only applies together with generate' },
      { key: 'optional', message: '"optional" only applies together with from_env' },
    ]);
    expect(configVarProblems({ from_env: 'X', sensitive: true })).toEqual([
      { key: 'sensitive', message: '"sensitive" only applies together with value' },
    ]);
  });
});

describe('dnsRecordProblems', () => {
  it('accepts well-formed records', () => {
    expect(dnsRecordProblems({ name: '@', type: 'MX', content: 'mx.example.com', priority: 10 })).toEqual([]);
    expect(dnsRecordProblems({ name: 'www', type: 'CNAME', content: 'x.example.com', proxied: true, ttl: 1 })).toEqual(
      [],
    );
    expect(dnsRecordProblems({ name: 'www', type: 'A', content: '192.0.2.1', proxied: false, ttl: 300 })).toEqual([]);
  });

  it('requires a priority for MX and SRV and refuses it elsewhere', () => {
    expect(dnsRecordProblems({ name: '_sip._tcp', type: 'SRV', content: '5 5060 sip.example.com' })).toEqual([
      { message: 'SRV record "_sip._tcp" needs a priority', hint: 'add e.g. `priority: 10`' },
    ]);
    expect(dnsRecordProblems({ name: '@', type: 'TXT', content: 'x', priority: 1 })).toEqual([
      { key: 'priority', message: 'priority does not apply to TXT records' },
    ]);
  });

  it('proxies only A, AAAA and CNAME, always with an automatic TTL', () => {
    expect(dnsRecordProblems({ name: '@', type: 'TXT', content: 'x', proxied: true })).toEqual([
      { key: 'proxied', message: 'TXT records cannot be proxied (only A, AAAA and CNAME)' },
    ]);
    expect(dnsRecordProblems({ name: 'www', type: 'A', content: '192.0.2.1', proxied: true, ttl: 300 })).toEqual([
      { key: 'ttl', message: 'proxied records always have an automatic TTL', hint: 'use ttl: 1 or remove ttl' },
    ]);
  });

  it('checks the content of typed records', () => {
    expect(dnsRecordProblems({ name: 'v6', type: 'AAAA', content: '192.0.2.1' })).toEqual([
      { key: 'content', message: 'AAAA record: "192.0.2.1" is not an IPv6 address' },
    ]);
  });
});
