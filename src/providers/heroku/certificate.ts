import type { Change } from '../../engine/types.js';
import { CERTIFICATE_ISSUED } from '../../model/certificate.js';
import { type DaffError, InternalError, ProviderError } from '../../runtime/errors.js';
import type { ApiDomain } from './api-types.js';
import { appPath, pollUntil, type StepContext, text } from './apply-support.js';
import { certificateOf } from './convert-kinds.js';
import { DOMAIN } from './shapes.js';

/**
 * The longest a domain's `certificate` step waits for ACM (at most the poll timeout). Heroku
 * issues within minutes once DNS points at the target; past this the step fails, says what is
 * pending and what to check, and a re-run waits again (the record stays DNS-only until then).
 */
export const CERTIFICATE_TIMEOUT_MS = 20 * 60_000;

/**
 * A domain's `certificate` step (model/certificate.ts): every DNS record pointing at it is written
 * DNS-only by now, so ACM can validate. Polls the domain until its certificate is issued, with
 * progress. The first time it is `failing` or `failed` (validated while the DNS was not right yet)
 * it is refreshed (`PATCH /apps/{app}/acm {acm_refresh: true}`, the CLI's `certs:auto:refresh`),
 * so ACM validates again now; `failed` after that is final. Bounded by `CERTIFICATE_TIMEOUT_MS`.
 */
export async function awaitCertificate(ctx: StepContext, change: Change): Promise<void> {
  if (change.action === 'delete') throw new InternalError(`${change.address} is a delete, which has no certificate step`);
  const hostname = text(change.after, 'hostname');
  const path = appPath(ctx, change, `/domains/${encodeURIComponent(hostname)}`);
  let domain = await ctx.client.get<ApiDomain>(path, { shape: DOMAIN });
  let refreshed = false;
  // The domain once the wait is over (issued, or failed after a refresh); undefined meanwhile.
  const check = async (): Promise<ApiDomain | undefined> => {
    domain = await ctx.client.get<ApiDomain>(path, { shape: DOMAIN });
    if (certificateOf(domain.acm_status) === CERTIFICATE_ISSUED) return domain;
    if (domain.acm_status !== 'failing' && domain.acm_status !== 'failed') return undefined;
    if (refreshed) return domain.acm_status === 'failed' ? domain : undefined;
    ctx.reporter.progress(change.address, `certificate ${describe(domain)}: asking ACM to validate again, now that the DNS points at ${domain.cname}`);
    await ctx.client.patch(appPath(ctx, change, '/acm'), { body: { acm_refresh: true } });
    refreshed = true;
    return undefined;
  };
  const poll = { ...ctx.poll, timeoutMs: Math.min(ctx.poll.timeoutMs, CERTIFICATE_TIMEOUT_MS) };
  if (certificateOf(domain.acm_status) !== CERTIFICATE_ISSUED) {
    ctx.reporter.progress(change.address, `waiting for the ACM certificate of ${hostname} (${describe(domain)})`);
    domain = await pollUntil(
      check,
      poll,
      (elapsed) => {
        if (elapsed >= 1000) ctx.reporter.progress(change.address, `still waiting for the ACM certificate of ${hostname}: ${describe(domain)} (${Math.round(elapsed / 1000)} s)`);
      },
      () => notIssued(change, domain, `was not issued within ${duration(poll.timeoutMs)}`),
    );
    if (certificateOf(domain.acm_status) !== CERTIFICATE_ISSUED) throw notIssued(change, domain, 'failed validation again after a refresh');
  }
  ctx.reporter.progress(change.address, `certificate issued for ${hostname}`);
  ctx.outputs.set(change.address, { hostname: domain.hostname, cname: domain.cname, certificate: CERTIFICATE_ISSUED });
}

function describe(domain: ApiDomain): string {
  const reason = domain.acm_status_reason ? `: ${domain.acm_status_reason}` : '';
  return `acm_status ${domain.acm_status ?? 'null'}${reason}`;
}

function notIssued(change: Change, domain: ApiDomain, what: string): DaffError {
  return new ProviderError('heroku', `The ACM certificate of ${domain.hostname} ${what} (${describe(domain)})`, {
    address: change.address,
    hint:
      `Check that ${domain.hostname} is a DNS-only (grey cloud) CNAME to ${domain.cname ?? "the domain's DNS target"}, that no other A/AAAA record answers for it and that no CAA record forbids letsencrypt.org; ` +
      '`heroku certs:auto` shows the status. Then run apply again: the record stays DNS-only until the certificate is issued, and the proxy is turned on after.',
  });
}

/** `45 s`, `20 min`. */
function duration(ms: number): string {
  return ms < 60_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`;
}
