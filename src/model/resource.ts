import type { Value } from './value.js';

export type ProviderId = 'heroku' | 'cloudflare';

/**
 * Resource kinds. The address of a resource is `<kind>[<scope>/<name>]` or `<kind>[<scope>]`,
 * e.g. `heroku.app[staging]`, `heroku.formation[staging/web]`, `cloudflare.dns[daffeinated.com/CNAME/www]`.
 */
export type ResourceKind =
  | 'heroku.app'
  | 'heroku.config'
  | 'heroku.formation'
  | 'heroku.addon'
  | 'heroku.buildpacks'
  | 'heroku.feature'
  | 'heroku.domain'
  | 'heroku.drain'
  | 'heroku.pipeline'
  | 'heroku.coupling'
  | 'heroku.backup-schedule'
  | 'cloudflare.dns'
  | 'cloudflare.settings'
  | 'cloudflare.ruleset';

export type Address = string;

/** Where in app.yaml a value is declared (1-based line and column). */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

/**
 * One managed thing, desired or live. Attributes are flat at the top level (nested values are
 * compared whole); `sensitive` lists the attribute names whose values must never be printed.
 */
export interface Resource {
  readonly address: Address;
  readonly provider: ProviderId;
  readonly kind: ResourceKind;
  /** Environment name (Heroku) or zone name (Cloudflare): the unit a command can target. */
  readonly scope: string;
  readonly attributes: { readonly [name: string]: Value };
  readonly sensitive: readonly string[];
  /**
   * Desired side only. `exclusive`: live attributes not declared here are removed (e.g. config vars
   * with `prune: {config: true}`); otherwise they are reported as unmanaged and left alone.
   */
  readonly exclusive?: boolean;
  /**
   * Desired side only: attributes app.yaml declares that this run does not manage, with why (an
   * optional `from_env` variable that is unset). Never diffed and never removed, even when
   * `exclusive`; the plan lists each as expected.
   */
  readonly notManaged?: { readonly [name: string]: string };
  /** Desired side only: attributes whose change cannot be made in place, forcing a replace. */
  readonly replaceOn?: readonly string[];
  /**
   * Deleting or replacing it needs the address in `--allow-destroy`. Set on the desired side from
   * app.yaml, and on the live side by providers for things that hold data (apps, data add-ons), so
   * pruning an undeclared one is refused too.
   */
  readonly protect?: boolean;
  /**
   * Addresses that must be applied before this one (desired side). A provider may set it on live
   * resources too (an add-on depends on its app) so that deletes run in reverse dependency order.
   * Order beyond this, a provider declares as data (engine `Ordering`).
   */
  readonly dependsOn?: readonly Address[];
  /**
   * Live side only: the provider's own identifier of the thing (a Heroku add-on, drain or coupling
   * id), so its apply can address it. Never compared, hashed or rendered: two live things with the
   * same attributes are the same to a plan.
   */
  readonly liveId?: string;
  /** Desired side only: where the resource and each attribute are declared in app.yaml. */
  readonly source?: SourceLocation;
  readonly attributeSources?: { readonly [name: string]: SourceLocation };
}

/** Builds `kind[part/part]`. Parts must not contain `[`/`]`. */
export function makeAddress(kind: ResourceKind, ...parts: readonly string[]): Address {
  return `${kind}[${parts.join('/')}]`;
}

/** Splits an address back into kind and parts; undefined when the string is not an address. */
export function parseAddress(address: string): { kind: string; parts: string[] } | undefined {
  const match = /^([a-z]+\.[a-z_]+)\[(.*)\]$/.exec(address);
  if (!match) return undefined;
  return { kind: match[1] as string, parts: (match[2] as string).split('/') };
}
