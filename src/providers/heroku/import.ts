import { formatBackupSchedule } from '../../model/backup-schedule.js';
import type { DeclaredSecret } from '../../model/declared-secrets.js';
import { makeAddress, type Resource } from '../../model/resource.js';
import { isSecretName } from '../../model/sensitive.js';
import { NotFoundError, ProviderError } from '../../runtime/errors.js';
import type { ApiPipeline } from './api-types.js';
import { lastPart } from './apply-support.js';
import type { HerokuClient } from './client.js';
import { listSchedules } from './postgres-api.js';
import { readHeroku } from './read.js';

/** A config var as app.yaml will say it: a literal, read from the environment, or generated (bytes). */
export type ImportedVar = { readonly value: string } | { readonly fromEnv: string } | { readonly generate: number };

/**
 * A live app in app.yaml's terms, for `daffeinated import`: what app.yaml must declare so that a
 * plan right after shows no changes. Secrets never appear: a config var app.yaml keeps secret
 * (`declared`, from `import --config`) is written as app.yaml declares it; one whose name or value
 * looks secret becomes `fromEnv` (same variable name); a drain URL with credentials becomes a
 * `${VAR}` reference. Add-on-owned vars and add-on drains are left out (they are the add-on's).
 */
export interface ImportedApp {
  readonly environment: string;
  readonly app: string;
  readonly team: string | undefined;
  readonly region: string;
  readonly stack: string;
  readonly maintenance: boolean;
  readonly acm: boolean;
  readonly stage: 'development' | 'staging' | 'production' | undefined;
  readonly pipeline: string | undefined;
  readonly buildpacks: readonly string[];
  readonly features: readonly string[];
  readonly formation: { readonly [type: string]: { readonly quantity: number; readonly size: string } };
  readonly addons: {
    readonly [local: string]: {
      readonly plan: string;
      readonly as?: string;
      readonly name: string;
      /** A Postgres add-on's daily backup schedule, when it has one. */
      readonly backups?: { readonly schedule: string };
    };
  };
  readonly config: { readonly [key: string]: ImportedVar };
  readonly domains: readonly string[];
  /** A URL, or the variable that must hold it (`${VAR}` in app.yaml). */
  readonly logDrains: readonly ({ readonly url: string } | { readonly variable: string })[];
  /** Environment variables the fragment reads, which must be exported before planning. */
  readonly variables: readonly string[];
  /** What could not be expressed in app.yaml (left unmanaged), one sentence each. */
  readonly notes: readonly string[];
}

/**
 * Reads the app with every kind in one round (like a plan) and turns what is live into
 * `ImportedApp`. `environment` defaults to the app's pipeline stage, else `production`.
 */
export async function importApp(
  client: HerokuClient,
  app: string,
  environment: string | undefined,
  declared: ReadonlyMap<string, DeclaredSecret> = new Map(),
  postgres?: HerokuClient,
): Promise<ImportedApp> {
  const scope = environment ?? 'import';
  const desiredApp: Resource = {
    address: makeAddress('heroku.app', scope),
    provider: 'heroku',
    kind: 'heroku.app',
    scope,
    attributes: { name: app },
    sensitive: [],
  };
  const live = await readHeroku(client, { scopes: [scope], desired: [desiredApp] }, { complete: true });
  const of = (kind: Resource['kind']) => live.resources.filter((r) => r.kind === kind);
  const appResource = of('heroku.app')[0];
  if (appResource === undefined) {
    throw new NotFoundError('heroku', `There is no Heroku app named ${app} (or this token cannot see it)`, {
      hint: 'Check the name with `heroku apps`; use the token of an account that has access to it.',
    });
  }
  const a = appResource.attributes;
  const notes: string[] = [];
  const coupling = of('heroku.coupling')[0];
  const stage = coupling === undefined ? undefined : configStage(String(coupling.attributes['stage']), notes);
  const variables: string[] = [];
  const config: Record<string, ImportedVar> = {};
  for (const [key, value] of Object.entries(of('heroku.config')[0]?.attributes ?? {})) {
    if (typeof value !== 'string') continue;
    const secret = declared.get(key);
    if (secret !== undefined) {
      config[key] = secret;
      if ('fromEnv' in secret) variables.push(secret.fromEnv);
    } else if (isSecretName(key) || looksSecret(value) || !/^[A-Za-z_]\w*$/.test(key)) {
      config[key] = { fromEnv: key };
      variables.push(key);
    } else config[key] = { value };
  }
  return {
    environment: environment ?? stage ?? 'production',
    app,
    team: typeof a['team'] === 'string' ? a['team'] : undefined,
    region: String(a['region']),
    stack: String(a['stack']),
    maintenance: a['maintenance'] === true,
    acm: a['acm'] === true,
    stage,
    pipeline: coupling === undefined || stage === undefined ? undefined : await pipelineName(client, coupling),
    buildpacks: (of('heroku.buildpacks')[0]?.attributes['buildpacks'] as string[] | undefined) ?? [],
    features: of('heroku.feature')
      .filter((f) => f.attributes['enabled'] === true)
      .map((f) => lastPart(f.address))
      .sort(),
    // Process types scaled to 0 are left out (unmanaged): their size is a placeholder Heroku picked,
    // which app.yaml's validation might rightly reject (basic mixed with standard dynos).
    formation: Object.fromEntries(
      of('heroku.formation')
        .filter((f) => f.attributes['quantity'] !== 0)
        .map((f) => [
          lastPart(f.address),
          { quantity: Number(f.attributes['quantity']), size: String(f.attributes['size']) },
        ]),
    ),
    addons: importAddons(
      of('heroku.addon'),
      postgres === undefined ? new Map() : await schedulesOf(postgres, of('heroku.addon')),
    ),
    config,
    domains: of('heroku.domain').map((d) => String(d.attributes['hostname'])),
    logDrains: importDrains(of('heroku.drain'), variables, notes),
    variables,
    notes,
  };
}

/**
 * Local names from the attachment name (`DATABASE` → `database`), else the service; the add-on's
 * name is always written, so matching after import never depends on a guess.
 */
function importAddons(addons: readonly Resource[], schedules: ReadonlyMap<string, string>): ImportedApp['addons'] {
  const out: Record<string, ImportedApp['addons'][string]> = {};
  for (const addon of addons) {
    const { plan, as, name, service } = addon.attributes;
    const base = (typeof as === 'string' ? as : String(service)).toLowerCase().replace(/[^a-z0-9_-]/g, '-');
    const start = /^[a-z]/.test(base) ? base : `addon-${base}`;
    let local = start;
    for (let n = 2; Object.hasOwn(out, local); n++) local = `${start}-${n}`;
    const schedule = addon.liveId === undefined ? undefined : schedules.get(addon.liveId);
    out[local] = {
      plan: String(plan),
      ...(typeof as === 'string' ? { as } : {}),
      name: String(name),
      ...(schedule === undefined ? {} : { backups: { schedule } }),
    };
  }
  return out;
}

/** Add-on id → `02:00 Europe/Berlin` for each Postgres add-on with a backup schedule. */
async function schedulesOf(postgres: HerokuClient, addons: readonly Resource[]): Promise<Map<string, string>> {
  const found = await Promise.all(
    addons
      .filter((a) => a.attributes['service'] === 'heroku-postgresql' && a.liveId !== undefined)
      .map(async (a) => {
        const list = await listSchedules(postgres, a.liveId as string).catch((error: unknown) => {
          if (error instanceof ProviderError && error.status === 404) return [];
          throw error;
        });
        const first = list[0];
        return first === undefined ? undefined : ([a.liveId as string, formatBackupSchedule(first)] as const);
      }),
  );
  return new Map(found.filter((f) => f !== undefined));
}

/**
 * Drain URLs with user info, a query or a token-like path part are read from `LOG_DRAIN_<n>`, n
 * counting those drains. Drains go in the order of their URLs, so the file and its variable names
 * depend on what the drains are, not on the ids Heroku gave them.
 */
export function importDrains(
  drains: readonly Resource[],
  variables: string[],
  notes: string[],
): ImportedApp['logDrains'] {
  const out: ({ url: string } | { variable: string })[] = [];
  const urls = drains.map((drain) => String(drain.attributes['url'])).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let secrets = 0;
  for (const url of urls) {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'syslog+tls:') {
      notes.push(
        `a ${parsed.protocol.slice(0, -1)} log drain to ${parsed.host} is left unmanaged: app.yaml accepts https:// and syslog+tls:// drains`,
      );
      continue;
    }
    const secret =
      parsed.username !== '' ||
      parsed.password !== '' ||
      parsed.search !== '' ||
      parsed.pathname.split('/').some(looksSecret);
    if (!secret) {
      out.push({ url });
      continue;
    }
    secrets += 1;
    const variable = `LOG_DRAIN_${secrets}`;
    variables.push(variable);
    out.push({ variable });
  }
  return out;
}

/**
 * A long random-looking token (24+ letters and digits, mixed), or a URL that carries credentials:
 * user info, a query parameter named like a secret or holding a token, or a token in the path (a
 * webhook URL such as `https://hooks.example.com/services/T0/B0/<token>`).
 */
export function looksSecret(value: string): boolean {
  if (isToken(value, 24)) return true;
  const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? parseUrl(value) : undefined;
  if (url === undefined) return false;
  if (url.username !== '' || url.password !== '') return true;
  if ([...url.searchParams].some(([name, part]) => isSecretName(name) || isToken(part, 16))) return true;
  return url.pathname.split('/').some((part) => isToken(decodeURIComponentSafe(part), 16));
}

/** `length`+ characters of a token alphabet, letters and digits mixed. */
function isToken(text: string, length: number): boolean {
  return text.length >= length && /^[A-Za-z0-9+/_=.-]+$/.test(text) && /[0-9]/.test(text) && /[A-Za-z]/.test(text);
}

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function configStage(stage: string, notes: string[]): ImportedApp['stage'] {
  if (stage === 'development' || stage === 'staging' || stage === 'production') return stage;
  notes.push(`the app is coupled at the ${stage} stage, which app.yaml does not manage; its coupling is left alone`);
  return undefined;
}

async function pipelineName(client: HerokuClient, coupling: Resource): Promise<string> {
  const name = String(coupling.attributes['pipeline']);
  const id = String(coupling.attributes['pipeline_id']);
  if (name !== id) return name;
  return (await client.get<ApiPipeline>(`/pipelines/${encodeURIComponent(id)}`)).name;
}
