import { existsSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { stringifyYaml } from '../config/index.js';
import { ExitCode } from '../runtime/errors.js';
import type { Io } from '../runtime/io.js';
import type { GlobalOptions } from './context.js';
import { exportHint, type ImportedYaml, importLive } from './import.js';
import { alreadyThere, ignoreStateDir, modeline, packageName, repositoryRoot, schemaReference, STATE_DIR, writeNew } from './init-files.js';
import { newAppYaml, projectName } from './init-template.js';
import { DRIFT_WORKFLOW_FILE, driftWorkflow } from './init-workflow.js';

export interface InitOptions {
  /** Describe this live Heroku app (as `import --app`). */
  readonly fromApp?: string;
  /** Describe this live Cloudflare zone (as `import --zone`), owned by the app's environment. */
  readonly zone?: string;
  /** Environment name for the imported app (as `import --env`). */
  readonly environment?: string;
  /** Also write the nightly drift workflow. */
  readonly workflow: boolean;
  /** Replace an existing app.yaml (and workflow). */
  readonly force: boolean;
}

/**
 * `init`: writes a starting app.yaml (`--config`, default ./app.yaml) — what `import` reads from
 * live apps and zones when named, else a commented template for a new app —, its first line the
 * editor modeline naming the installed package's JSON Schema; makes git ignore the sandbox's state
 * directory; and writes the drift workflow with `--workflow` (else says how). Never overwrites
 * without `--force`: an existing app.yaml is refused (exit 3), or kept by `init --workflow`.
 */
export async function initCommand(io: Io, global: GlobalOptions, options: InitOptions): Promise<ExitCode> {
  const target = resolve(io.cwd, global.config ?? 'app.yaml');
  const shown = relative(io.cwd, target) || target;
  // `init --workflow` in a repository that has its app.yaml adds the workflow and keeps app.yaml.
  const keep = options.workflow && !options.force && options.fromApp === undefined && options.zone === undefined && existsSync(target);
  // Refused before reading anything live; writeNew refuses again should one appear meanwhile.
  if (!keep && !options.force && existsSync(target)) throw alreadyThere(shown);
  const imported = keep ? undefined : await importFor(io, global, options);
  if (keep) {
    io.stdout(`Kept ${shown} (--force replaces it).\n`);
  } else {
    const schema = schemaReference(target, io.cwd);
    await writeNew(target, `${modeline(schema.path)}${body(io, options, imported)}`, options.force, shown);
    io.stdout(`Wrote ${shown}${imported === undefined ? ' (a template for a new app: edit the names)' : ''}.\n`);
    if (!schema.installed) {
      io.stderr(`note: its editor schema (${schema.path}) resolves once daffeinated is installed here: npm install --save-dev daffeinated\n`);
    }
    if (imported !== undefined) exportHint(io, imported);
  }
  if (await ignoreStateDir(io.cwd)) io.stdout(`Added /${STATE_DIR}/ to .gitignore (the sandbox's state: config values in plain text).\n`);

  const root = repositoryRoot(io.cwd);
  const workflow = resolve(root, DRIFT_WORKFLOW_FILE);
  const workflowShown = relative(io.cwd, workflow).split(sep).join('/');
  if (options.workflow) {
    await writeNew(workflow, driftWorkflow(imported?.variables ?? [], configFlag(root, target)), options.force, workflowShown);
    io.stdout(`Wrote ${workflowShown}: a nightly drift check (add the repository secrets it names).\n`);
  }
  io.stdout(
    [
      'Next:',
      '  npx daffeinated validate                         # offline',
      ...(imported?.app === undefined
        ? [
            '  npx daffeinated plan --sandbox                   # against a local sandbox; no account needed',
            '  npx daffeinated deploy staging --sandbox --yes   # git HEAD, built and run locally',
          ]
        : ['  npx daffeinated plan                             # live: no changes expected']),
      ...(options.workflow ? [] : [`  npx daffeinated init --workflow                  # adds a nightly drift check (${workflowShown})`]),
      '',
    ].join('\n'),
  );
  return ExitCode.Ok;
}

/** The live app and/or zone, read as `import` reads them; none for a new app. */
async function importFor(io: Io, global: GlobalOptions, options: InitOptions): Promise<ImportedYaml | undefined> {
  if (options.fromApp === undefined && options.zone === undefined) return undefined;
  // `--config` names the file init writes: no existing app.yaml guides the import.
  const { config: _target, ...rest } = global;
  return importLive(io, rest, {
    ...(options.fromApp === undefined ? {} : { app: options.fromApp }),
    ...(options.zone === undefined ? {} : { zone: options.zone }),
    ...(options.environment === undefined ? {} : { environment: options.environment }),
  });
}

/** app.yaml after its modeline: the imported app, else the template (with an imported zone, if any). */
function body(io: Io, options: InitOptions, imported: ImportedYaml | undefined): string {
  if (imported !== undefined && options.fromApp !== undefined) return `#\n${stringifyYaml(imported.document, imported.comments)}`;
  const name = projectName(packageName(io.cwd), io.cwd);
  const zones = imported === undefined ? undefined : stringifyYaml(imported.document, [`The zone ${options.zone}, as \`daffeinated import\` read it.`]);
  return `#\n${newAppYaml(name, zones)}`;
}

/** `--config FILE` for the workflow when app.yaml is not where daffeinated looks by default. */
function configFlag(root: string, target: string): string | undefined {
  const path = relative(root, target).split(sep).join('/');
  return path === 'app.yaml' || path === 'config/app.yaml' ? undefined : path;
}
