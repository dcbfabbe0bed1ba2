/**
 * The parts of Heroku Platform API responses daffeinated reads (see the official schema's
 * `targetSchema`s). Everything else in a response is ignored.
 */
export interface ApiApp {
  readonly id: string;
  readonly name: string;
  readonly maintenance: boolean;
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
  readonly config_vars: readonly string[];
  readonly addon_service: { readonly id: string; readonly name: string };
  readonly plan: { readonly id: string; readonly name: string };
  readonly state: string;
}
