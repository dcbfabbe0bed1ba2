import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, cp, mkdir, mkdtemp, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { appRootPrefix } from './build-source.js';
import type { LaunchedProcess, ProcessOptions } from './processes.js';
import { pruneShelf, touchSlug } from './slug-prune.js';
import { readTarEntries } from './tar.js';

/** Where a compile step's lines go: the app's log, as `app[build]`. */
export type BuildLog = (text: string) => void;

const READY = '.daffeinated-slug';

/**
 * Compiled slugs, ready to run, one directory per slug content (its SHA-256), shared by every app
 * the slug was promoted to. Sandbox builds keep the uploaded source as the slug (buildpacks do not
 * run at build time), so the first time a slug is run, this does what the Node.js buildpack would
 * have done: `npm ci` (or `npm install` without a lockfile) when package.json declares
 * dependencies, then the `heroku-postbuild` script, else `build`. Other languages run as uploaded.
 * A directory becomes visible only when complete (built aside, then renamed), so a compile cut
 * short (sandbox closed, process killed) is never reused. A fixed directory is pruned after each
 * compile (runner/slug-prune.ts): it may be a cache shared by every sandbox of the user.
 */
export class SlugShelf {
  private readonly inflight = new Map<string, Promise<string>>();
  /** Every slug this shelf handed out: its dynos may still run them, so pruning spares them. */
  private readonly used = new Set<string>();
  private readonly running = new Set<LaunchedProcess>();
  private root: Promise<string> | undefined;

  constructor(
    private readonly options: ProcessOptions,
    /** Fixed cache directory, or undefined for a temporary one (removed by `close`). */
    private readonly dir: string | undefined,
    /** Whether `dir` is shared with other sandboxes (a user's cache): then a reset leaves it alone. */
    private readonly shared = false,
  ) {}

  /** The compiled slug's directory (compiling it on first use); throws with what went wrong. */
  prepare(source: Buffer, log: BuildLog): Promise<string> {
    const hash = createHash('sha256').update(source).digest('hex');
    this.used.add(hash);
    const running = this.inflight.get(hash);
    if (running !== undefined) return running;
    const work = this.compile(hash, source, log).finally(() => this.inflight.delete(hash));
    this.inflight.set(hash, work);
    return work;
  }

  /** Removes the cache when it is temporary, or when `all` (a reset) and it is not shared. */
  async close(all = false): Promise<void> {
    await Promise.all([...this.running].map((p) => p.stop(1_000)));
    await Promise.allSettled(this.inflight.values());
    const root = this.root;
    this.root = undefined;
    if (root !== undefined && (this.dir === undefined || (all && !this.shared))) await rm(await root, { recursive: true, force: true });
  }

  private rootDir(): Promise<string> {
    this.root ??= this.dir === undefined
      ? mkdtemp(join(tmpdir(), 'daffeinated-slugs-'))
      : mkdir(this.dir, { recursive: true }).then(() => this.dir as string);
    return this.root;
  }

  private async compile(hash: string, source: Buffer, log: BuildLog): Promise<string> {
    const root = await this.rootDir();
    const final = join(root, hash);
    if (existsSync(join(final, READY))) {
      await touchSlug(join(final, READY), new Date()).catch(() => undefined);
      return final;
    }
    const work = join(root, `.tmp-${hash.slice(0, 12)}-${randomBytes(4).toString('hex')}`);
    try {
      const files = await extract(source, work, log);
      for (const command of await nodeSteps(work, files)) {
        log(`-----> Running ${command} (the Node.js buildpack's step; the sandbox runs it when the slug first starts)`);
        await this.run(command, work, log);
      }
      await writeFile(join(work, READY), `${hash}\n`);
      try {
        await rename(work, final);
      } catch (error) {
        // Another sandbox process finished the same slug first: use theirs.
        if (!existsSync(join(final, READY))) throw error;
      }
      if (this.dir !== undefined) await pruneShelf(root, READY, this.used, new Date());
      return final;
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }

  private async run(command: string, cwd: string, log: BuildLog): Promise<void> {
    const started = this.options.launch({ command, cwd, env: { ...this.options.env }, onLine: (line) => log(`       ${line}`) });
    this.running.add(started);
    const { code, signal } = await started.exited.finally(() => this.running.delete(started));
    if (code !== 0) throw new Error(`${command} failed (${signal === null ? `exit status ${code}` : `signal ${signal}`})`);
  }
}

/**
 * Unpacks the slug into `dir`, app root first (a single top-level directory is stripped, as the
 * build does), keeping permission bits. Paths escaping `dir` are skipped and logged. Returns the
 * app-relative paths written.
 */
async function extract(source: Buffer, dir: string, log: BuildLog): Promise<Set<string>> {
  const entries = readTarEntries(source);
  const prefix = appRootPrefix(entries.map((e) => e.path));
  const written = new Set<string>();
  await mkdir(dir, { recursive: true });
  for (const entry of entries) {
    const relative = posix.normalize(entry.path.slice(prefix.length));
    if (relative === '.' || relative.startsWith('../') || relative === '..' || posix.isAbsolute(relative)) {
      log(` !     Skipped ${entry.path}: outside the app directory`);
      continue;
    }
    const target = join(dir, ...relative.split('/'));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, entry.data);
    await chmod(target, entry.mode === 0 ? 0o644 : entry.mode);
    written.add(relative);
  }
  return written;
}

/** The Node.js buildpack's commands for the unpacked app in `dir` (none for other languages). */
async function nodeSteps(dir: string, files: ReadonlySet<string>): Promise<string[]> {
  if (!files.has('package.json')) return [];
  let manifest: { dependencies?: unknown; devDependencies?: unknown; scripts?: unknown };
  try {
    manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as typeof manifest;
  } catch (error) {
    throw new Error(`Unable to parse package.json: ${(error as Error).message}`);
  }
  const declares = (deps: unknown) => typeof deps === 'object' && deps !== null && Object.keys(deps).length > 0;
  const steps: string[] = [];
  if (declares(manifest.dependencies) || declares(manifest.devDependencies)) {
    const locked = files.has('package-lock.json') || files.has('npm-shrinkwrap.json');
    steps.push(`${locked ? 'npm ci' : 'npm install'} --no-audit --no-fund --prefer-offline`);
  }
  const scripts = (typeof manifest.scripts === 'object' && manifest.scripts !== null ? manifest.scripts : {}) as Record<string, unknown>;
  if (typeof scripts['heroku-postbuild'] === 'string') steps.push('npm run heroku-postbuild');
  else if (typeof scripts['build'] === 'string') steps.push('npm run build');
  return steps;
}

/**
 * A fresh working copy of a compiled slug for one dyno (the app may write to it, as to a dyno's
 * ephemeral filesystem): every file copied except `node_modules`, which is linked (read-only use).
 */
export async function dynoCopy(compiled: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'daffeinated-dyno-'));
  await cp(compiled, dir, {
    recursive: true,
    verbatimSymlinks: true,
    filter: (path) => path !== join(compiled, 'node_modules') && path !== join(compiled, READY),
  });
  if (existsSync(join(compiled, 'node_modules'))) await symlink(join(compiled, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}
