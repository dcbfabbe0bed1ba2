import { describe, expect, it } from 'vitest';
import type { SandboxHandle } from '../../../src/sandbox/index.js';
import { cloudflare, createRecord, zoneId } from '../../helpers/cloudflare.js';
import { useSandbox, withSandbox } from '../../helpers/sandbox.js';

type Rec = Record<string, unknown>;

let now = Date.parse('2026-05-01T10:00:00Z');

describe('Cloudflare DNS records', () => {
  const sandbox = useSandbox({
    seed: 23,
    zones: ['example.com', 'corp.example:enterprise'],
    clock: () => new Date(now),
  });
  const records = () => `/zones/${zoneId(sandbox(), 'example.com')}/dns_records`;
  const post = (body: Rec, zone = 'example.com') =>
    cloudflare<Rec>(sandbox(), 'POST', `/zones/${zoneId(sandbox(), zone)}/dns_records`, { body });
  const error = async (body: Rec) => {
    const res = await post(body);
    return [res.status, res.body.errors[0]?.code, res.body.errors[0]?.message];
  };

  describe('normalisation', () => {
    it('stores names full, lower-case and without the trailing dot', async () => {
      const cases: [string, string][] = [
        ['www', 'www.example.com'],
        ['@', 'example.com'],
        ['WWW.Example.COM.', 'www.example.com'],
        ['example.com', 'example.com'],
        ['www.other.org', 'www.other.org.example.com'],
        ['*.apps', '*.apps.example.com'],
        ['_dmarc', '_dmarc.example.com'],
        ['bücher', 'xn--bcher-kva.example.com'],
      ];
      for (const [index, [name, stored]] of cases.entries()) {
        const record = await createRecord(sandbox(), zoneId(sandbox(), 'example.com'), {
          type: 'TXT',
          name,
          content: `t${index}`,
        });
        expect(record['name'], name).toBe(stored);
      }
      for (const name of ['', 'a..b', 'www.*', 'bad name', 'x'.repeat(64)]) {
        expect(await error({ type: 'TXT', name, content: 'x' }), name).toEqual([400, 9002, 'DNS name is invalid.']);
      }
    });

    it('forces ttl 1 on proxied records and says which records are proxiable', async () => {
      const proxied = await post({ type: 'A', name: 'www', content: '192.0.2.1', proxied: true, ttl: 300 });
      expect(proxied.body.result).toMatchObject({ proxied: true, proxiable: true, ttl: 1 });
      const plain = await post({ type: 'A', name: 'origin', content: '192.0.2.1', ttl: 300 });
      expect(plain.body.result).toMatchObject({ proxied: false, proxiable: true, ttl: 300 });
      const txt = await post({ type: 'TXT', name: '@', content: 'v=spf1 -all' });
      expect(txt.body.result).toMatchObject({ proxied: false, proxiable: false, ttl: 1 });
      const internal = await post({ type: 'A', name: 'intranet', content: '10.1.2.3' });
      expect(internal.body.result).toMatchObject({ proxiable: false });
      expect(await error({ type: 'A', name: 'lan', content: '192.168.1.1', proxied: true })).toEqual([
        400,
        9003,
        'Target 192.168.1.1 is not allowed for a proxied record.',
      ]);
      for (const type of ['TXT', 'MX', 'NS']) {
        const body = { type, name: 'p', content: 'p.example.net', priority: 1, proxied: true };
        expect(await error(body), type).toEqual([400, 9004, 'This record type cannot be proxied.']);
      }
    });

    it('canonicalises content: IPv6 compressed, hostnames lower-case, TXT exactly as given', async () => {
      const aaaa = await post({ type: 'AAAA', name: 'v6', content: '2001:DB8:0:0:0:0:0:1' });
      expect(aaaa.body.result['content']).toBe('2001:db8::1');
      const cname = await post({ type: 'CNAME', name: 'app', content: 'Sushi-1234.HerokuDNS.com.' });
      expect(cname.body.result['content']).toBe('sushi-1234.herokudns.com');
      const txt = await post({ type: 'TXT', name: '@', content: '"v=DKIM1; k=rsa"  "p=ABC"' });
      expect(txt.body.result['content']).toBe('"v=DKIM1; k=rsa"  "p=ABC"');
      const mx = await post({ type: 'MX', name: '@', content: 'MX1.Mail.Example.', priority: 10 });
      expect(mx.body.result).toMatchObject({ content: 'mx1.mail.example', priority: 10 });
    });

    it('builds content from data for SRV and CAA', async () => {
      const srv = await post({
        type: 'SRV',
        name: '_sip._tcp',
        data: { priority: 10, weight: 5, port: 5060, target: 'SIP.example.net' },
      });
      expect(srv.body.result).toMatchObject({
        content: '5 5060 sip.example.net',
        priority: 10,
        data: { priority: 10, weight: 5, port: 5060, target: 'sip.example.net' },
      });
      const caa = await post({ type: 'CAA', name: '@', data: { flags: 0, tag: 'issue', value: 'letsencrypt.org' } });
      expect(caa.body.result['content']).toBe('0 issue "letsencrypt.org"');
      expect(await error({ type: 'CAA', name: '@', data: { flags: 0, tag: 'sign', value: 'x' } })).toEqual([
        400,
        9009,
        'Data for CAA record is invalid.',
      ]);
      expect((await error({ type: 'SRV', name: '_x._tcp', content: '1 2 x.example' }))[1]).toBe(9009);
    });

    it('accepts comments, tags and per-record settings, dropping flatten_cname on proxied records', async () => {
      const tagged = await post(
        {
          type: 'CNAME',
          name: 'flat',
          content: 'target.example.net',
          comment: 'managed by daffeinated (production)',
          tags: ['env:prod', 'ENV:staging', 'owner'],
          settings: { flatten_cname: true },
        },
        'corp.example',
      );
      expect(tagged.body.result).toMatchObject({
        comment: 'managed by daffeinated (production)',
        tags: ['env:prod', 'owner'],
        settings: { flatten_cname: true },
        comment_modified_on: '2026-05-01T10:00:00.000000Z',
        tags_modified_on: '2026-05-01T10:00:00.000000Z',
      });
      const proxied = await post({
        type: 'CNAME',
        name: 'edge',
        content: 't.example.net',
        proxied: true,
        settings: { flatten_cname: true },
      });
      expect(proxied.body.result['settings']).toEqual({});
      const bare = await post({ type: 'A', name: 'bare', content: '192.0.2.9' });
      expect(bare.body.result).not.toHaveProperty('comment');
      expect(bare.body.result).not.toHaveProperty('comment_modified_on');
      expect(bare.body.result).toMatchObject({ tags: [], settings: {}, meta: {} });
    });
  });

  // Source: cloudflare-docs src/content/plans/index.json, dns.record_comments and dns.record_tags.
  it('allows comments of 100 characters and no tags on Free, 500 characters and tags on paid plans', async () => {
    const a = (name: string, extra: Rec) => ({ type: 'A', name, content: '192.0.2.1', ...extra });
    expect((await post(a('c100', { comment: 'x'.repeat(100) }))).status).toBe(200);
    expect(await error(a('c101', { comment: 'x'.repeat(101) }))).toEqual([
      400,
      9101,
      "DNS record comment is invalid: it must be text of at most 100 characters without line breaks on this zone's plan.",
    ]);
    expect(await error(a('tagged', { tags: ['env:prod'] }))).toEqual([
      400,
      9102,
      "DNS record tags are not available on this zone's plan.",
    ]);
    expect((await post(a('c500', { comment: 'x'.repeat(500) }), 'corp.example')).status).toBe(200);
    expect((await post(a('c501', { comment: 'x'.repeat(501) }), 'corp.example')).status).toBe(400);
  });

  describe('validation', () => {
    it.each([
      [{ type: 'BOGUS', name: 'x', content: 'y' }, 9000],
      [{ name: 'x', content: 'y' }, 9000],
      [{ type: 'A', name: 'x', content: '999.1.1.1' }, 9005],
      [{ type: 'A', name: 'x', content: 'example.com' }, 9005],
      [{ type: 'AAAA', name: 'x', content: '192.0.2.1' }, 9006],
      [{ type: 'CNAME', name: 'x', content: 'not a host' }, 9007],
      [{ type: 'TXT', name: 'x', content: '' }, 9007],
      [{ type: 'MX', name: 'x', content: 'mx.example.net' }, 9008],
      [{ type: 'MX', name: 'x', content: 'mx.example.net', priority: 70000 }, 9008],
      [{ type: 'A', name: 'x', content: '192.0.2.1', ttl: 30 }, 9021],
      [{ type: 'A', name: 'x', content: '192.0.2.1', ttl: 86401 }, 9021],
      [{ type: 'A', name: 'x', content: '192.0.2.1', ttl: '300' }, 9021],
      [{ type: 'A', name: 'x', content: '192.0.2.1', comment: 'two\nlines' }, 9101],
      [{ type: 'A', name: 'x', content: '192.0.2.1', tags: ['bad tag'] }, 9102],
      [{ type: 'A', name: 'x', content: '192.0.2.1', settings: { flatten_cname: true } }, 9104],
      [{ type: 'A', name: 'x', content: '192.0.2.1', proxied: 'yes' }, 1004],
    ])('refuses %j with code %i', async (body, code) => {
      const res = await post(body);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ success: false, result: null, errors: [{ code }] });
    });

    it('allows a 30 s TTL on Enterprise zones and ignores unknown fields (as cfcli sends)', async () => {
      const corp = zoneId(sandbox(), 'corp.example');
      const res = await cloudflare<Rec>(sandbox(), 'POST', `/zones/${corp}/dns_records`, {
        body: { type: 'A', name: 'fast', content: '192.0.2.1', ttl: 30, d: 'corp.example', t: 'A' },
      });
      expect(res.body.result).toMatchObject({ ttl: 30, name: 'fast.corp.example' });
    });
  });

  describe('read, overwrite, update, delete', () => {
    it('reads a record; 404 81044 for an unknown one, 400 7003 for a malformed id', async () => {
      const created = await createRecord(sandbox(), zoneId(sandbox(), 'example.com'), {
        type: 'A',
        name: 'r',
        content: '192.0.2.1',
      });
      const read = await cloudflare<Rec>(sandbox(), 'GET', `${records()}/${created['id']}`);
      expect(read.body.result).toEqual(created);
      const unknown = await cloudflare(sandbox(), 'GET', `${records()}/${'0'.repeat(32)}`);
      expect([unknown.status, unknown.body.errors]).toEqual([
        404,
        [{ code: 81044, message: 'Record does not exist.' }],
      ]);
      const malformed = await cloudflare(sandbox(), 'GET', `${records()}/nope`);
      expect([malformed.status, malformed.body.errors[0]?.code]).toEqual([400, 7003]);
    });

    it('PUT replaces the whole record; PATCH changes only what it sends; timestamps follow', async () => {
      const created = await createRecord(sandbox(), zoneId(sandbox(), 'example.com'), {
        type: 'A',
        name: 'web',
        content: '192.0.2.1',
        proxied: true,
        comment: 'keep?',
      });
      now += 60_000;
      const put = await cloudflare<Rec>(sandbox(), 'PUT', `${records()}/${created['id']}`, {
        body: { type: 'A', name: 'web', content: '192.0.2.2', ttl: 120 },
      });
      expect(put.body.result).toMatchObject({
        id: created['id'],
        content: '192.0.2.2',
        proxied: false,
        ttl: 120,
        created_on: created['created_on'],
      });
      expect(put.body.result).not.toHaveProperty('comment');
      expect(put.body.result['modified_on']).toBe('2026-05-01T10:01:00.000000Z');
      now += 60_000;
      const patched = await cloudflare<Rec>(sandbox(), 'PATCH', `${records()}/${created['id']}`, {
        body: { comment: 'again' },
      });
      expect(patched.body.result).toMatchObject({
        content: '192.0.2.2',
        ttl: 120,
        comment: 'again',
        comment_modified_on: '2026-05-01T10:02:00.000000Z',
      });
      now += 60_000;
      const same = await cloudflare<Rec>(sandbox(), 'PATCH', `${records()}/${created['id']}`, {
        body: { content: '192.0.2.2' },
      });
      expect(same.body.result['modified_on']).toBe('2026-05-01T10:02:00.000000Z');
      const retyped = await cloudflare<Rec>(sandbox(), 'PATCH', `${records()}/${created['id']}`, {
        body: { type: 'CNAME', content: 'web.herokudns.com', proxied: true },
      });
      expect(retyped.body.result).toMatchObject({
        type: 'CNAME',
        name: 'web.example.com',
        content: 'web.herokudns.com',
        ttl: 1,
      });
      const incomplete = await cloudflare(sandbox(), 'PATCH', `${records()}/${created['id']}`, {
        body: { type: 'MX' },
      });
      expect(incomplete.body.errors[0]?.code).toBe(9007);
    });

    it('DELETE answers the id, after which the record is gone', async () => {
      const created = await createRecord(sandbox(), zoneId(sandbox(), 'example.com'), {
        type: 'TXT',
        name: 'gone',
        content: 'x',
      });
      const deleted = await cloudflare(sandbox(), 'DELETE', `${records()}/${created['id']}`);
      expect(deleted.body).toEqual({ success: true, errors: [], messages: [], result: { id: created['id'] } });
      expect((await cloudflare(sandbox(), 'DELETE', `${records()}/${created['id']}`)).status).toBe(404);
      expect(sandbox().state().cloudflare.zones[0]?.records).toEqual([]);
    });
  });

  it('draws record ids from the seed: the same requests give the same ids', async () => {
    const run = (s: SandboxHandle) =>
      createRecord(s, zoneId(s, 'example.com'), { type: 'TXT', name: 'x', content: 'y' });
    const ids = await Promise.all(
      [1, 2].map(() => withSandbox(async (s) => (await run(s))['id'], { seed: 77, zones: ['example.com'] })),
    );
    expect(ids[0]).toMatch(/^[0-9a-f]{32}$/);
    expect(ids[0]).toBe(ids[1]);
  });
});
