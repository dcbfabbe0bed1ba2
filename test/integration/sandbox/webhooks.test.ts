import { describe, expect, it } from 'vitest';
import type { Json } from '../../helpers/heroku.js';
import { createApp, heroku, useSandbox } from '../../helpers/sandbox.js';

describe('app webhooks and the drain cap', () => {
  const sandbox = useSandbox({ seed: 23 });

  // Platform API schema `app-webhook`; Dev Center "App Webhooks" and "Limits" (10 per app).
  it('creates, lists, reads, updates and deletes webhooks, at most 10 per app', async () => {
    await createApp(sandbox(), 'hook-app');
    const body = (n: number) => ({ url: `https://hooks.example.com/${n}`, include: ['api:release'], level: 'notify' });
    const created = await heroku<Json>(sandbox(), 'POST', '/apps/hook-app/webhooks', { body: body(0) });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ include: ['api:release'], level: 'notify', url: 'https://hooks.example.com/0' });
    const id = created.body['id'] as string;
    expect((await heroku<Json>(sandbox(), 'GET', `/apps/hook-app/webhooks/${id}`)).body['id']).toBe(id);
    const patched = await heroku<Json>(sandbox(), 'PATCH', `/apps/hook-app/webhooks/${id}`, { body: { level: 'sync' } });
    expect(patched.body['level']).toBe('sync');
    for (let n = 1; n < 10; n++)
      expect((await heroku(sandbox(), 'POST', '/apps/hook-app/webhooks', { body: body(n) })).status).toBe(201);
    const eleventh = await heroku<Json>(sandbox(), 'POST', '/apps/hook-app/webhooks', { body: body(10) });
    expect(eleventh).toMatchObject({ status: 422, body: { id: 'invalid_params' } });
    expect((await heroku<Json[]>(sandbox(), 'GET', '/apps/hook-app/webhooks')).body).toHaveLength(10);
    expect((await heroku(sandbox(), 'DELETE', `/apps/hook-app/webhooks/${id}`)).status).toBe(200);
    expect((await heroku(sandbox(), 'GET', `/apps/hook-app/webhooks/${id}`)).status).toBe(404);
  });

  it('refuses a webhook without entities, with an unknown entity or level, or with a URL that is not http(s)', async () => {
    await createApp(sandbox(), 'hook-strict');
    for (const body of [
      { url: 'https://h.example.com', include: [], level: 'notify' },
      { url: 'https://h.example.com', include: ['api:everything'], level: 'notify' },
      { url: 'https://h.example.com', include: ['api:app'], level: 'often' },
      { url: 'syslog://h.example.com', include: ['api:app'], level: 'notify' },
    ]) {
      const res = await heroku<Json>(sandbox(), 'POST', '/apps/hook-strict/webhooks', { body });
      expect(res.status, JSON.stringify(body)).toBe(422);
    }
    expect((await heroku<Json[]>(sandbox(), 'GET', '/apps/hook-strict/webhooks')).body).toEqual([]);
  });

  // Dev Center "Limits": 5 log drains per Cedar app; heroku/logplex answers 422 with this wording.
  it('caps log drains at 5 per app', async () => {
    await createApp(sandbox(), 'drain-cap');
    for (let n = 0; n < 5; n++) {
      const url = `syslog+tls://logs.example.com:${6000 + n}`;
      expect((await heroku(sandbox(), 'POST', '/apps/drain-cap/log-drains', { body: { url } })).status).toBe(201);
    }
    const sixth = await heroku<Json>(sandbox(), 'POST', '/apps/drain-cap/log-drains', {
      body: { url: 'syslog+tls://logs.example.com:7000' },
    });
    expect(sixth).toMatchObject({
      status: 422,
      body: { message: 'You have already added the maximum number of drains allowed' },
    });
  });
});
