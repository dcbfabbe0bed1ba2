import { describe, expect, it } from 'vitest';
import { heroku, useSandbox } from '../helpers/sandbox.js';

// `GET /client/v11/databases/{id}` as the official CLI reads it: `pg:backups:capture` and
// `pg:backups:schedule` call it first, take a 404 for "not yet provisioned" and warn when the
// `info` entry `Continuous Protection` says On; `pg:info` prints `info` as name/values rows. Its
// database resolver lists attachments with `Accept-Inclusion: addon:plan,config_vars` and reads
// `addon.plan.name` and `config_vars`.
interface DatabaseInfo {
  addon_id: string;
  name: string;
  info: { name: string; values: string[] }[];
}

describe('Heroku Postgres database info against the sandbox', () => {
  const sandbox = useSandbox({ seed: 23, heroku: { addonProvisionMs: 0 } });

  async function database(app: string, plan: string): Promise<{ id: string; name: string }> {
    await heroku(sandbox(), 'POST', '/apps', { body: { name: app } });
    const created = await heroku<{ id: string; name: string }>(sandbox(), 'POST', `/apps/${app}/addons`, {
      body: { plan },
    });
    expect(created.status).toBe(201);
    return created.body;
  }

  const value = (body: DatabaseInfo, name: string) => body.info.find((entry) => entry.name === name)?.values;

  it('describes a provisioned database by add-on id or name, Standard with Continuous Protection on', async () => {
    const addon = await database('pg-info-standard', 'heroku-postgresql:standard-0');
    for (const identity of [addon.id, addon.name]) {
      const { status, body } = await heroku<DatabaseInfo>(sandbox(), 'GET', `/client/v11/databases/${identity}`);
      expect(status).toBe(200);
      expect(body).toMatchObject({ addon_id: addon.id, name: addon.name });
      expect(value(body, 'Plan')).toEqual(['Standard 0']);
      expect(value(body, 'Continuous Protection')).toEqual(['On']);
      // pg:info appends these two rows itself; from the API they would print twice.
      expect(value(body, 'Add-on')).toBeUndefined();
      expect(value(body, 'Billing App')).toBeUndefined();
      for (const entry of body.info) expect(entry.values.every((v) => typeof v === 'string')).toBe(true);
    }
  });

  it('says Continuous Protection is off on the Essential tier', async () => {
    const addon = await database('pg-info-essential', 'heroku-postgresql:essential-0');
    const { body } = await heroku<DatabaseInfo>(sandbox(), 'GET', `/client/v11/databases/${addon.id}`);
    expect(value(body, 'Plan')).toEqual(['Essential 0']);
    expect(value(body, 'Continuous Protection')).toEqual(['Off']);
  });

  it('answers 404 not_found for an unknown id and for an add-on that is not Heroku Postgres', async () => {
    const unknown = await heroku<{ id: string }>(sandbox(), 'GET', '/client/v11/databases/no-such-database');
    expect(unknown.status).toBe(404);
    expect(unknown.body.id).toBe('not_found');
    const relic = await database('pg-info-other', 'newrelic:wayne');
    expect((await heroku(sandbox(), 'GET', `/client/v11/databases/${relic.id}`)).status).toBe(404);
  });

  it('includes the plan and config vars in attachments only when Accept-Inclusion asks', async () => {
    const addon = await database('pg-info-attachments', 'heroku-postgresql:standard-0');
    type Attachment = { name: string; addon: { id: string; plan?: { name: string } }; config_vars?: string[] };
    const path = '/apps/pg-info-attachments/addon-attachments';
    const plain = await heroku<Attachment[]>(sandbox(), 'GET', path);
    expect(plain.body[0]?.addon.plan).toBeUndefined();
    expect(plain.body[0]?.config_vars).toBeUndefined();
    const included = await heroku<Attachment[]>(sandbox(), 'GET', path, {
      headers: { 'Accept-Inclusion': 'addon:plan,config_vars' },
    });
    expect(included.body).toEqual([
      expect.objectContaining({
        name: 'DATABASE',
        addon: expect.objectContaining({
          id: addon.id,
          plan: expect.objectContaining({ name: 'heroku-postgresql:standard-0' }),
        }),
        config_vars: ['DATABASE_URL'],
      }),
    ]);
  });
});
