import { describe, expect, it } from 'vitest';
import { ownershipComment } from '../../../../src/providers/cloudflare/dns-names.js';
import type { Resource } from '../../../../src/model/resource.js';
import { Unknown, type Value } from '../../../../src/model/value.js';
import { fromApiRecord } from '../../../../src/providers/cloudflare/convert.js';
import { assignRecords } from '../../../../src/providers/cloudflare/records.js';

const ZONE = 'daffeinated.com';
const live = (id: string, type: string, name: string, content: string, owner?: string) =>
  fromApiRecord(ZONE, { id, type, name: name === '@' ? ZONE : `${name}.${ZONE}`, content, ...(owner ? { comment: ownershipComment(owner) } : {}) });
const desired = (address: string, scope: string, attributes: Record<string, Value>): Resource => ({
  address: `cloudflare.dns[${ZONE}/${address}]`,
  provider: 'cloudflare',
  kind: 'cloudflare.dns',
  scope,
  attributes,
  sensitive: [],
});
const both = { zone: ZONE, planned: new Set(['staging', 'production']), ownerPlanned: true };
const summary = (resources: Resource[]) => resources.map((r) => `${r.scope} ${r.address}`).sort();

describe('assignRecords', () => {
  it('matches content within a group of declared records and keeps the rest apart by content', () => {
    const records = [live('1', 'MX', '@', 'mx1.mail.example'), live('2', 'MX', '@', 'mx2.mail.example'), live('3', 'MX', '@', 'mx3.mail.example', 'production')];
    const wanted = [
      desired('MX/@#mx1.mail.example', 'production', { type: 'MX', name: '@', content: 'mx1.mail.example' }),
      desired('MX/@#mx2.mail.example', 'production', { type: 'MX', name: '@', content: 'mx2.mail.example' }),
    ];
    expect(summary(assignRecords(both, records, wanted))).toEqual([
      'production cloudflare.dns[daffeinated.com/MX/@#mx1.mail.example]',
      'production cloudflare.dns[daffeinated.com/MX/@#mx2.mail.example]',
      'production cloudflare.dns[daffeinated.com/MX/@#mx3.mail.example]',
    ]);
  });

  it('lets a declared CNAME take over a hand-made one, but never a hand-made TXT with other content', () => {
    const records = [live('c', 'CNAME', 'www', 'old.example'), live('t', 'TXT', '@', 'verification=1')];
    const wanted = [
      desired('CNAME/www', 'production', { type: 'CNAME', name: 'www', content: new Unknown('known after apply') }),
      desired('TXT/@', 'production', { type: 'TXT', name: '@', content: 'v=spf1 -all' }),
    ];
    const resources = assignRecords(both, records, wanted);
    expect(summary(resources)).toEqual(['daffeinated.com cloudflare.dns[daffeinated.com/TXT/@#verification=1]', 'production cloudflare.dns[daffeinated.com/CNAME/www]']);
    expect(resources.find((r) => r.address.includes('CNAME'))?.attributes['content']).toBe('old.example');
  });

  it('prefers a record marked for the same environment when a single declared record changed content', () => {
    const records = [live('a', 'A', 'api', '192.0.2.1', 'staging'), live('b', 'A', 'api', '192.0.2.2', 'production')];
    const wanted = [desired('A/api', 'production', { type: 'A', name: 'api', content: '192.0.2.3' })];
    const resources = assignRecords(both, records, wanted);
    expect(resources.find((r) => r.address.endsWith('A/api]'))?.attributes['content']).toBe('192.0.2.2');
    expect(summary(resources)).toContain('staging cloudflare.dns[daffeinated.com/A/api#192.0.2.1]');
  });

  it('leaves out records of environments not planned, and foreign records unless the owner is planned', () => {
    const records = [live('s', 'CNAME', 'staging', 't.example', 'staging'), live('f', 'A', 'legacy', '192.0.2.9'), live('p', 'A', 'x', '192.0.2.8', 'preview')];
    expect(assignRecords({ zone: ZONE, planned: new Set(['production']), ownerPlanned: false }, records, [])).toEqual([]);
    expect(summary(assignRecords({ zone: ZONE, planned: new Set(['production']), ownerPlanned: true }, records, []))).toEqual([
      'daffeinated.com cloudflare.dns[daffeinated.com/A/legacy]',
    ]);
  });

  it('keeps addresses unique when two live records differ only in case', () => {
    const records = [live('1', 'CNAME', 'dup', 'A.example'), live('2', 'CNAME', 'dup', 'a.example')];
    expect(summary(assignRecords(both, records, []))).toEqual([
      'daffeinated.com cloudflare.dns[daffeinated.com/CNAME/dup#a.example (2)]',
      'daffeinated.com cloudflare.dns[daffeinated.com/CNAME/dup#a.example]',
    ]);
  });

  it('takes over the lowest content first, and numbers identical contents by id', () => {
    const records = [live('a', 'A', 'api', '192.0.2.5', 'production'), live('b', 'A', 'api', '192.0.2.4', 'production')];
    const wanted = [desired('A/api', 'production', { type: 'A', name: 'api', content: '192.0.2.3' })];
    const resources = assignRecords(both, records, wanted);
    expect(resources.find((r) => r.address.endsWith('A/api]'))?.attributes['content']).toBe('192.0.2.4');
    expect(summary(resources)).toEqual(['production cloudflare.dns[daffeinated.com/A/api#192.0.2.5]', 'production cloudflare.dns[daffeinated.com/A/api]']);
    const twins = [
      fromApiRecord(ZONE, { id: '9', type: 'TXT', name: ZONE, content: 'same', ttl: 900 }),
      fromApiRecord(ZONE, { id: '1', type: 'TXT', name: ZONE, content: 'same', ttl: 300 }),
    ];
    expect(assignRecords(both, twins, []).map((r) => [r.address, r.attributes['ttl']])).toEqual([
      ['cloudflare.dns[daffeinated.com/TXT/@#same]', 300],
      ['cloudflare.dns[daffeinated.com/TXT/@#same (9)]', 900],
    ]);
  });

  it('takes over a record marked for another environment before leaving it undeclared', () => {
    const records = [live('u', 'A', 'api', '192.0.2.1'), live('s', 'A', 'api', '192.0.2.2', 'staging')];
    const wanted = [desired('A/api', 'production', { type: 'A', name: 'api', content: '192.0.2.3' })];
    const resources = assignRecords(both, records, wanted);
    expect(resources.find((r) => r.address.endsWith('A/api]'))).toMatchObject({ scope: 'production', attributes: { content: '192.0.2.2' } });
    expect(summary(resources)).toEqual(['daffeinated.com cloudflare.dns[daffeinated.com/A/api#192.0.2.1]', 'production cloudflare.dns[daffeinated.com/A/api]']);
  });

  it('never lets a declared record of a group (an address with content) take over another record', () => {
    const records = [live('o', 'MX', '@', 'mx-old.example', 'production')];
    const wanted = [
      desired('MX/@#mx1.example', 'production', { type: 'MX', name: '@', content: 'mx1.example' }),
      desired('MX/@#mx2.example', 'production', { type: 'MX', name: '@', content: 'mx2.example' }),
    ];
    expect(summary(assignRecords(both, records, wanted))).toEqual(['production cloudflare.dns[daffeinated.com/MX/@#mx-old.example]']);
  });

  it('adopts an unmarked record in place when its comment is the declared one, and only then', () => {
    const declared = ownershipComment('production', 'mail');
    const wanted = [desired('TXT/@', 'production', { type: 'TXT', name: '@', content: 'v=spf1 -all', comment: declared })];
    const plain = fromApiRecord(ZONE, { id: 't', type: 'TXT', name: ZONE, content: 'v=spf1 -all', comment: 'mail' });
    expect(assignRecords(both, [plain], wanted)[0]?.attributes['comment']).toBe(declared);
    const other = fromApiRecord(ZONE, { id: 't', type: 'TXT', name: ZONE, content: 'v=spf1 -all', comment: 'hand-made' });
    expect(assignRecords(both, [other], wanted)[0]?.attributes['comment']).toBe('hand-made');
    const bare = fromApiRecord(ZONE, { id: 't', type: 'TXT', name: ZONE, content: 'v=spf1 -all' });
    const noComment = [desired('TXT/@', 'production', { type: 'TXT', name: '@', content: 'v=spf1 -all', comment: ownershipComment('production') })];
    expect(assignRecords(both, [bare], noComment)[0]?.attributes['comment']).toBe(ownershipComment('production'));
    const marked = live('m', 'TXT', '@', 'v=spf1 -all', 'staging');
    expect(assignRecords(both, [marked], wanted)[0]?.attributes['comment']).toBe(ownershipComment('staging'));
  });
});

