import { describe, expect, it } from 'vitest';
import type { LiveState } from '../../../src/engine/types.js';
import type { Resource } from '../../../src/model/resource.js';
import { postgresPlanChanges } from '../../../src/providers/heroku/catalogue.js';
import { resource } from './support.js';

// Dev Center "Changing the Plan or Infrastructure of a Heroku Postgres Database".
describe('Postgres plan changes', () => {
  const db = (plan: string): Resource =>
    resource('heroku.addon', ['production', 'database'], { service: 'heroku-postgresql', plan });
  const declared = (plan: string): Resource => ({
    ...db(plan),
    attributeSources: { plan: { file: 'app.yaml', line: 40, col: 23 } },
  });
  const live = (plan: string): LiveState => ({ resources: [db(plan)], deferred: [], diagnostics: [] });

  it('lets Essential plans change in place among themselves, silently', () => {
    expect(
      postgresPlanChanges([declared('heroku-postgresql:essential-2')], live('heroku-postgresql:essential-0')),
    ).toEqual([]);
  });

  it('warns that a change among the other tiers is slow and ends in a short outage', () => {
    expect(
      postgresPlanChanges([declared('heroku-postgresql:premium-0')], live('heroku-postgresql:standard-0')),
    ).toEqual([
      expect.objectContaining({
        severity: 'warning',
        line: 40,
        message: expect.stringContaining(
          'up to several hours to prepare, then the database is unavailable for under a minute',
        ),
      }),
    ]);
  });

  it('refuses crossing the Essential boundary either way, at the plan line, with the copy procedure', () => {
    for (const [from, to] of [
      ['heroku-postgresql:essential-0', 'heroku-postgresql:standard-0'],
      ['heroku-postgresql:standard-0', 'heroku-postgresql:essential-1'],
    ] as const) {
      const [refusal] = postgresPlanChanges([declared(to)], live(from));
      expect(refusal).toMatchObject({ severity: 'error', file: 'app.yaml', line: 40, col: 23 });
      expect(refusal?.message).toContain(`Heroku cannot change ${from} to ${to} in place`);
      expect(refusal?.hint).toContain('heroku pg:copy DATABASE_URL');
    }
  });

  it('ignores other services and add-ons that do not exist yet', () => {
    const redis = resource('heroku.addon', ['production', 'database'], { plan: 'heroku-redis:premium-0' });
    expect(postgresPlanChanges([redis], live('heroku-redis:mini'))).toEqual([]);
    expect(
      postgresPlanChanges([declared('heroku-postgresql:standard-0')], { resources: [], deferred: [], diagnostics: [] }),
    ).toEqual([]);
  });
});
