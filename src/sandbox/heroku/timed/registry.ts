import { acmCertificates } from './acm.js';
import { addonProvisioning } from './addon-provisioning.js';
import { builds } from './builds.js';
import { domainTargets } from './domain-targets.js';
import { scheduledBackups } from './pg-schedules.js';
import { pgTransfers } from './pg-transfers.js';
import { promotions } from './promotions.js';
import { releasePhases } from './release-phase.js';
import type { TimedWork } from './work.js';

/**
 * Every timed behaviour the clock iterates. A new one: a file here exporting a `TimedWork`, listed
 * below. Within an app the order is the tie-break for transitions due at the same millisecond.
 */
export const TIMED_WORK: readonly TimedWork[] = [
  addonProvisioning,
  builds,
  releasePhases,
  domainTargets,
  acmCertificates,
  promotions,
  scheduledBackups,
  pgTransfers,
];
