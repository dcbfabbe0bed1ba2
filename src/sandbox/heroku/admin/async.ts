import type { AdminRouter } from '../../admin.js';
import { json } from '../../http.js';
import { completeProvisioning } from '../api/addon-provision.js';
import { addonJson } from '../api/addons.js';
import { domainJson, findDomain } from '../api/domains.js';
import { findAddon, findApp } from '../model/lookup.js';
import type { FailNext } from '../model/state.js';
import { objectBody, optionalString } from '../model/validate.js';
import { invalidParams, notFound } from '../protocol/errors.js';
import { advance } from '../timed/clock.js';

/**
 * Admin controls over Heroku's asynchronous work, for tests:
 * - `POST /__sandbox/apps/{app}/addons/{addon}/provision`: finish provisioning now.
 * - `PATCH /__sandbox/apps/{app}/domains/{domain}` `{status?, acm_status?, acm_status_reason?}`:
 *   set a custom domain's statuses (cancelling their scheduled change), e.g. `acm_status: "failing"`.
 * - `POST /__sandbox/apps/{app}/fail-next` `{kind: "build" | "release-phase" | "promotion",
 *   message?}`: the app's next build, next release phase, or next promotion onto it fails with
 *   `message` (shown in the output or `error_message`).
 * - `POST /__sandbox/heroku/settle`: make all pending timed work due now and apply it (a release
 *   command run as a real process still ends when its process does).
 */
const FAIL_KINDS: Readonly<Record<string, { field: keyof FailNext; message: string }>> = {
  build: { field: 'build', message: 'Build failed: the buildpack exited with status 1 (injected by the sandbox).' },
  'release-phase': {
    field: 'releasePhase',
    message: 'The release command exited with status 1 (injected by the sandbox).',
  },
  promotion: { field: 'promotion', message: 'Promotion to this app failed (injected by the sandbox).' },
};

export function registerHerokuAsyncAdmin(router: AdminRouter): void {
  router.add('POST', '/__sandbox/apps/:app/addons/:addon/provision', (ctx) => {
    advance(ctx.world);
    const app = findApp(ctx.world.state.heroku, ctx.params['app'] as string);
    const found = findAddon(ctx.world.state.heroku, ctx.params['addon'] as string);
    if (found.app.id !== app.id) throw notFound('add-on');
    completeProvisioning(ctx.world, app, found.addon, ctx.world.clock().getTime());
    return json(200, addonJson(app, found.addon));
  });

  router.add('PATCH', '/__sandbox/apps/:app/domains/:domain', (ctx) => {
    advance(ctx.world);
    const app = findApp(ctx.world.state.heroku, ctx.params['app'] as string);
    const view = findDomain(app, ctx.params['domain'] as string);
    if (view.kind !== 'custom') throw invalidParams('The default herokuapp.com domain has no status to set.');
    const body = objectBody(ctx.body);
    const status = optionalString(body, 'status');
    const d = view.record;
    if (status !== undefined) {
      if (status === '') throw invalidParams('status must be a non-empty string.');
      d.status = status;
      d.statusDueMs = null;
    }
    if ('acm_status' in body) {
      const acm = body['acm_status'];
      if (acm !== null && (typeof acm !== 'string' || acm === ''))
        throw invalidParams('acm_status must be a non-empty string or null.');
      d.acmStatus = acm as string | null;
      d.acmDueMs = null;
      d.acmFailingSinceMs = null;
    }
    if ('acm_status_reason' in body) {
      const reason = body['acm_status_reason'];
      if (reason !== null && typeof reason !== 'string')
        throw invalidParams('acm_status_reason must be a string or null.');
      d.acmStatusReason = reason as string | null;
    }
    d.updatedAt = ctx.world.now();
    return json(200, domainJson(app, view));
  });

  router.add('POST', '/__sandbox/apps/:app/fail-next', (ctx) => {
    const app = findApp(ctx.world.state.heroku, ctx.params['app'] as string);
    const body = objectBody(ctx.body);
    const kind = FAIL_KINDS[optionalString(body, 'kind') ?? ''];
    if (kind === undefined) throw invalidParams(`kind must be one of ${Object.keys(FAIL_KINDS).join(', ')}.`);
    app.failNext[kind.field] = optionalString(body, 'message') ?? kind.message;
    return json(200, { app: app.name, fail_next: { ...app.failNext } });
  });

  router.add('POST', '/__sandbox/heroku/settle', (ctx) => {
    const now = ctx.world.clock().getTime();
    const earlier = (due: number | null) => (due === null ? null : Math.min(due, now));
    const heroku = ctx.world.state.heroku;
    for (const app of heroku.apps) {
      for (const addon of app.addons) addon.provisionDueMs = earlier(addon.provisionDueMs);
      for (const build of app.builds) {
        if (build.status !== 'pending' || build.dueMs <= now) continue;
        for (const line of build.output) line.atMs = Math.min(line.atMs, now);
        build.dueMs = now;
      }
      for (const release of app.releases) {
        const phase = release.phase;
        if (phase === null || phase.runner !== 'clock') continue;
        phase.startedMs = earlier(phase.startedMs);
        phase.dueMs = earlier(phase.dueMs);
        for (const line of phase.output) line.atMs = Math.min(line.atMs, now);
      }
      for (const domain of app.domains) {
        domain.statusDueMs = earlier(domain.statusDueMs);
        domain.acmDueMs = earlier(domain.acmDueMs);
      }
    }
    for (const promotion of heroku.promotions) promotion.dueMs = Math.min(promotion.dueMs, now);
    return json(200, { settled: advance(ctx.world) });
  });
}
