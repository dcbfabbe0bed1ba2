import { isoSeconds } from '../../ids.js';
import type { TimedWork } from './work.js';

/** A new custom domain's DNS target becomes `succeeded` `domainMs` after it was added (api/domains.ts). */
export const domainTargets: TimedWork = {
  scope: 'app',
  name: 'domain DNS targets',
  *due(_world, app) {
    for (const domain of app.domains) {
      if (domain.status === 'pending' && domain.statusDueMs !== null) {
        const at = domain.statusDueMs;
        yield {
          at,
          run: () => {
            domain.status = 'succeeded';
            domain.statusDueMs = null;
            domain.updatedAt = isoSeconds(new Date(at));
          },
        };
      }
    }
  },
};
