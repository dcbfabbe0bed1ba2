import { json } from '../../http.js';
import {
  ADDON_SERVICES,
  type AddonPlan,
  type AddonService,
  ALL_PLANS,
  findPlan,
  findService,
  serviceOf,
} from '../model/addon-catalog.js';
import { CATALOGUE_TIME, entry, GENERATIONS } from '../model/catalog.js';
import type { HerokuRouter } from '../protocol/context.js';
import { notFound } from '../protocol/errors.js';
import { paginate, type RangeKey } from '../protocol/range.js';

/** The add-on catalogue: `GET /addon-services[/{service}[/plans[/{plan}]]]` and `GET /plans/{plan}`. */
export function addonServiceJson(service: AddonService): Record<string, unknown> {
  return {
    cli_plugin_name: null,
    created_at: CATALOGUE_TIME,
    human_name: service.humanName,
    id: service.id,
    name: service.name,
    state: 'ga',
    supported_generations: service.generations.map((name) => {
      const generation = entry(GENERATIONS, name);
      return { id: generation.id, name: generation.name };
    }),
    supports_multiple_installations: service.supportsMultipleInstallations,
    supports_sharing: service.supportsSharing,
    updated_at: CATALOGUE_TIME,
  };
}

export function planJson(plan: AddonPlan): Record<string, unknown> {
  const service = serviceOf(plan);
  return {
    addon_service: { id: service.id, name: service.name },
    compliance: null,
    created_at: CATALOGUE_TIME,
    default: plan.default,
    description: `${service.humanName} ${plan.humanName}`,
    human_name: plan.humanName,
    id: plan.id,
    installable_inside_private_network: false,
    installable_outside_private_network: true,
    name: plan.name,
    price: { cents: plan.cents, contract: false, unit: 'month' },
    space_default: false,
    state: 'public',
    updated_at: CATALOGUE_TIME,
    visible: true,
  };
}

const SERVICE_RANGES: readonly RangeKey<AddonService>[] = [
  { name: 'id', value: (s) => s.id },
  { name: 'name', value: (s) => s.name },
];
const PLAN_RANGES: readonly RangeKey<AddonPlan>[] = [
  { name: 'id', value: (p) => p.id },
  { name: 'name', value: (p) => p.name },
];

function service(identity: string): AddonService {
  const found = findService(identity);
  if (found === undefined) throw notFound('add-on service');
  return found;
}

export function registerAddonServices(router: HerokuRouter): void {
  router.add('GET', '/addon-services', {
    handler: (ctx) => paginate(ADDON_SERVICES, SERVICE_RANGES, ctx.range, addonServiceJson),
  });
  router.add('GET', '/addon-services/:service', {
    handler: (ctx) => json(200, addonServiceJson(service(ctx.params['service'] as string))),
  });
  router.add('GET', '/addon-services/:service/plans', {
    handler: (ctx) => paginate(service(ctx.params['service'] as string).plans, PLAN_RANGES, ctx.range, planJson),
  });
  router.add('GET', '/addon-services/:service/plans/:plan', {
    handler: (ctx) => {
      const plan = findPlan(ctx.params['plan'] as string, service(ctx.params['service'] as string));
      if (plan === undefined) throw notFound('add-on plan');
      return json(200, planJson(plan));
    },
  });
  router.add('GET', '/plans/:plan', {
    handler: (ctx) => {
      const identity = ctx.params['plan'] as string;
      const plan = ALL_PLANS.find((p) => p.id === identity.toLowerCase() || p.name === identity.toLowerCase());
      if (plan === undefined) throw notFound('add-on plan');
      return json(200, planJson(plan));
    },
  });
}
