import type { IncomingHttpHeaders } from 'node:http';
import { header } from '../../http.js';
import { appRef, findApp } from '../model/lookup.js';
import type { AddonRecord, AppRecord } from '../model/state.js';
import type { HerokuRouter } from '../protocol/context.js';
import { paginate, type RangeKey } from '../protocol/range.js';

/**
 * Add-on attachments. Every add-on has exactly one, to its own app, created with it (its name is
 * the config var prefix); attaching an add-on to further apps is not emulated. `Accept-Inclusion:
 * addon:plan,config_vars` (as the official CLI's Postgres database resolver sends, heroku-cli-util
 * `utils/pg/databases`) adds the add-on's plan and the attachment's config vars, which it reads.
 */
export function attachmentJson(
  app: AppRecord,
  addon: AddonRecord,
  include: ReadonlySet<string> = NONE,
): Record<string, unknown> {
  return {
    addon: {
      id: addon.id,
      name: addon.name,
      app: appRef(app),
      ...(include.has('addon:plan') ? { plan: { ...addon.plan } } : {}),
    },
    app: appRef(app),
    ...(include.has('config_vars') ? { config_vars: [...addon.configVars] } : {}),
    created_at: addon.attachment.createdAt,
    id: addon.attachment.id,
    log_input_url: null,
    name: addon.attachment.name,
    namespace: null,
    updated_at: addon.attachment.updatedAt,
    web_url: addon.webUrl,
  };
}

const NONE: ReadonlySet<string> = new Set();

/** The inclusions asked for with `Accept-Inclusion` (comma-separated). */
function inclusions(headers: IncomingHttpHeaders): Set<string> {
  const value = header(headers, 'accept-inclusion') ?? '';
  return new Set(
    value
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter((s) => s !== ''),
  );
}

type Item = { app: AppRecord; addon: AddonRecord };

const ATTACHMENT_RANGES: readonly RangeKey<Item>[] = [
  { name: 'id', value: (x) => x.addon.attachment.id },
  { name: 'name', value: (x) => x.addon.attachment.name },
];

export function registerAttachments(router: HerokuRouter): void {
  router.add('GET', '/addon-attachments', {
    handler: (ctx) => {
      const items = ctx.world.state.heroku.apps.flatMap((app) => app.addons.map((addon) => ({ app, addon })));
      return paginate(items, ATTACHMENT_RANGES, ctx.range, (x) =>
        attachmentJson(x.app, x.addon, inclusions(ctx.headers)),
      );
    },
  });
  router.add('GET', '/apps/:app/addon-attachments', {
    handler: (ctx) => {
      const app = findApp(ctx.world.state.heroku, ctx.params['app'] as string);
      const items = app.addons.map((addon) => ({ app, addon }));
      return paginate(items, ATTACHMENT_RANGES, ctx.range, (x) =>
        attachmentJson(x.app, x.addon, inclusions(ctx.headers)),
      );
    },
  });
}
