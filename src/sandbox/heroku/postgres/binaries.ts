import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { RunResult, RunSpec } from '../runner/processes.js';

/** What one directory must hold for the sandbox to run its own PostgreSQL server. */
export const POSTGRES_TOOLS = ['initdb', 'postgres', 'pg_ctl', 'psql', 'pg_dump', 'pg_restore'] as const;

/**
 * The directory of PostgreSQL's server binaries, looked for in order: `PATH`, `pg_config
 * --bindir`, then Debian's and Ubuntu's `/usr/lib/postgresql/<version>/bin` (newest first) and
 * the source build's default `/usr/local/pgsql/bin`. Client tools from one directory and a server
 * from another could disagree on versions (pg_dump refuses a newer server), so all six come from
 * the same one. Undefined when none has them all.
 */
export async function findPostgresBin(
  path: string | undefined,
  run: (spec: RunSpec) => Promise<RunResult>,
  fallbacks: readonly string[] = [...versionedDirs('/usr/lib/postgresql'), '/usr/local/pgsql/bin'],
): Promise<string | undefined> {
  const onPath = (path ?? '').split(delimiter).filter((dir) => dir !== '');
  const found = onPath.find(hasTools);
  if (found !== undefined) return found;
  const pgConfig = onPath.map((dir) => join(dir, 'pg_config')).find(isFile);
  if (pgConfig !== undefined) {
    const result = await run({ file: pgConfig, args: ['--bindir'], env: { PATH: path ?? '' } });
    const dir = result.stdout.trim();
    if (result.code === 0 && hasTools(dir)) return dir;
  }
  return fallbacks.find(hasTools);
}

/** `root/<version>/bin`, highest version first. */
function versionedDirs(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((name) => /^\d+(\.\d+)?$/.test(name))
    .sort((a, b) => Number(b) - Number(a))
    .map((name) => join(root, name, 'bin'));
}

function hasTools(dir: string): boolean {
  return POSTGRES_TOOLS.every((tool) => isFile(join(dir, tool)));
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The program that runs another as `user` (`setpriv`, from util-linux), looked for on `PATH`. */
export function findSetpriv(path: string | undefined): string | undefined {
  return (path ?? '')
    .split(delimiter)
    .filter((dir) => dir !== '')
    .map((dir) => join(dir, 'setpriv'))
    .find(isFile);
}

/** A user to run the server as, from the password file: `postgres` (the packages create it), else `nobody`. */
export function unprivilegedUser(): { readonly name: string; readonly uid: number; readonly gid: number } | undefined {
  let text: string;
  try {
    text = readFileSync('/etc/passwd', 'utf8');
  } catch {
    return undefined;
  }
  const users = text.split('\n').map((line) => line.split(':'));
  for (const name of ['postgres', 'nobody']) {
    const entry = users.find((fields) => fields[0] === name);
    const uid = Number(entry?.[2]);
    const gid = Number(entry?.[3]);
    if (entry !== undefined && Number.isInteger(uid) && Number.isInteger(gid) && uid !== 0) return { name, uid, gid };
  }
  return undefined;
}
