import type { SandboxHandle } from '../../src/sandbox/index.js';
import { admin, createApp, declareProcessTypes, heroku } from '../helpers/sandbox.js';
import type { Call, Ids } from './heroku-schema.js';

/** Apps, config vars, releases, formation, dyno sizes and add-on reads: the world, then the calls. */
export async function coreWorld(sandbox: SandboxHandle): Promise<Ids> {
  const app = await createApp(sandbox, 'contract-app');
  const appId = app['id'] as string;
  await heroku(sandbox, 'PATCH', '/apps/contract-app/config-vars', { body: { NODE_ENV: 'production' } });
  await declareProcessTypes(sandbox, 'contract-app', { web: 'npm start', worker: 'node worker.js' });
  const addon = await admin<{ id: string }>(sandbox, 'POST', '/apps/contract-app/addons', {
    plan: 'heroku-postgresql:essential-0',
  });
  const addonId = addon.body.id;
  const formation = await heroku<{ id: string }[]>(sandbox, 'GET', '/apps/contract-app/formation');
  const formationId = (formation.body[0] as { id: string }).id;
  const releases = await heroku<{ id: string }[]>(sandbox, 'GET', '/apps/contract-app/releases');
  const releaseId = (releases.body[0] as { id: string }).id;
  const sizes = await heroku<{ id: string }[]>(sandbox, 'GET', '/dyno-sizes');
  const sizeId = (sizes.body[0] as { id: string }).id;
  await createApp(sandbox, 'contract-doomed');
  return { appId, addonId, formationId, releaseId, sizeId };
}

export function coreCalls(ids: Ids): Call[] {
  const { appId, addonId, formationId, releaseId, sizeId } = ids;
  // biome-ignore format: one call per line reads as a table
  return [
    { method: 'GET', pattern: '/account', path: '/account', status: 200 },
    { method: 'GET', pattern: '/account/rate-limits', path: '/account/rate-limits', status: 200 },
    { method: 'GET', pattern: '/users/:account', path: '/users/~', status: 200 },
    { method: 'POST', pattern: '/apps', path: '/apps', body: { name: 'contract-new', region: 'eu', stack: 'heroku-22' }, status: 201 },
    { method: 'POST', pattern: '/teams/apps', path: '/teams/apps', body: { name: 'contract-team-app', team: 'contract-team' }, status: 201 },
    { method: 'GET', pattern: '/apps', path: '/apps', status: 200 },
    { method: 'GET', pattern: '/users/:account/apps', path: '/users/~/apps', status: 200 },
    { method: 'GET', pattern: '/teams/:team/apps', path: '/teams/contract-team/apps', status: 200 },
    { method: 'GET', pattern: '/apps/:app', path: `/apps/${appId}`, status: 200 },
    { method: 'PATCH', pattern: '/apps/:app', path: '/apps/contract-app', body: { maintenance: true, build_stack: 'heroku-22' }, status: 200 },
    { method: 'DELETE', pattern: '/apps/:app', path: '/apps/contract-doomed', status: 200 },
    { method: 'GET', pattern: '/apps/:app/config-vars', path: '/apps/contract-app/config-vars', status: 200 },
    { method: 'PATCH', pattern: '/apps/:app/config-vars', path: '/apps/contract-app/config-vars', body: { FOO: 'bar', NODE_ENV: null }, status: 200 },
    { method: 'GET', pattern: '/apps/:app/releases/:release/config-vars', path: '/apps/contract-app/releases/3/config-vars', status: 200 },
    { method: 'GET', pattern: '/apps/:app/releases', path: '/apps/contract-app/releases', status: 200 },
    { method: 'GET', pattern: '/apps/:app/releases/:release', path: `/apps/contract-app/releases/${releaseId}`, status: 200 },
    { method: 'GET', pattern: '/apps/:app/formation', path: '/apps/contract-app/formation', status: 200 },
    { method: 'GET', pattern: '/apps/:app/formation/:formation', path: `/apps/contract-app/formation/${formationId}`, status: 200 },
    { method: 'PATCH', pattern: '/apps/:app/formation', path: '/apps/contract-app/formation', body: { updates: [{ type: 'web', quantity: 2, dyno_size: { name: 'standard-1x' } }] }, status: 200 },
    { method: 'PATCH', pattern: '/apps/:app/formation/:formation', path: '/apps/contract-app/formation/worker', body: { quantity: 1, size: 'Standard-2X' }, status: 200 },
    { method: 'GET', pattern: '/dyno-sizes', path: '/dyno-sizes', status: 200 },
    { method: 'GET', pattern: '/dyno-sizes/:size', path: `/dyno-sizes/${sizeId}`, status: 200 },
    { method: 'GET', pattern: '/apps/:app/available-dyno-sizes', path: '/apps/contract-app/available-dyno-sizes', status: 200 },
    { method: 'GET', pattern: '/apps/:app/addons', path: '/apps/contract-app/addons', status: 200 },
    { method: 'GET', pattern: '/apps/:app/addons/:addon', path: `/apps/contract-app/addons/${addonId}`, status: 200 },
    { method: 'GET', pattern: '/addons', path: '/addons', status: 200 },
    { method: 'GET', pattern: '/addons/:addon', path: `/addons/${addonId}`, status: 200 },
  ];
}
