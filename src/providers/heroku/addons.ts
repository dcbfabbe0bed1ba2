import type { Unmanaged } from '../../engine/types.js';
import { type Address, makeAddress, type Resource } from '../../model/resource.js';
import type { Value } from '../../model/value.js';
import type { Diagnostic } from '../../runtime/diagnostics.js';
import type { ApiAddon } from './api-types.js';
import { DATA_SERVICES } from './kinds.js';

/**
 * Live add-ons as resources. There is no state file, so a live add-on is tied to an add-on of
 * app.yaml (`heroku.addon[env/<local name>]`) by, in this order:
 * 1. its attachment name on this app: the declared `as` is a prefix of the config vars the add-on
 *    sets (`DATABASE` → `DATABASE_URL`);
 * 2. its globally unique name, when app.yaml declares `name`;
 * 3. its service, when exactly one declared and exactly one live add-on of that service are left.
 * Two or more live candidates for one declared add-on are an error (declare `as` or `name`), never
 * a guess: guessing could adopt the wrong database, and not matching would create another one.
 * So a service change is a replace (refused for data add-ons without --allow-destroy) only for an
 * add-on tied by `as` or `name`; without either, the service is its identity: another service is
 * another add-on, and the old one becomes unmanaged (nothing is destroyed).
 * Live add-ons tied to nothing are addressed by their Heroku name and reported as unmanaged (or
 * deleted with `prune: {addons: true}`, still subject to protection).
 */

/** Suffixes of the vars add-ons set after their attachment name, longest first. */
const VAR_SUFFIXES = ['_TLS_URL', '_LICENSE_KEY', '_API_KEY', '_URL', '_LOG'];

/**
 * Attachment names the add-on's config vars show: a known suffix stripped (`DATABASE_URL` →
 * `DATABASE`), else every `_`-boundary prefix of the var (`SENDGRID_USERNAME` → `SENDGRID`).
 */
export function attachmentPrefixes(addon: Pick<ApiAddon, 'config_vars'>): Set<string> {
  const prefixes = new Set<string>();
  for (const key of addon.config_vars) {
    const suffix = VAR_SUFFIXES.find((s) => key.endsWith(s) && key.length > s.length);
    if (suffix !== undefined) {
      prefixes.add(key.slice(0, -suffix.length));
      continue;
    }
    for (let i = key.indexOf('_'); i > 0; i = key.indexOf('_', i + 1)) prefixes.add(key.slice(0, i));
  }
  return prefixes;
}

/** The attachment name when the vars show exactly one by a known suffix; else undefined. */
export function inferAttachment(addon: Pick<ApiAddon, 'config_vars'>): string | undefined {
  const found = new Set<string>();
  for (const key of addon.config_vars) {
    const suffix = VAR_SUFFIXES.find((s) => key.endsWith(s) && key.length > s.length);
    if (suffix !== undefined) found.add(key.slice(0, -suffix.length));
  }
  return found.size === 1 ? [...found][0] : undefined;
}

export interface AddonMatching {
  /** Live add-on id → the desired add-on it is. */
  readonly matches: Map<string, Resource>;
  /** Desired add-ons matched by their attachment name (their live `as` is the declared one). */
  readonly byAttachment: Set<Address>;
  readonly diagnostics: Diagnostic[];
}

/** Ties live add-ons to desired ones (see the module comment). `desired`: one environment's. */
export function matchAddons(desired: readonly Resource[], live: readonly ApiAddon[]): AddonMatching {
  const matches = new Map<string, Resource>();
  const byAttachment = new Set<Address>();
  const diagnostics: Diagnostic[] = [];
  const free = (addon: ApiAddon) => !matches.has(addon.id);
  const unmatched = () => desired.filter((d) => ![...matches.values()].includes(d));
  for (const d of desired) {
    const as = d.attributes['as'];
    if (typeof as !== 'string') continue;
    const candidates = live.filter((a) => free(a) && attachmentPrefixes(a).has(as));
    const exact = candidates.filter((a) => a.config_vars.includes(`${as}_URL`));
    const pick = exact.length === 1 ? exact[0] : candidates.length === 1 ? candidates[0] : undefined;
    if (pick !== undefined) {
      matches.set(pick.id, d);
      byAttachment.add(d.address);
    }
  }
  for (const d of unmatched()) {
    const name = d.attributes['name'];
    const pick = typeof name === 'string' ? live.find((a) => free(a) && a.name === name) : undefined;
    if (pick !== undefined) matches.set(pick.id, d);
  }
  const rest = unmatched();
  for (const d of rest) {
    const service = d.attributes['service'];
    const declared = rest.filter((other) => other.attributes['service'] === service);
    const candidates = live.filter((a) => free(a) && a.addon_service.name === service);
    if (declared.length === 1 && candidates.length === 1) matches.set((candidates[0] as ApiAddon).id, d);
    else if (candidates.length > 0 && declared[0] === d) {
      diagnostics.push({
        severity: 'error',
        message: `${declared.map((x) => x.address).join(', ')}: ${candidates.length} live ${String(service)} add-ons (${candidates.map((a) => a.name).join(', ')}) could be ${declared.length === 1 ? 'it' : 'them'}; daffeinated will not guess which`,
        ...(d.source ?? {}),
        hint: ambiguityHint(declared, candidates),
      });
    }
  }
  return { matches, byAttachment, diagnostics };
}

/**
 * The way out of an ambiguous match (two runs that both created an add-on leave one): adopt one
 * by its name, then delete the others as unmanaged add-ons, with the exact command.
 */
function ambiguityHint(declared: readonly Resource[], candidates: readonly ApiAddon[]): string {
  const [first] = declared as [Resource];
  const environment = first.scope;
  const adopt = declared.length === 1 ? `\`name: ${(candidates[0] as ApiAddon).name}\`` : `\`name:\` (one of ${candidates.map((a) => a.name).join(', ')})`;
  const others = candidates.slice(declared.length);
  const protectedData = DATA_SERVICES.includes(String(first.attributes['service']));
  const addresses = others.map((a) => makeAddress('heroku.addon', environment, a.name));
  const allow = protectedData ? addresses.map((a) => ` --allow-destroy '${a}'`).join('') : '';
  return (
    `adopt one by declaring ${adopt} on ${environment}'s add-on ${declared.map((x) => lastPart(x.address)).join(', ')} (or \`as:\`, its attachment name, e.g. DATABASE); ` +
    `the other${others.length === 1 ? ' is' : 's are'} then unmanaged and left alone. To delete ${others.length === 1 ? 'it' : 'them'}` +
    `${protectedData ? ' (check first which one holds your data)' : ''}, set \`prune: { addons: true }\` on ${environment} and run \`daffeinated apply ${environment}${allow}\``
  );
}

/** `heroku.addon[staging/cache]` → `cache`. */
function lastPart(address: Address): string {
  return address.slice(address.lastIndexOf('/') + 1, -1);
}

/**
 * The live resource of an add-on. With a desired add-on it carries only what that one declares
 * (plus service and plan): the attachment name (the declared one when matched by it, else the one
 * the vars show), the name, and the provisioning `options`, which Heroku never returns, so the
 * declared ones stand (they apply at creation only). Without one it carries everything known.
 */
export function fromApiAddon(
  environment: string,
  addon: ApiAddon,
  address: Address,
  desired: Resource | undefined,
  matchedByAttachment: boolean,
): Resource {
  const service = addon.addon_service.name;
  const attributes: Record<string, Value> = { service, plan: addon.plan.name };
  const declared = (name: string) => desired === undefined || desired.attributes[name] !== undefined;
  const as = matchedByAttachment ? desired?.attributes['as'] : inferAttachment(addon);
  if (declared('as') && as !== undefined) attributes['as'] = as;
  if (declared('name')) attributes['name'] = addon.name;
  const options = desired?.attributes['options'];
  if (options !== undefined) attributes['options'] = options;
  return {
    address,
    provider: 'heroku',
    kind: 'heroku.addon',
    scope: environment,
    attributes,
    sensitive: [],
    protect: DATA_SERVICES.includes(service),
    dependsOn: [makeAddress('heroku.app', environment)],
    liveId: addon.id,
  };
}

/**
 * Resources for an environment's live add-ons, plus notes: each var an add-on owns ("set by the
 * add-on …; never diffed or written") and each add-on still provisioning. Add-ons whose
 * provisioning failed (`deprovisioned`) are left out with a warning.
 */
export function liveAddons(
  environment: string,
  live: readonly ApiAddon[],
  desired: readonly Resource[],
  vars: ReadonlySet<string>,
): { resources: Resource[]; notes: Unmanaged[]; diagnostics: Diagnostic[] } {
  const active = live.filter((a) => a.state !== 'deprovisioned');
  const diagnostics: Diagnostic[] = live
    .filter((a) => a.state === 'deprovisioned')
    .map((a) => ({
      severity: 'warning',
      message: `the add-on ${a.name} (${a.plan.name}) on environment ${environment} failed to provision or is being removed; it is ignored`,
    }));
  const matching = matchAddons(desired, active);
  diagnostics.push(...matching.diagnostics);
  const taken = new Set(desired.map((d) => d.address));
  const resources: Resource[] = [];
  const notes: Unmanaged[] = [];
  for (const addon of active) {
    const match = matching.matches.get(addon.id);
    let address = match?.address ?? makeAddress('heroku.addon', environment, addon.name);
    if (match === undefined && taken.has(address))
      address = makeAddress('heroku.addon', environment, `${addon.name}~${addon.id}`);
    taken.add(address);
    resources.push(
      fromApiAddon(environment, addon, address, match, match !== undefined && matching.byAttachment.has(address)),
    );
    if (addon.state === 'provisioning')
      notes.push({ address, attribute: 'state', note: 'still provisioning (read-only status)', expected: 'provisioning' });
    for (const key of addon.config_vars) {
      if (!vars.has(key)) continue;
      notes.push({
        address: makeAddress('heroku.config', environment),
        attribute: key,
        note: `set by the add-on ${addon.name} (${address}); never diffed or written`,
        expected: 'addon-var',
      });
    }
  }
  return { resources, notes, diagnostics };
}
