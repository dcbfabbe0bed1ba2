import { stableUuid, UUID_PATTERN } from '../../ids.js';

/**
 * The add-on services and plans the sandbox offers: the ones daffeinated provisions. Prices are
 * cents per month from Heroku's public pricing pages (Elements marketplace), APPROXIMATE: they
 * change, and Heroku now bills data plans by the hour up to that monthly cap. Ids are stable UUIDs
 * derived from the names (the same in every sandbox), not Heroku's real ones.
 */
export interface AddonService {
  readonly id: string;
  readonly name: string;
  readonly humanName: string;
  /** Provisioned asynchronously by the provider (`provisioning` first, vars set when done). */
  readonly async: boolean;
  readonly supportsMultipleInstallations: boolean;
  readonly supportsSharing: boolean;
  /** Supported generations (both Cedar and Fir for Heroku's own data services). */
  readonly generations: readonly string[];
  readonly plans: readonly AddonPlan[];
}

export interface AddonPlan {
  readonly id: string;
  /** Full `service:plan` name. */
  readonly name: string;
  /** The part after the colon, e.g. `essential-0`. */
  readonly slug: string;
  readonly humanName: string;
  readonly cents: number;
  readonly default: boolean;
  readonly serviceName: string;
}

type PlanRow = readonly [slug: string, humanName: string, cents: number];

function service(
  name: string,
  humanName: string,
  traits: { async: boolean; multiple: boolean; sharing: boolean; generations: readonly string[] },
  defaultPlan: string,
  rows: readonly PlanRow[],
): AddonService {
  return {
    id: stableUuid('addon-service', name),
    name,
    humanName,
    async: traits.async,
    supportsMultipleInstallations: traits.multiple,
    supportsSharing: traits.sharing,
    generations: traits.generations,
    plans: rows.map(([slug, human, cents]) => ({
      id: stableUuid('plan', `${name}:${slug}`),
      name: `${name}:${slug}`,
      slug,
      humanName: human,
      cents,
      default: slug === defaultPlan,
      serviceName: name,
    })),
  };
}

const DATA = { async: true, multiple: true, sharing: true, generations: ['cedar', 'fir'] } as const;
const SINGLE = { async: false, multiple: false, sharing: false, generations: ['cedar'] } as const;

export const ADDON_SERVICES: readonly AddonService[] = [
  service('heroku-postgresql', 'Heroku Postgres', DATA, 'essential-0', [
    ['essential-0', 'Essential 0', 500],
    ['essential-1', 'Essential 1', 900],
    ['essential-2', 'Essential 2', 2000],
    ['standard-0', 'Standard 0', 5000],
    ['standard-2', 'Standard 2', 20000],
    ['standard-3', 'Standard 3', 40000],
    ['standard-4', 'Standard 4', 75000],
    ['standard-5', 'Standard 5', 140000],
    ['standard-6', 'Standard 6', 200000],
    ['standard-7', 'Standard 7', 350000],
    ['premium-0', 'Premium 0', 20000],
    ['premium-2', 'Premium 2', 35000],
    ['premium-3', 'Premium 3', 75000],
    ['premium-4', 'Premium 4', 120000],
    ['premium-5', 'Premium 5', 250000],
    ['premium-6', 'Premium 6', 350000],
    ['premium-7', 'Premium 7', 600000],
  ]),
  service('heroku-redis', 'Heroku Key-Value Store', DATA, 'mini', [
    ['mini', 'Mini', 300],
    ['premium-0', 'Premium 0', 1500],
    ['premium-1', 'Premium 1', 3000],
    ['premium-2', 'Premium 2', 6000],
    ['premium-3', 'Premium 3', 12000],
    ['premium-5', 'Premium 5', 20000],
    ['premium-7', 'Premium 7', 75000],
    ['premium-9', 'Premium 9', 145000],
  ]),
  service('newrelic', 'New Relic APM', SINGLE, 'wayne', [
    ['wayne', 'Wayne', 0],
    ['hawke', 'Hawke', 9900],
  ]),
  service('scheduler', 'Heroku Scheduler', SINGLE, 'standard', [['standard', 'Standard', 0]]),
];

export const ALL_PLANS: readonly AddonPlan[] = ADDON_SERVICES.flatMap((s) => s.plans);

/** A service by id or name. */
export function findService(identity: string): AddonService | undefined {
  const wanted = identity.toLowerCase();
  return ADDON_SERVICES.find((s) => s.id === wanted || s.name === wanted);
}

/**
 * A plan by id, `service:plan`, or (with `service`) the bare plan slug; a bare service name means
 * its default plan, as `heroku addons:create heroku-postgresql` relies on.
 */
export function findPlan(identity: string, service?: AddonService): AddonPlan | undefined {
  const wanted = identity.toLowerCase();
  if (UUID_PATTERN.test(wanted)) return (service?.plans ?? ALL_PLANS).find((p) => p.id === wanted);
  if (service !== undefined) return service.plans.find((p) => p.name === wanted || p.slug === wanted);
  if (wanted.includes(':')) return ALL_PLANS.find((p) => p.name === wanted);
  return findService(wanted)?.plans.find((p) => p.default);
}

export function serviceOf(plan: AddonPlan): AddonService {
  return findService(plan.serviceName) as AddonService;
}
