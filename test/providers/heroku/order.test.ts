import { describe, expect, it } from 'vitest';
import { executionGroups } from '../../../src/engine/groups.js';
import type { Change } from '../../../src/engine/types.js';
import { herokuOrdering } from '../../../src/providers/heroku/order.js';
import { create, remove, resource } from './support.js';

const app = (environment: string) => resource('heroku.app', [environment], { name: `demo-${environment}` });
const live = (environment: string) => ({ dependsOn: [`heroku.app[${environment}]`] });

describe('herokuOrdering', () => {
  it('declares nothing for creates and updates but the formation batch: dependsOn orders them', () => {
    const changes = [
      create(app('staging')),
      create(resource('heroku.config', ['staging'], { A: 'b' }, live('staging'))),
      create(resource('heroku.formation', ['staging', 'web'], { quantity: 1, size: 'basic' }, live('staging'))),
    ];
    expect(herokuOrdering(changes)).toEqual({
      batches: [
        { step: { address: 'heroku.formation[staging/web]' }, key: { key: 'staging formation', deletes: 'apart' } },
      ],
      steps: [],
      edges: [],
    });
  });

  it('chains each environment’s deletes: scaled down, uncoupled, the app’s parts, then the app and the pipeline', () => {
    const deletes = [
      remove(app('staging')),
      remove(resource('heroku.pipeline', ['staging'], { name: 'pipe' })),
      remove(resource('heroku.addon', ['staging', 'db'], {}, live('staging'))),
      remove(resource('heroku.config', ['staging'], { A: 'b' })),
      remove(resource('heroku.formation', ['staging', 'web'], { quantity: 1, size: 'basic' })),
      remove(resource('heroku.drain', ['production', 'logs'], {}, live('production'))),
      remove(app('production')),
    ];
    const cloudflare: Change = {
      ...remove(resource('heroku.app', ['x'], {})),
      provider: 'cloudflare',
      kind: 'cloudflare.dns',
      address: 'cloudflare.dns[z/A/x]',
    };
    const ordering = herokuOrdering([...deletes, cloudflare]);
    const groups = executionGroups([...deletes, cloudflare], ordering);
    // Another provider's changes get no edge; each environment's chain skips the ranks it lacks.
    expect(groups.map((g) => [g.changes.map((c) => c.address).join(), g.after])).toEqual([
      ['cloudflare.dns[z/A/x]', []],
      ['heroku.drain[production/logs]', []],
      ['heroku.formation[staging/web]', []],
      ['heroku.addon[staging/db]', [2]],
      ['heroku.app[production]', [1]],
      ['heroku.config[staging]', [2]],
      ['heroku.app[staging]', [3, 5]],
      ['heroku.pipeline[staging]', [3, 5]],
    ]);
  });
});
