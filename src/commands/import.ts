import { loadConfig, stringifyYaml } from '../config/index.js';
import { HerokuProvider } from '../providers/heroku/index.js';
import type { ImportedApp, ImportedVar } from '../providers/heroku/import.js';
import { CloudflareProvider } from '../providers/cloudflare/index.js';
import { ExitCode, InternalError, UsageError } from '../runtime/errors.js';
import type { Io } from '../runtime/io.js';
import { connect } from './connect.js';
import type { GlobalOptions } from './context.js';

export interface ImportOptions {
  /** At least one of `app` and `zone`. */
  readonly app?: string;
  /** A Cloudflare zone to describe; with `app`, the zone is owned by the app's environment. */
  readonly zone?: string;
  /** Environment name for the fragment; default: the app's pipeline stage, else `production`. */
  readonly environment?: string;
}

/**
 * `import [--app NAME] [--zone NAME] [--env NAME]`: prints app.yaml describing a live Heroku app
 * and/or Cloudflare zone, so an existing setup can be adopted without false diffs — a plan right
 * after shows no changes. Needs no app.yaml. With both, the zone belongs to the app's environment
 * and the CNAMEs of the app's domains are left to the automatic ones. Secrets are never written:
 * they become `{from_env: KEY}` (or `${VAR}` for drain URLs) and the variables to export are listed
 * on stderr; with `--config`, the config vars that app.yaml keeps secret (`from_env`, generated,
 * `sensitive`, made of `${VAR}`) are written as it declares them, whatever their live values look
 * like. With `--zone` alone the output is the `cloudflare:` section to merge into an app.yaml.
 */
export async function importCommand(io: Io, global: GlobalOptions, options: ImportOptions): Promise<ExitCode> {
  const imported = await importLive(io, global, options);
  io.stdout(stringifyYaml(imported.document, imported.comments));
  exportHint(io, imported);
  return ExitCode.Ok;
}

/** What `import` found, before it is printed (`init --from-app` writes it to app.yaml instead). */
export interface ImportedYaml {
  readonly document: Record<string, unknown>;
  /** The comment lines the output starts with. */
  readonly comments: readonly string[];
  /** The Heroku app described, if any. */
  readonly app: string | undefined;
  /** Variables to export before planning: the secrets written as `from_env` or `${…}`. */
  readonly variables: readonly string[];
}

/** Reads the live app and/or zone and builds their app.yaml; notes go to stderr as they come. */
export async function importLive(io: Io, global: GlobalOptions, options: ImportOptions): Promise<ImportedYaml> {
  if (options.app === undefined && options.zone === undefined) {
    throw new UsageError('Name what to import: --app NAME, --zone NAME, or both');
  }
  const config = global.config === undefined ? undefined : loadConfig({ path: global.config, cwd: io.cwd, env: io.env });
  const connection = await connect(undefined, io, { sandbox: global.sandbox, debug: global.debug, cloudflare: options.zone !== undefined });
  try {
    const heroku = connection.providers.get('heroku');
    const cloudflare = connection.providers.get('cloudflare');
    if (!(heroku instanceof HerokuProvider)) throw new InternalError('no Heroku provider to import from');
    const imported = options.app === undefined ? undefined : await heroku.importApp(options.app, options.environment, config);
    let zoneSection: Record<string, unknown> | undefined;
    if (options.zone !== undefined) {
      if (!(cloudflare instanceof CloudflareProvider)) throw new InternalError('no Cloudflare provider to import from');
      const zone = options.zone.toLowerCase().replace(/\.$/, '');
      const skip = new Set(
        (imported?.domains ?? [])
          .filter((d) => d === zone || d.endsWith(`.${zone}`))
          .map((d) => (d === zone ? '@' : d.slice(0, -zone.length - 1))),
      );
      const owner = imported?.environment ?? options.environment ?? 'production';
      const result = await cloudflare.importZone(zone, owner, skip);
      zoneSection = { [zone]: result.section };
      for (const note of result.notes) io.stderr(`note: ${note}\n`);
    }
    const document = imported === undefined ? {} : appYaml(imported);
    if (zoneSection !== undefined) document['cloudflare'] = { zones: zoneSection };
    const what = [imported && `the Heroku app ${imported.app}`, options.zone && `the Cloudflare zone ${options.zone}`].filter(Boolean).join(' and ');
    for (const note of imported?.notes ?? []) io.stderr(`note: ${note}\n`);
    return {
      document,
      comments: [
        `${imported === undefined ? 'The cloudflare section of app.yaml' : 'app.yaml'} for ${what}, written by \`daffeinated import\`.`,
        // biome-ignore lint/suspicious/noTemplateCurlyInString: `${VAR}` is app.yaml syntax.
        'Secrets are not in this file: export the variables named by from_env and ${…} before planning.',
      ],
      app: imported?.app,
      variables: imported?.variables ?? [],
    };
  } finally {
    await connection.close();
  }
}

/** Which variables to export before planning, and where their values are. */
export function exportHint(io: Io, imported: ImportedYaml): void {
  if (imported.app === undefined || imported.variables.length === 0) return;
  io.stderr(`Export these before planning (their values are on Heroku: \`heroku config:get NAME -a ${imported.app}\`):\n`);
  for (const name of imported.variables) io.stderr(`  ${name}\n`);
}

/** `$${` is how app.yaml writes a literal `${` (it would otherwise be interpolated). */
function literal(text: string): string {
  return text.replaceAll('${', () => '$${');
}

function configVar(value: ImportedVar): string | { from_env: string } | { generate: 'secret'; bytes: number } {
  if ('fromEnv' in value) return { from_env: value.fromEnv };
  if ('generate' in value) return { generate: 'secret', bytes: value.generate };
  return literal(value.value);
}

/** The document, with only what differs from app.yaml's defaults or must be declared to be managed. */
export function appYaml(imported: ImportedApp): Record<string, unknown> {
  const environment: Record<string, unknown> = { app: imported.app };
  if (imported.stage !== undefined) environment['stage'] = imported.stage;
  if (imported.team !== undefined) environment['team'] = imported.team;
  environment['region'] = imported.region;
  environment['stack'] = imported.stack;
  if (imported.maintenance) environment['maintenance'] = true;
  if (imported.buildpacks.length > 0) environment['buildpacks'] = [...imported.buildpacks];
  if (imported.features.length > 0) environment['features'] = [...imported.features];
  if (Object.keys(imported.formation).length > 0) environment['formation'] = imported.formation;
  if (Object.keys(imported.addons).length > 0) environment['addons'] = imported.addons;
  const config = Object.entries(imported.config).map(([key, value]) => [key, configVar(value)] as const);
  if (config.length > 0) environment['config'] = Object.fromEntries(config);
  if (imported.domains.length > 0) environment['domains'] = [...imported.domains];
  environment['acm'] = imported.acm;
  const drains = imported.logDrains.map((d) => ('url' in d ? literal(d.url) : `\${${d.variable}}`));
  if (drains.length > 0) environment['log_drains'] = drains;
  return {
    version: 1,
    name: imported.app,
    ...(imported.pipeline === undefined ? {} : { pipeline: imported.pipeline }),
    environments: { [imported.environment]: environment },
  };
}
