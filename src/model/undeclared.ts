import { parseAddress, type Resource } from './resource.js';

/**
 * What to do about a live thing app.yaml does not declare, in app.yaml's own keys. Each hint is
 * true for its kind: following it makes the next plan manage (or remove) the thing — the drift
 * integration tests apply every one of them. Kinds that are only read where app.yaml declares them
 * (buildpacks, features, coupling, settings, rulesets) or that always are declared (app, pipeline)
 * cannot show up undeclared; their hint still says something true.
 */
export function undeclaredResourceNote(resource: Pick<Resource, 'address' | 'kind' | 'scope'>): string {
  const env = `environments.${resource.scope}`;
  const name = (parseAddress(resource.address)?.parts.at(-1) ?? resource.address).split('~')[0];
  switch (resource.kind) {
    case 'heroku.addon':
      return `not declared in app.yaml; left alone (declare it under ${env}.addons with name: ${name} to manage it, or set ${env}.prune.addons: true to remove it)`;
    case 'heroku.domain':
      return `not declared in app.yaml; left alone (add ${name} to ${env}.domains to manage it, or set ${env}.prune.domains: true to remove it)`;
    case 'heroku.drain':
      return `not declared in app.yaml; left alone (add its URL to ${env}.log_drains to manage it, or set ${env}.prune.log_drains: true to remove it)`;
    case 'heroku.formation':
      return `not declared in app.yaml; left alone (declare ${env}.formation.${name} to manage it, or set ${env}.prune.formation: true to scale it to 0)`;
    case 'cloudflare.dns':
      return `made outside daffeinated; left alone (declare it with the same content under cloudflare.zones.${resource.scope}.dns to manage it, or delete it in Cloudflare)`;
    case 'heroku.app':
    case 'heroku.config':
    case 'heroku.buildpacks':
    case 'heroku.feature':
    case 'heroku.pipeline':
    case 'heroku.coupling':
    case 'heroku.backup-schedule':
    case 'cloudflare.settings':
    case 'cloudflare.ruleset':
      return 'not declared in app.yaml; left alone (declare it in app.yaml to manage it)';
  }
}

/** For one live attribute of a managed resource that app.yaml does not declare (a config var). */
export function undeclaredAttributeNote(resource: Pick<Resource, 'kind' | 'scope'>, attribute: string): string {
  if (resource.kind === 'heroku.config') {
    const env = `environments.${resource.scope}`;
    return `not declared in app.yaml; left alone (add ${attribute} to ${env}.config to manage it, or set ${env}.prune.config: true to remove undeclared vars)`;
  }
  return 'not declared in app.yaml; left alone';
}
