import { describe, expect, it } from 'vitest';
import { cloudflare, createRecord, zoneId } from '../../helpers/cloudflare.js';
import { admin, useSandbox } from '../../helpers/sandbox.js';

type Rec = Record<string, unknown>;
type BatchResult = Record<'deletes' | 'patches' | 'puts' | 'posts', Rec[]>;

describe('Cloudflare DNS batch', () => {
  const sandbox = useSandbox({ seed: 26, zones: ['example.com'] });
  const zone = () => zoneId(sandbox(), 'example.com');
  const batch = (body: unknown) =>
    cloudflare<BatchResult>(sandbox(), 'POST', `/zones/${zone()}/dns_records/batch`, { body });
  const contents = async () =>
    (await cloudflare<Rec[]>(sandbox(), 'GET', `/zones/${zone()}/dns_records`)).body.result.map(
      (r) => `${r['type']} ${r['name']} ${r['content']}${r['comment'] === undefined ? '' : ` #${r['comment']}`}`,
    );

  it('runs deletes, then patches, then puts, then posts, whatever order the body lists them in', async () => {
    const a = await createRecord(sandbox(), zone(), { type: 'A', name: 'www', content: '192.0.2.1' });
    const txt = await createRecord(sandbox(), zone(), { type: 'TXT', name: 'www', content: 'x' });
    const mx = await createRecord(sandbox(), zone(), {
      type: 'MX',
      name: '@',
      content: 'mx1.mail.example',
      priority: 10,
    });
    // The CNAME post only fits once both records at www are gone: the delete and the put (moving
    // the TXT away) must run first although they are listed last.
    const res = await batch({
      posts: [{ type: 'CNAME', name: 'www', content: 'app.herokudns.com', proxied: true }],
      puts: [{ id: txt['id'], type: 'TXT', name: 'moved', content: 'x' }],
      patches: [{ id: mx['id'], comment: 'patched' }],
      deletes: [{ id: a['id'] }],
    });
    expect(res.status).toBe(200);
    expect(res.body.result.deletes.map((r) => r['id'])).toEqual([a['id']]);
    expect(res.body.result.patches[0]).toMatchObject({ id: mx['id'], comment: 'patched', content: 'mx1.mail.example' });
    expect(res.body.result.puts[0]).toMatchObject({ id: txt['id'], name: 'moved.example.com' });
    expect(res.body.result.posts[0]).toMatchObject({ type: 'CNAME', name: 'www.example.com', ttl: 1, proxied: true });
    expect(await contents()).toEqual([
      'CNAME www.example.com app.herokudns.com',
      'MX example.com mx1.mail.example #patched',
      'TXT moved.example.com x',
    ]);
  });

  it('is one transaction: a failing item changes nothing, not even the id sequence, and is named', async () => {
    const a = await createRecord(sandbox(), zone(), { type: 'A', name: 'www', content: '192.0.2.1' });
    const before = await contents();
    const counter = sandbox().state().rng.counter;
    const res = await batch({
      deletes: [{ id: a['id'] }],
      posts: [
        { type: 'TXT', name: 'ok', content: 'fine' },
        { type: 'A', name: 'bad', content: '300.1.1.1' },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      success: false,
      errors: [
        { code: 9005, message: 'Content for A record must be a valid IPv4 address.', source: { pointer: '/posts/1' } },
      ],
      messages: [],
      result: null,
    });
    expect(await contents()).toEqual(before);
    // The id the failed batch drew for its first post will be handed out again.
    expect(sandbox().state().rng.counter).toBe(counter);
  });

  it('reports conflicts and unknown ids with the failing operation', async () => {
    const a = await createRecord(sandbox(), zone(), { type: 'A', name: 'www', content: '192.0.2.1' });
    const conflict = await batch({ posts: [{ type: 'CNAME', name: 'www', content: 'app.herokudns.com' }] });
    expect(conflict.body.errors[0]).toMatchObject({ code: 81053, source: { pointer: '/posts/0' } });
    const missing = await batch({ patches: [{ id: 'f'.repeat(32), ttl: 300 }] });
    expect([missing.status, missing.body.errors]).toEqual([
      404,
      [{ code: 81044, message: 'Record does not exist.', source: { pointer: '/patches/0' } }],
    ]);
    const twice = await batch({ deletes: [{ id: a['id'] }, { id: a['id'] }] });
    expect(twice.body.errors[0]).toMatchObject({ code: 81044, source: { pointer: '/deletes/1' } });
    const malformed = await batch({ puts: [{ id: 'nope', type: 'A', name: 'x', content: '192.0.2.1' }] });
    expect(malformed.body.errors[0]).toMatchObject({ code: 7003, source: { pointer: '/puts/0' } });
    expect(await contents()).toEqual(['A www.example.com 192.0.2.1']);
  });

  it('answers all four lists, accepts an empty batch, refuses a group that is not a list', async () => {
    const empty = await batch({});
    expect(empty.body.result).toEqual({ deletes: [], patches: [], puts: [], posts: [] });
    const bad = await batch({ posts: { type: 'A' } });
    expect([bad.status, bad.body.errors[0]?.code]).toEqual([400, 1004]);
  });

  it("holds at most the plan's batch size: 200 on Free, 3,500 on paid plans", async () => {
    const posts = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ type: 'TXT', name: `t${i}`, content: `v${i}` }));
    const tooMany = await batch({ posts: posts(150), deletes: Array.from({ length: 51 }, () => ({ id: 'x' })) });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors[0]?.message).toBe(
      "A batch may hold at most 200 operations on this zone's plan; this one has 201.",
    );
    expect((await batch({ posts: posts(200) })).status).toBe(200);
    await admin(sandbox(), 'POST', '/zones', { name: 'example.com', plan: 'pro' });
    const paid = await batch({ posts: posts(1000).map((p) => ({ ...p, name: `p-${p.name}` })) });
    expect(paid.status).toBe(200);
    expect(paid.body.result.posts).toHaveLength(1000);
  });
});
