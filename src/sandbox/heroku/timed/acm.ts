import { isoSeconds } from '../../ids.js';
import type { TimedWork } from './work.js';

/**
 * A domain's ACM certificate is issued `acmMs` after its DNS target is ready (api/acm.ts,
 * api/domains.ts). It waits for the target; if that did not succeed, neither does ACM.
 */
export const acmCertificates: TimedWork = {
  scope: 'app',
  name: 'ACM certificates',
  *due(_world, app) {
    for (const domain of app.domains) {
      if (domain.acmStatus === 'pending' && domain.acmDueMs !== null && domain.status !== 'pending') {
        const at = domain.acmDueMs;
        yield {
          at,
          run: () => {
            const ok = domain.status === 'succeeded';
            domain.acmStatus = ok ? 'ok' : 'failed';
            domain.acmStatusReason = ok ? null : `The DNS target of ${domain.hostname} is ${domain.status}.`;
            domain.acmDueMs = null;
            domain.updatedAt = isoSeconds(new Date(at));
          },
        };
      }
    }
  },
};
