/**
 * The parts of Heroku Platform API responses daffeinated reads (see the official schema's
 * `targetSchema`s). Everything else in a response is ignored.
 */
export interface ApiApp {
  readonly id: string;
  readonly name: string;
  readonly maintenance: boolean;
  readonly acm: boolean;
  readonly region: { readonly id: string; readonly name: string };
  readonly stack: { readonly id: string; readonly name: string };
  readonly build_stack: { readonly id: string; readonly name: string };
  readonly team: { readonly id: string; readonly name: string } | null;
  readonly web_url: string | null;
}

export type ApiConfigVars = Readonly<Record<string, string | null>>;

export interface ApiFormation {
  readonly id: string;
  readonly type: string;
  readonly quantity: number;
  readonly size: string;
  readonly dyno_size?: { readonly id?: string; readonly name?: string } | null;
}

export interface ApiAddon {
  readonly id: string;
  readonly name: string;
  /** Names of the app config vars the add-on sets (and owns), e.g. `DATABASE_URL`. */
  readonly config_vars: readonly string[];
  readonly addon_service: { readonly id: string; readonly name: string };
  /** `name` is the full `service:plan`. */
  readonly plan: { readonly id: string; readonly name: string };
  /** `provisioning`, `provisioned` or `deprovisioned` (failed or gone). */
  readonly state: string;
  readonly created_at?: string;
  /** What the account is billed for this add-on (may differ from the plan's list price); null when not billed. */
  readonly billed_price?: { readonly cents: number; readonly contract: boolean; readonly unit: string } | null;
  /** The app it is billed to (`GET /addons` groups the account's add-ons by it). */
  readonly app?: { readonly id: string; readonly name?: string };
}

export interface ApiBuildpackInstallation {
  readonly ordinal: number;
  readonly buildpack: { readonly url: string; readonly name: string | null };
}

export interface ApiFeature {
  readonly id: string;
  readonly name: string;
  readonly enabled: boolean;
}

export interface ApiDomain {
  readonly id: string;
  readonly hostname: string;
  /** `heroku` for the built-in `*.herokuapp.com` domain, `custom` otherwise. */
  readonly kind: string;
  /** The DNS target (`…herokudns.com`). */
  readonly cname: string | null;
  readonly status?: string;
  readonly acm_status: string | null;
  readonly acm_status_reason: string | null;
}

export interface ApiLogDrain {
  readonly id: string;
  readonly url: string;
  readonly token: string;
  /** Set for drains an add-on created; those go away with the add-on only. */
  readonly addon: { readonly id: string; readonly name: string } | null;
  readonly created_at?: string;
}

/** An app webhook subscription (`app-webhook`). */
export interface ApiWebhook {
  readonly id: string;
  readonly url: string;
  readonly created_at?: string;
}

export interface ApiPipeline {
  readonly id: string;
  readonly name: string;
}

export interface ApiCoupling {
  readonly id: string;
  readonly app: { readonly id: string };
  readonly pipeline: { readonly id: string; readonly name?: string };
  readonly stage: string;
}

export interface ApiDynoSize {
  readonly id: string;
  readonly name: string;
  readonly cost: { readonly cents: number; readonly unit: string } | null;
}

export interface ApiAddonPlan {
  readonly id: string;
  readonly name: string;
  readonly price: { readonly cents: number; readonly unit: string; readonly contract?: boolean } | null;
}
