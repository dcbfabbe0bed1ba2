/**
 * The parts of Cloudflare API v4 objects daffeinated reads and writes, in the API's own shape.
 * Declared here (not imported from the SDK) so that only client.ts depends on the `cloudflare`
 * package; client.ts maps these to and from the SDK's parameter and response types.
 */

export interface ApiZone {
  readonly id: string;
  readonly name: string;
  readonly status?: string;
  /**
   * The zone's plan; `legacy_id` is `free`, `pro`, `business` or `enterprise`; `price` in
   * `currency` per `frequency` (`monthly`, `yearly`; empty for Free and Enterprise).
   */
  readonly plan?: {
    readonly legacy_id?: string;
    readonly name?: string;
    readonly price?: number;
    readonly currency?: string;
    readonly frequency?: string;
  };
  /** When the zone was added (ISO time): Free zones added before 2024-09-01 may hold more records. */
  readonly created_on?: string;
}

/** A DNS record as listed. `name` is the full name; structured types also carry `data`. */
export interface ApiRecord {
  readonly id: string;
  readonly type: string;
  readonly name: string;
  readonly content?: string;
  readonly data?: { readonly [key: string]: unknown };
  readonly ttl?: number;
  readonly proxied?: boolean;
  readonly priority?: number;
  readonly comment?: string | null;
}

/** Fields of a record in a create, overwrite or edit request. */
export interface ApiRecordFields {
  type?: string;
  name?: string;
  content?: string;
  data?: { [key: string]: string | number };
  ttl?: number;
  proxied?: boolean;
  priority?: number;
  comment?: string;
}

/** Body of `POST /zones/{id}/dns_records/batch`; Cloudflare runs deletes → patches → puts → posts in one transaction. */
export interface ApiBatch {
  deletes: { id: string }[];
  patches: ({ id: string } & ApiRecordFields)[];
  puts: ({ id: string } & ApiRecordFields)[];
  posts: ApiRecordFields[];
}

/** One zone setting (`GET /zones/{id}/settings` lists them; the bulk PATCH takes `{items: [{id, value}]}`). */
export interface ApiSetting {
  readonly id: string;
  readonly value: unknown;
  readonly editable?: boolean;
}

/** A rule of a ruleset, as the API returns it (read-only fields included). */
export interface ApiRule {
  readonly id?: string;
  readonly ref?: string;
  readonly action?: string;
  readonly expression?: string;
  readonly description?: string;
  readonly enabled?: boolean;
  readonly action_parameters?: { readonly [key: string]: unknown };
  readonly ratelimit?: { readonly [key: string]: unknown };
  readonly logging?: { readonly enabled?: boolean };
  readonly version?: string;
  readonly last_updated?: string;
  readonly categories?: readonly string[];
  readonly [key: string]: unknown;
}

/** A phase entrypoint ruleset. */
export interface ApiRuleset {
  readonly id?: string;
  readonly version?: string;
  readonly rules?: readonly ApiRule[];
}

/** The body of one `POST /zones/{id}/purge_cache`: one kind of purge (the API's variants). */
export type ApiPurge =
  | { readonly hosts: readonly string[] }
  | { readonly prefixes: readonly string[] }
  | { readonly tags: readonly string[] }
  | { readonly files: readonly string[] }
  | { readonly purge_everything: true };
