import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { JSON_SCHEMA_FILE } from '../config/index.js';
import { ExitCode, UsageError } from '../runtime/errors.js';

/** The package's name on the registry: where `npm install --save-dev daffeinated` puts it. */
const PACKAGE = 'daffeinated';

/** The sandbox's state directory in the working tree (commands/connect.ts). */
export const STATE_DIR = '.daffeinated';

/**
 * The `$schema` of app.yaml's editor modeline, relative to app.yaml as yaml-language-server reads
 * it: the schema of the daffeinated installed in the nearest `node_modules` above app.yaml, else
 * where `npm install --save-dev daffeinated` in `cwd` will put it (`installed: false`).
 */
export function schemaReference(appYaml: string, cwd: string): { path: string; installed: boolean } {
  const file = join('node_modules', PACKAGE, ...JSON_SCHEMA_FILE.split('/'));
  for (let dir = dirname(appYaml); ; dir = dirname(dir)) {
    if (existsSync(join(dir, file))) return { path: relativeRef(dirname(appYaml), join(dir, file)), installed: true };
    if (dirname(dir) === dir) break;
  }
  return { path: relativeRef(dirname(appYaml), join(cwd, file)), installed: false };
}

function relativeRef(from: string, to: string): string {
  const path = relative(from, to).split(sep).join('/');
  return path.startsWith('../') ? path : `./${path}`;
}

/** The first line of app.yaml: yaml-language-server's (VS Code's YAML extension's) schema modeline. */
export function modeline(schema: string): string {
  return `# yaml-language-server: $schema=${schema}\n`;
}

/** Writes a file daffeinated made; refuses to replace one unless `force`. */
export async function writeNew(path: string, text: string, force: boolean, shown: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  try {
    await writeFile(path, text, { flag: force ? 'w' : 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    throw alreadyThere(shown);
  }
}

/** The refusal to replace a file (exit 3). */
export function alreadyThere(shown: string): UsageError {
  return new UsageError(`${shown} exists already: not overwritten`, {
    hint: 'Add --force to replace it, or --config PATH to write app.yaml elsewhere.',
    exitCode: ExitCode.Refused,
  });
}

/**
 * Makes `.gitignore` in `dir` ignore the sandbox's state directory (it holds config values in
 * plain text). Returns whether it changed the file: one that ignores it already is left alone.
 */
export async function ignoreStateDir(dir: string): Promise<boolean> {
  const path = join(dir, '.gitignore');
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const ignored = text.split(/\r?\n/).some((line) => /^\/?\.daffeinated\/?(\*\*?)?$/.test(line.trim()));
  if (ignored) return false;
  const separator = text === '' || text.endsWith('\n') ? '' : '\n';
  await writeFile(path, `${text}${separator}# daffeinated's sandbox state (config values in plain text)\n/${STATE_DIR}/\n`);
  return true;
}

/** The repository root: the nearest directory above `dir` with `.git`, else `dir`. */
export function repositoryRoot(dir: string): string {
  for (let at = dir; ; at = dirname(at)) {
    if (existsSync(join(at, '.git'))) return at;
    if (dirname(at) === at) return dir;
  }
}

/** package.json's `name` in `dir`, if there is one. */
export function packageName(dir: string): string | undefined {
  try {
    const name = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown }).name;
    return typeof name === 'string' ? name : undefined;
  } catch {
    return undefined;
  }
}
