import { describe, expect, it } from 'vitest';
import { cloudflare, createRecord, zoneId } from '../../helpers/cloudflare.js';
import { useSandbox } from '../../helpers/sandbox.js';

type Rec = Record<string, unknown>;
const DOCS =
  'For more details, refer to <https://developers.cloudflare.com/dns/manage-dns-records/troubleshooting/records-with-same-name/>.';

describe('Cloudflare DNS record conflicts', () => {
  const sandbox = useSandbox({ seed: 24, zones: ['example.com'] });
  const zone = () => zoneId(sandbox(), 'example.com');
  const add = (record: Rec) => createRecord(sandbox(), zone(), record);
  const attempt = async (record: Rec) => {
    const res = await cloudflare(sandbox(), 'POST', `/zones/${zone()}/dns_records`, { body: record });
    return res.status === 200 ? 'created' : [res.status, res.body.errors[0]?.code, res.body.errors[0]?.message];
  };

  it('refuses an identical record with 81058, but not one differing in content or priority', async () => {
    await add({ type: 'A', name: 'www', content: '192.0.2.1' });
    await add({ type: 'MX', name: '@', content: 'mx1.mail.example', priority: 10 });
    await add({ type: 'TXT', name: '@', content: 'Hello' });
    const identical = [400, 81058, 'An identical record already exists.'];
    expect(await attempt({ type: 'A', name: 'WWW.example.com.', content: '192.0.2.1', ttl: 300 })).toEqual(identical);
    expect(await attempt({ type: 'MX', name: '@', content: 'MX1.mail.example', priority: 10 })).toEqual(identical);
    expect(await attempt({ type: 'TXT', name: '@', content: 'Hello' })).toEqual(identical);
    expect(await attempt({ type: 'A', name: 'www', content: '192.0.2.2' })).toBe('created');
    expect(await attempt({ type: 'MX', name: '@', content: 'mx1.mail.example', priority: 20 })).toBe('created');
    expect(await attempt({ type: 'TXT', name: '@', content: 'hello' })).toBe('created');
  });

  it('keeps a CNAME alone at its name: 81053 for the CNAME, 81054 for anything next to one', async () => {
    await add({ type: 'A', name: 'a', content: '192.0.2.1' });
    await add({ type: 'TXT', name: 't', content: 'x' });
    await add({ type: 'CNAME', name: 'c', content: 'target.example.net' });
    expect(await attempt({ type: 'CNAME', name: 'a', content: 'x.example.net' })).toEqual([
      400,
      81053,
      `An A, AAAA, or CNAME record with that host already exists. ${DOCS}`,
    ]);
    expect(await attempt({ type: 'CNAME', name: 't', content: 'x.example.net' })).toEqual([
      400,
      81053,
      `A record with that host already exists. ${DOCS}`,
    ]);
    const nextToCname = [400, 81054, `A CNAME record with that host already exists. ${DOCS}`];
    expect(await attempt({ type: 'A', name: 'c', content: '192.0.2.1' })).toEqual(nextToCname);
    expect(await attempt({ type: 'TXT', name: 'c', content: 'verification' })).toEqual(nextToCname);
    expect(await attempt({ type: 'CNAME', name: 'c', content: 'other.example.net' })).toEqual([
      400,
      81053,
      `An A, AAAA, or CNAME record with that host already exists. ${DOCS}`,
    ]);
  });

  it('lets a flattened CNAME at the apex live with MX and TXT, but not with A or AAAA', async () => {
    await add({ type: 'MX', name: '@', content: 'mx1.mail.example', priority: 10 });
    await add({ type: 'TXT', name: '@', content: 'v=spf1 -all' });
    expect(await attempt({ type: 'CNAME', name: '@', content: 'example-prod.herokudns.com', proxied: true })).toBe(
      'created',
    );
    expect(await attempt({ type: 'TXT', name: '@', content: 'another' })).toBe('created');
    expect((await attempt({ type: 'A', name: '@', content: '192.0.2.1' }))[1]).toBe(81054);
    expect((await attempt({ type: 'AAAA', name: 'example.com', content: '2001:db8::1' }))[1]).toBe(81054);
  });

  it('keeps an NS delegation to NS and DS records (81054 either way)', async () => {
    await add({ type: 'NS', name: 'sub', content: 'ns1.other.example' });
    expect(await attempt({ type: 'NS', name: 'sub', content: 'ns2.other.example' })).toBe('created');
    expect(await attempt({ type: 'DS', name: 'sub', content: '2371 13 2 1F987CC6583E92DF0890718C42' })).toBe('created');
    expect(await attempt({ type: 'A', name: 'sub', content: '192.0.2.1' })).toEqual([
      400,
      81054,
      `An NS record with that host already exists. ${DOCS}`,
    ]);
    await add({ type: 'TXT', name: 'busy', content: 'x' });
    expect(await attempt({ type: 'NS', name: 'busy', content: 'ns1.other.example' })).toEqual([
      400,
      81054,
      `An NS record cannot share its name with records of other types. ${DOCS}`,
    ]);
  });

  it('checks updates too, never against the record itself', async () => {
    const a = await add({ type: 'A', name: 'app', content: '192.0.2.1' });
    const b = await add({ type: 'A', name: 'app', content: '192.0.2.2' });
    const path = (record: Rec) => `/zones/${zone()}/dns_records/${record['id']}`;
    const self = await cloudflare(sandbox(), 'PUT', path(a), {
      body: { type: 'A', name: 'app', content: '192.0.2.1', ttl: 600 },
    });
    expect(self.status).toBe(200);
    const clash = await cloudflare(sandbox(), 'PATCH', path(a), { body: { content: '192.0.2.2' } });
    expect(clash.body.errors[0]?.code).toBe(81058);
    const toCname = await cloudflare(sandbox(), 'PATCH', path(b), {
      body: { type: 'CNAME', content: 'app.herokudns.com' },
    });
    expect([toCname.status, toCname.body.errors[0]?.code]).toEqual([400, 81053]);
    const records = await cloudflare<Rec[]>(sandbox(), 'GET', `/zones/${zone()}/dns_records`);
    expect(records.body.result.map((r) => [r['type'], r['content'], r['ttl']])).toEqual([
      ['A', '192.0.2.1', 600],
      ['A', '192.0.2.2', 1],
    ]);
  });
});
