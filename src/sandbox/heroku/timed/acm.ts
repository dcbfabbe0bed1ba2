import { isoSeconds } from '../../ids.js';
import { settingValue } from '../../cloudflare/edge.js';
import { type Resolution, resolveName } from '../../resolve.js';
import type { DomainRecord } from '../model/state.js';
import type { TimedWork } from './work.js';

/**
 * ACM's checks of a domain (api/acm.ts, api/domains.ts), the first `acmMs` after its DNS target
 * is ready. A check passes when the hostname resolves through the sandbox's zones, DNS-only, to
 * the domain's own DNS target (Heroku's ACM page: the DNS must point at the DNS target; Let's
 * Encrypt's HTTP-01 validation must reach Heroku, which a proxied record prevents): the status is
 * then `cert issued`, the value `heroku certs:auto:wait` waits for, and it stays issued (renewals
 * are not emulated). A failed check leaves it `failing`, with the reason Heroku gives, and is
 * retried every `acmMs`; after `acmFailingMs` of failing it is `failed` until refreshed
 * (`PATCH /apps/{app}/acm`). A DNS target that did not succeed fails at once, as before.
 */
export const acmCertificates: TimedWork = {
  scope: 'app',
  name: 'ACM certificates',
  *due(world, app) {
    for (const domain of app.domains) {
      const checking = domain.acmStatus === 'pending' || domain.acmStatus === 'failing';
      if (!checking || domain.acmDueMs === null || domain.status === 'pending') continue;
      const at = domain.acmDueMs;
      yield {
        at,
        run: () => {
          domain.updatedAt = isoSeconds(new Date(at));
          if (domain.status !== 'succeeded') {
            settle(domain, 'failed', `The DNS target of ${domain.hostname} is ${domain.status}.`);
            return;
          }
          const problem = validationProblem(resolveName(world, domain.hostname), domain.cname);
          if (problem === undefined) {
            settle(domain, 'cert issued', null);
            return;
          }
          domain.acmFailingSinceMs ??= at;
          if (at - domain.acmFailingSinceMs >= world.heroku.timings.acmFailingMs) {
            settle(domain, 'failed', problem);
            return;
          }
          domain.acmStatus = 'failing';
          domain.acmStatusReason = problem;
          domain.acmDueMs = at + Math.max(1, world.heroku.timings.acmMs);
        },
      };
    }
  },
};

function settle(domain: DomainRecord, status: string, reason: string | null): void {
  domain.acmStatus = status;
  domain.acmStatusReason = reason;
  domain.acmDueMs = null;
  domain.acmFailingSinceMs = null;
}

/**
 * Why ACM's validation of a hostname resolving as `resolution` fails, undefined when it passes.
 * A proxied name gets the reasons `heroku certs:auto` shows for a domain behind Cloudflare's proxy
 * (hackforla/food-oasis `doc/dns.md`, 2020): "Strict TLS in CDN not supported" under Full
 * (strict), else "CDN not returning HTTP challenge". The others are the sandbox's wording (Heroku's
 * own text for them is not published).
 */
export function validationProblem(resolution: Resolution, cname: string): string | undefined {
  switch (resolution.kind) {
    case 'heroku':
      return resolution.target === cname ? undefined : `DNS points at ${resolution.target}, not at this domain's DNS target ${cname}`;
    case 'edge':
      return settingValue(resolution.zone, 'ssl') === 'strict' ? 'Strict TLS in CDN not supported' : 'CDN not returning HTTP challenge';
    case 'elsewhere':
      return `DNS points at ${resolution.address}, not at this domain's DNS target ${cname}`;
    case 'none':
      return `DNS does not resolve: ${resolution.reason}`;
    default: {
      const unexpected: never = resolution;
      throw new Error(`unexpected resolution ${JSON.stringify(unexpected)}`);
    }
  }
}

/** Whether the domain's certificate is valid now (`ok` is the older spelling `certs:auto` still shows). */
export function certificateIssued(domain: DomainRecord): boolean {
  return domain.acmStatus === 'cert issued' || domain.acmStatus === 'ok';
}
