import type { World } from '../world.js';
import { settingDef } from './settings/catalog.js';
import type { ZoneRecord } from './model.js';

/** What Cloudflare's edge does with a request for a proxied hostname before it reaches the origin. */
export type EdgeVerdict =
  | { readonly kind: 'origin' }
  | { readonly kind: 'redirect'; readonly location: string }
  | { readonly kind: 'error'; readonly status: 526; readonly title: string };

/**
 * The edge's answer for a request to a proxied `host` of `zone` (sandbox/resolve.ts `edge`):
 * - plain HTTP under "Always Use HTTPS": a 301 to the https URL (cloudflare-docs
 *   `ssl/edge-certificates/additional-options/always-use-https`);
 * - HTTPS under SSL mode `strict` (Full (strict)) while the origin has no valid certificate for
 *   the hostname (`originCertified` false: Heroku then presents its `*.herokuapp.com` one): 526
 *   "Invalid SSL certificate" (cloudflare-docs `ssl/origin-configuration/ssl-modes/full-strict`,
 *   `support/troubleshooting/http-status-codes/cloudflare-5xx-errors/error-526`); `full` does not
 *   validate the certificate, `flexible` and `off` reach the origin over HTTP;
 * - otherwise the request goes on to the origin.
 */
export function edgeVerdict(zone: ZoneRecord, request: { readonly host: string; readonly path: string; readonly https: boolean }, originCertified: boolean): EdgeVerdict {
  if (!request.https && settingValue(zone, 'always_use_https') === 'on') {
    return { kind: 'redirect', location: `https://${request.host}${request.path}` };
  }
  if (request.https && settingValue(zone, 'ssl') === 'strict' && !originCertified) {
    return { kind: 'error', status: 526, title: 'Invalid SSL certificate' };
  }
  return { kind: 'origin' };
}

/** A zone setting's value: as changed, else the catalogue's initial one. */
export function settingValue(zone: ZoneRecord, id: string): unknown {
  return zone.settings[id]?.value ?? settingDef(id)?.initial;
}

/** Cloudflare's error page for an edge error, as a browser or health check would see it. */
export function edgeErrorPage(world: World, status: number, title: string, host: string): string {
  return (
    `<!DOCTYPE html>\n<html><head><title>${host} | ${status}: ${title}</title></head><body>` +
    `<h1>${title}</h1><p>Error code ${status}</p><p>${world.now()} · Cloudflare (daffeinated sandbox)</p></body></html>\n`
  );
}
