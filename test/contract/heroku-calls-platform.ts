import type { SandboxHandle } from '../../src/sandbox/index.js';
import { createApp, heroku } from '../helpers/sandbox.js';
import type { Call, Ids } from './heroku-schema.js';

/** Add-on lifecycle and catalogue, buildpacks, features, domains, ACM and log drains. */
export async function platformWorld(sandbox: SandboxHandle): Promise<Ids> {
  await createApp(sandbox, 'contract-platform');
  const mini = await heroku<{ id: string; addon_service: { id: string } }>(
    sandbox,
    'GET',
    '/addon-services/heroku-redis/plans/mini',
  );
  const drain = await heroku<{ id: string }>(sandbox, 'POST', '/apps/contract-platform/log-drains', {
    body: { url: 'syslog+tls://logs.contract.example:6514' },
  });
  const webhook = await heroku<{ id: string }>(sandbox, 'POST', '/apps/contract-platform/webhooks', {
    body: { url: 'https://hooks.contract.example/in', include: ['api:release'], level: 'notify' },
  });
  return { planId: mini.body.id, serviceId: mini.body.addon_service.id, drainId: drain.body.id, webhookId: webhook.body.id };
}

export function platformCalls(ids: Ids): Call[] {
  const { planId, serviceId, drainId, webhookId } = ids;
  const app = '/apps/contract-platform';
  // biome-ignore format: one call per line reads as a table
  return [
    { method: 'GET', pattern: '/addon-services', path: '/addon-services', status: 200 },
    { method: 'GET', pattern: '/addon-services/:service', path: `/addon-services/${serviceId}`, status: 200 },
    { method: 'GET', pattern: '/addon-services/:service/plans', path: '/addon-services/heroku-postgresql/plans', status: 200 },
    { method: 'GET', pattern: '/addon-services/:service/plans/:plan', path: '/addon-services/newrelic/plans/wayne', status: 200 },
    { method: 'GET', pattern: '/plans/:plan', path: `/plans/${planId}`, status: 200 },
    { method: 'POST', pattern: '/apps/:app/addons', path: `${app}/addons`, body: { plan: { name: 'heroku-redis:mini' }, name: 'contract-cache', attachment: { name: 'CACHE' }, config: {} }, status: 201 },
    { method: 'POST', pattern: '/apps/:app/addons', path: `${app}/addons`, body: { plan: 'newrelic:wayne' }, status: 201 },
    { method: 'PATCH', pattern: '/apps/:app/addons/:addon', path: `${app}/addons/contract-cache`, body: { plan: 'heroku-redis:premium-0' }, status: 200 },
    { method: 'GET', pattern: '/addon-attachments', path: '/addon-attachments', status: 200 },
    { method: 'GET', pattern: '/apps/:app/addon-attachments', path: `${app}/addon-attachments`, status: 200 },
    { method: 'DELETE', pattern: '/apps/:app/addons/:addon', path: `${app}/addons/contract-cache`, status: 200 },
    { method: 'PUT', pattern: '/apps/:app/buildpack-installations', path: `${app}/buildpack-installations`, body: { updates: [{ buildpack: 'heroku/nodejs' }, { buildpack: 'https://example.com/bp.tgz' }] }, status: 200 },
    { method: 'GET', pattern: '/apps/:app/buildpack-installations', path: `${app}/buildpack-installations`, status: 200 },
    { method: 'GET', pattern: '/apps/:app/features', path: `${app}/features`, status: 200 },
    { method: 'PATCH', pattern: '/apps/:app/features/:feature', path: `${app}/features/preboot`, body: { enabled: true }, status: 200 },
    { method: 'GET', pattern: '/apps/:app/features/:feature', path: `${app}/features/preboot`, status: 200 },
    { method: 'GET', pattern: '/apps/:app/sni-endpoints', path: `${app}/sni-endpoints`, status: 200 },
    { method: 'POST', pattern: '/apps/:app/domains', path: `${app}/domains`, body: { hostname: 'www.contract.example', sni_endpoint: null }, status: 201 },
    { method: 'POST', pattern: '/apps/:app/acm', path: `${app}/acm`, body: {}, status: 200 },
    { method: 'GET', pattern: '/apps/:app/domains', path: `${app}/domains`, status: 200 },
    { method: 'GET', pattern: '/apps/:app/domains/:domain', path: `${app}/domains/www.contract.example`, status: 200 },
    { method: 'PATCH', pattern: '/apps/:app/domains/:domain', path: `${app}/domains/www.contract.example`, body: { sni_endpoint: null }, status: 200 },
    { method: 'PATCH', pattern: '/apps/:app/acm', path: `${app}/acm`, body: { acm_refresh: true }, status: 200 },
    { method: 'DELETE', pattern: '/apps/:app/acm', path: `${app}/acm`, status: 200 },
    { method: 'DELETE', pattern: '/apps/:app/domains/:domain', path: `${app}/domains/www.contract.example`, status: 200 },
    { method: 'POST', pattern: '/apps/:app/log-drains', path: `${app}/log-drains`, body: { url: 'https://logs.contract.example/in' }, status: 201 },
    { method: 'GET', pattern: '/apps/:app/log-drains', path: `${app}/log-drains`, status: 200 },
    { method: 'GET', pattern: '/apps/:app/log-drains/:drain', path: `${app}/log-drains/${drainId}`, status: 200 },
    { method: 'DELETE', pattern: '/apps/:app/log-drains/:drain', path: `${app}/log-drains/${drainId}`, status: 200 },
    { method: 'POST', pattern: '/apps/:app/webhooks', path: `${app}/webhooks`, body: { url: 'https://hooks.contract.example/two', include: ['api:collaborator'], level: 'notify' }, status: 201 },
    { method: 'GET', pattern: '/apps/:app/webhooks', path: `${app}/webhooks`, status: 200 },
    { method: 'GET', pattern: '/apps/:app/webhooks/:webhook', path: `${app}/webhooks/${webhookId}`, status: 200 },
    { method: 'PATCH', pattern: '/apps/:app/webhooks/:webhook', path: `${app}/webhooks/${webhookId}`, body: { level: 'sync' }, status: 200 },
    { method: 'DELETE', pattern: '/apps/:app/webhooks/:webhook', path: `${app}/webhooks/${webhookId}`, status: 200 },
  ];
}
