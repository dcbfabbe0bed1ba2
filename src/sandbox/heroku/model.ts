/**
 * The Heroku half of the sandbox state. Plain JSON data only (it is persisted as is); the API
 * shapes are produced from it by the serialisers next to each resource's routes. Catalogue data
 * (regions, stacks, dyno sizes) is not state: it lives in catalog.ts and is referenced by name.
 */
export interface HerokuState {
  /** The one account every accepted token acts as. */
  account: AccountRecord;
  teams: TeamRecord[];
  apps: AppRecord[];
}

export interface AccountRecord {
  id: string;
  email: string;
  name: string;
  createdAt: string;
  updatedAt: string;
}

export interface TeamRecord {
  id: string;
  name: string;
  createdAt: string;
}

export interface AppRecord {
  id: string;
  name: string;
  /** Owning team; `null` for a personal app. */
  teamId: string | null;
  locked: boolean;
  region: string;
  stack: string;
  /** Stack of the next build (changes on PATCH; `stack` follows on the next build). */
  buildStack: string;
  maintenance: boolean;
  acm: boolean;
  /** Random part of the web hostname: `https://<name>-<webSuffix>.herokuapp.com/`. */
  webSuffix: string;
  buildpackProvidedDescription: string | null;
  slugSize: number | null;
  repoSize: number | null;
  createdAt: string;
  updatedAt: string;
  releasedAt: string | null;
  config: Record<string, string>;
  /** Ascending by version. */
  releases: ReleaseRecord[];
  slugs: SlugRecord[];
  formation: FormationRecord[];
  /** Add-ons billed to this app; their `configVars` are owned by them (read-only through the API). */
  addons: AddonRecord[];
}

export interface ReleaseRecord {
  id: string;
  version: number;
  status: 'pending' | 'succeeded' | 'failed' | 'expired';
  description: string;
  slugId: string | null;
  user: { id: string; email: string };
  /** Config vars as of this release (for rollback and `/releases/{id}/config-vars`). */
  config: Record<string, string>;
  addonPlanNames: string[];
  outputStreamUrl: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface SlugRecord {
  id: string;
  processTypes: Record<string, string>;
  stack: string;
  commit: string | null;
  commitDescription: string | null;
  checksum: string | null;
  buildpackProvidedDescription: string | null;
  size: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface FormationRecord {
  id: string;
  type: string;
  quantity: number;
  /** Canonical dyno size name as the API displays it, e.g. `Standard-1X`. */
  size: string;
  command: string;
  createdAt: string;
  updatedAt: string;
}

export interface AddonRecord {
  id: string;
  name: string;
  service: { id: string; name: string };
  /** `plan.name` is the full `service:plan`. */
  plan: { id: string; name: string };
  state: 'provisioning' | 'provisioned' | 'deprovisioned';
  /** Names of the app config vars this add-on sets (and owns). */
  configVars: string[];
  providerId: string;
  provisionMessage: string;
  webUrl: string | null;
  billedPrice: { cents: number; contract: boolean; unit: string } | null;
  createdAt: string;
  updatedAt: string;
}
