import type { Unmanaged } from '../../engine/types.js';
import { CERTIFICATE_ISSUED } from '../../model/certificate.js';
import { drainHost } from './desired-extras.js';
import { type Address, makeAddress, type Resource } from '../../model/resource.js';
import type { Value } from '../../model/value.js';
import type {
  ApiBuildpackInstallation,
  ApiCoupling,
  ApiDomain,
  ApiFeature,
  ApiLogDrain,
  ApiPipeline,
} from './api-types.js';

/**
 * Live buildpacks, features, domains, drains, pipeline and coupling as resources, in the shapes
 * desired-extras.ts declares them. Each depends on its app, so deletes run before the app's.
 */

function base(environment: string) {
  return {
    provider: 'heroku' as const,
    scope: environment,
    sensitive: [] as string[],
    dependsOn: [makeAddress('heroku.app', environment)],
  };
}

/**
 * `heroku.buildpacks[env]`, ordered. Heroku answers with a registry name and a URL for each; the
 * form app.yaml uses at that position is kept (so `heroku/nodejs` and its URL are not a diff).
 */
export function fromApiBuildpacks(
  environment: string,
  installations: readonly ApiBuildpackInstallation[],
  desired: Resource | undefined,
): Resource {
  const wanted = desired?.attributes['buildpacks'];
  const declared = Array.isArray(wanted) ? (wanted as readonly Value[]) : [];
  const buildpacks = [...installations]
    .sort((a, b) => a.ordinal - b.ordinal)
    .map((installation, i) => {
      const { url, name } = installation.buildpack;
      return declared[i] === url ? url : (name ?? url);
    });
  return {
    ...base(environment),
    address: makeAddress('heroku.buildpacks', environment),
    kind: 'heroku.buildpacks',
    attributes: { buildpacks },
  };
}

export function fromApiFeature(environment: string, feature: ApiFeature): Resource {
  return {
    ...base(environment),
    address: makeAddress('heroku.feature', environment, feature.name),
    kind: 'heroku.feature',
    attributes: { enabled: feature.enabled },
  };
}

/** A custom domain; its DNS target is the `cname` output that Cloudflare records point at. */
export function fromApiDomain(environment: string, domain: ApiDomain): Resource {
  const attributes: Record<string, Value> = { hostname: domain.hostname };
  if (domain.cname !== null) attributes['cname'] = domain.cname;
  return {
    ...base(environment),
    address: makeAddress('heroku.domain', environment, domain.hostname),
    kind: 'heroku.domain',
    attributes,
    liveId: domain.id,
  };
}

/**
 * A domain's `certificate` (model/certificate.ts) from its `acm_status`: `issued` for a valid
 * certificate — `cert issued` (what `heroku certs:auto:wait` waits for) or `ok` — else the status
 * itself (`pending`, `failing`, `failed`, …), `none` while ACM is off.
 */
export function certificateOf(acmStatus: string | null): string {
  if (acmStatus === 'cert issued' || acmStatus === 'ok') return CERTIFICATE_ISSUED;
  return acmStatus ?? 'none';
}

/**
 * The domain with its `certificate` when the desired domain declares one (only domains that wait
 * for theirs do), so that a certificate not issued yet is a change apply waits for, never drift
 * of any other domain.
 */
export function withCertificate(live: Resource, domain: ApiDomain, desired: readonly Resource[]): Resource {
  const wanted = desired.find((r) => r.address === live.address)?.attributes['certificate'];
  if (wanted === undefined) return live;
  return { ...live, attributes: { ...live.attributes, certificate: certificateOf(domain.acm_status) } };
}

/** ACM statuses a person must act on (Heroku's `acm_status`): these are listed, not summarised. */
const CERTIFICATE_FAILURES: ReadonlySet<string> = new Set(['failed', 'failing']);

/**
 * The certificate (and DNS target) status of a domain, shown as read-only notes, never diffed;
 * expected unless the certificate failed.
 */
export function domainNotes(address: Address, domain: ApiDomain): Unmanaged[] {
  const notes: Unmanaged[] = [];
  if (domain.status !== undefined && domain.status !== 'succeeded' && domain.status !== 'none') {
    notes.push({ address, attribute: 'status', note: `DNS target ${domain.status} (read-only status)`, expected: 'domain-status' });
  }
  if (domain.acm_status !== null) {
    const reason = domain.acm_status_reason ? `: ${domain.acm_status_reason}` : '';
    notes.push({
      address,
      attribute: 'acm_status',
      // Heroku's statuses read `cert issued`, `pending`, `failing`…: name the certificate once.
      note: `${domain.acm_status.replace(/^(cert )?/, 'certificate ')}${reason} (read-only status)`,
      ...(CERTIFICATE_FAILURES.has(domain.acm_status) ? {} : { expected: 'certificate' as const }),
    });
  }
  return notes;
}

/** A drain's URL may hold credentials: it is sensitive, and its address shows only the host. */
export function fromApiDrain(environment: string, drain: ApiLogDrain, address: Address): Resource {
  return {
    ...base(environment),
    address,
    kind: 'heroku.drain',
    attributes: { url: drain.url },
    sensitive: ['url'],
    liveId: drain.id,
  };
}

/**
 * Addresses of live drains: the desired drain with the same URL, else `<host>~<token>` (the drain
 * token, `d.<uuid>`, identifies it without revealing the URL).
 */
export function drainAddress(environment: string, drain: ApiLogDrain, desired: readonly Resource[]): Address {
  const same = desired.find((d) => d.attributes['url'] === drain.url);
  return same?.address ?? makeAddress('heroku.drain', environment, `${drainHost(drain.url)}~${drain.token}`);
}

/** `heroku.pipeline[name]` in the scope the desired pipeline was given. */
export function fromApiPipeline(scope: string, pipeline: ApiPipeline): Resource {
  return {
    address: makeAddress('heroku.pipeline', pipeline.name),
    provider: 'heroku',
    kind: 'heroku.pipeline',
    scope,
    attributes: { name: pipeline.name, id: pipeline.id },
    sensitive: [],
    liveId: pipeline.id,
  };
}

/**
 * `heroku.coupling[env]`. `pipeline` is the pipeline's name when it is one this plan read (else the
 * response's name, else its id: the app is coupled to a pipeline app.yaml does not name).
 */
export function fromApiCoupling(
  environment: string,
  coupling: ApiCoupling,
  pipelineNames: ReadonlyMap<string, string>,
): Resource {
  const name = pipelineNames.get(coupling.pipeline.id) ?? coupling.pipeline.name ?? coupling.pipeline.id;
  return {
    ...base(environment),
    address: makeAddress('heroku.coupling', environment),
    kind: 'heroku.coupling',
    attributes: { pipeline: name, pipeline_id: coupling.pipeline.id, stage: coupling.stage },
    liveId: coupling.id,
  };
}
