import { beforeEach, describe, expect, it } from 'vitest';
import { cloudflare, createRecord, zoneId } from '../../helpers/cloudflare.js';
import { useSandbox } from '../../helpers/sandbox.js';

type Rec = { id: string; name: string; type: string; content: string; ttl: number; proxied: boolean };

describe('Cloudflare DNS record listing', () => {
  const sandbox = useSandbox({ seed: 25, zones: ['example.com:pro'] });
  const list = async (query = '') =>
    cloudflare<Rec[]>(sandbox(), 'GET', `/zones/${zoneId(sandbox(), 'example.com')}/dns_records${query}`);
  const names = async (query: string) => (await list(query)).body.result.map((r) => `${r.type} ${r.name} ${r.content}`);

  describe('filters and order', () => {
    beforeEach(async () => {
      const zone = zoneId(sandbox(), 'example.com');
      for (const record of [
        {
          type: 'CNAME',
          name: 'www',
          content: 'app.herokudns.com',
          proxied: true,
          comment: 'managed by daffeinated (production)',
          tags: ['env:prod'],
        },
        {
          type: 'CNAME',
          name: 'staging',
          content: 'stg.herokudns.com',
          comment: 'managed by daffeinated (staging)',
          tags: ['env:staging'],
        },
        { type: 'A', name: 'origin', content: '192.0.2.10', ttl: 600, tags: ['team:ops'] },
        { type: 'MX', name: '@', content: 'mx1.mail.example', priority: 10, comment: 'Mail' },
        { type: 'TXT', name: '@', content: 'v=spf1 include:_spf.mail.example ~all' },
      ]) {
        await createRecord(sandbox(), zone, record);
      }
    });

    it('orders by type, then name, by default; by any field and direction on request', async () => {
      expect(await names('')).toEqual([
        'A origin.example.com 192.0.2.10',
        'CNAME staging.example.com stg.herokudns.com',
        'CNAME www.example.com app.herokudns.com',
        'MX example.com mx1.mail.example',
        'TXT example.com v=spf1 include:_spf.mail.example ~all',
      ]);
      expect((await list('?order=ttl&direction=desc')).body.result.map((r) => r.ttl)).toEqual([600, 1, 1, 1, 1]);
      expect((await list('?order=proxied&direction=desc')).body.result[0]?.name).toBe('www.example.com');
      expect((await list('?order=name')).body.result.map((r) => r.name)[0]).toBe('example.com');
      for (const bad of [
        'order=size',
        'direction=sideways',
        'match=most',
        'type=BOGUS',
        'proxied=maybe',
        'tag_match=x',
      ]) {
        expect((await list(`?${bad}`)).status, bad).toBe(400);
      }
    });

    it('filters by type, name and content, exactly or with operators, case-insensitively', async () => {
      expect(await names('?type=CNAME&name=WWW.example.com')).toEqual(['CNAME www.example.com app.herokudns.com']);
      expect(await names('?name=www')).toEqual([]);
      expect(await names('?name.exact=www.example.com')).toHaveLength(1);
      expect(await names('?name.startswith=st')).toEqual(['CNAME staging.example.com stg.herokudns.com']);
      expect(await names('?name.endswith=example.com&type=TXT')).toHaveLength(1);
      expect(await names('?content.contains=HEROKUDNS')).toHaveLength(2);
      expect(await names('?content=192.0.2.10')).toEqual(['A origin.example.com 192.0.2.10']);
      expect(await names('?proxied=true')).toEqual(['CNAME www.example.com app.herokudns.com']);
      expect(await names('?proxied=false')).toHaveLength(4);
    });

    it('filters by comment, tags and free text; match=any ORs the filters', async () => {
      expect(await names('?comment.present=1')).toHaveLength(3);
      expect(await names('?comment.absent=1')).toEqual([
        'A origin.example.com 192.0.2.10',
        'TXT example.com v=spf1 include:_spf.mail.example ~all',
      ]);
      expect(await names('?comment.endswith=(staging)')).toEqual(['CNAME staging.example.com stg.herokudns.com']);
      expect(await names('?comment=mail')).toEqual(['MX example.com mx1.mail.example']);
      expect(await names('?comment.contains=daffeinated')).toHaveLength(2);
      expect(await names('?tag=env:prod')).toEqual(['CNAME www.example.com app.herokudns.com']);
      expect(await names('?tag=env')).toHaveLength(2);
      expect(await names('?tag.present=team')).toEqual(['A origin.example.com 192.0.2.10']);
      expect(await names('?tag.absent=env')).toHaveLength(3);
      expect(await names('?tag.startswith=env:stag')).toHaveLength(1);
      expect(await names('?tag.exact=env:prod&tag.exact=team:ops')).toEqual([]);
      expect(await names('?tag.exact=env:prod&tag.exact=team:ops&tag_match=any')).toHaveLength(2);
      expect(await names('?search=spf')).toEqual(['TXT example.com v=spf1 include:_spf.mail.example ~all']);
      expect(await names('?type=A&proxied=true')).toEqual([]);
      expect(await names('?type=A&proxied=true&match=any')).toEqual([
        'A origin.example.com 192.0.2.10',
        'CNAME www.example.com app.herokudns.com',
      ]);
    });
  });

  describe('pages', () => {
    it('pages 100 by default, answers an empty result past the last page, caps per_page at 5,000,000', async () => {
      const zone = sandbox().state().cloudflare.zones[0];
      if (zone === undefined) throw new Error('no zone');
      // Seeded through the batch endpoint: 230 records in two calls.
      const posts = Array.from({ length: 230 }, (_, i) => ({
        type: 'A',
        name: `h${String(i).padStart(3, '0')}`,
        content: '192.0.2.1',
      }));
      for (const chunk of [posts.slice(0, 150), posts.slice(150)]) {
        const res = await cloudflare(sandbox(), 'POST', `/zones/${zone.id}/dns_records/batch`, {
          body: { posts: chunk },
        });
        expect(res.status).toBe(200);
      }
      const first = await list();
      expect(first.body.result).toHaveLength(100);
      expect(first.body.result_info).toEqual({ page: 1, per_page: 100, count: 100, total_count: 230, total_pages: 3 });
      const third = await list('?page=3');
      expect(third.body.result.map((r) => r.name)).toEqual(
        Array.from({ length: 30 }, (_, i) => `h${200 + i}.example.com`),
      );
      const past = await list('?page=4');
      expect([past.status, past.body.result, past.body.result_info?.['count']]).toEqual([200, [], 0]);
      expect((await list('?per_page=5000000')).body.result_info).toMatchObject({ per_page: 5_000_000, total_pages: 1 });
      expect((await list('?per_page=5000001')).body.result_info).toMatchObject({ per_page: 5_000_000 });
      expect((await list('?per_page=0')).status).toBe(400);
    });
  });
});
