import { rm } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import type { World } from '../../world.js';
import { currentRelease } from '../api/releases.js';
import type { AppRecord, ReleaseRecord, SlugRecord } from '../model/state.js';
import { DEFAULT_BOOT_TIMEOUT_MS, DEFAULT_STOP_GRACE_MS, type LaunchedProcess, type ProcessOptions } from './processes.js';
import { ReleasePhases } from './release-phases.js';
import { dynoCopy, SlugShelf } from './slug-shelf.js';

/** Where the router sends a request for an app: a running web dyno, or a Heroku router error. */
export type Route =
  | { readonly kind: 'dyno'; readonly port: number }
  | { readonly kind: 'error'; readonly code: 'H10' | 'H14' | 'H20'; readonly desc: string };

/** What should run for an app: its current release's `web` command, when the formation asks for it. */
interface Want {
  readonly key: string;
  readonly command: string;
  readonly release: ReleaseRecord;
  readonly slug: SlugRecord;
}

interface Dyno {
  readonly key: string;
  state: 'starting' | 'up' | 'crashed' | 'stopped';
  stopping: boolean;
  port: number | undefined;
  process: LaunchedProcess | undefined;
  dir: string | undefined;
  reason: string | undefined;
  /** Settles when the dyno is up, crashed or stopped; never rejects. */
  ready: Promise<void>;
}

/** How long the router holds a request while the dyno boots, before answering H20. */
const ROUTER_BOOT_WAIT_MS = 30_000;

/**
 * Runs each app's `web` process locally, one dyno (`web.1`) per app however many the formation
 * asks for, when its current release's slug has code and the formation's `web` quantity is at
 * least 1. The process gets `PORT`, `DYNO`, `HOME` (its own copy of the slug), `PATH`, `HOST=127.0.0.1`
 * (so apps that read it bind to loopback only) and the release's config vars — nothing else.
 *
 * Lifecycle, checked after every sandbox request (`poke`): a change of what should run (a deploy,
 * config change, rollback or promotion cuts a release; scaling web to 0 or from 0) stops the old
 * process group and, if something should run, starts the new one at once. Apps untouched since the
 * sandbox started are started on their first routed request (as an idle dyno wakes). A process
 * that exits, fails to compile, or does not bind `$PORT` within the boot timeout is `crashed`
 * (H10) until the next change. Release commands run beside them (release-phases.ts), from the same
 * compiled slugs. `close` stops everything.
 */
export class DynoRunner {
  private readonly dynos = new Map<string, Dyno>();
  private readonly seen = new Map<string, string | undefined>();
  private readonly boots = new Set<Promise<void>>();
  private readonly shelf: SlugShelf;
  private readonly phases: ReleasePhases;
  private chain: Promise<void> = Promise.resolve();
  private queued = false;
  private closed = false;

  constructor(
    private readonly world: World,
    private readonly options: ProcessOptions,
    slugDir: string | undefined,
    /** Saves the state (a release phase ends outside any request). */
    persist: () => Promise<unknown>,
  ) {
    this.shelf = new SlugShelf(options, options.slugDir ?? slugDir, options.slugDir !== undefined);
    this.phases = new ReleasePhases(world, options, this.shelf, () => {
      void persist();
      this.poke();
    });
    world.heroku.runsReleasePhases = true;
    this.snapshot();
    world.heroku.dynoState = (appId) => {
      const dyno = this.dynos.get(appId);
      return dyno === undefined || dyno.state === 'stopped' ? undefined : dyno.state;
    };
    world.heroku.dynoRelease = (appId) => {
      const dyno = this.dynos.get(appId);
      return dyno === undefined || dyno.state === 'stopped' ? undefined : dyno.key;
    };
  }

  /** Schedules a reconciliation with the state (serialised; one queued at most). */
  poke(): void {
    this.phases.reconcile();
    if (this.queued || this.closed) return;
    this.queued = true;
    void this.serial(async () => {
      this.queued = false;
      await this.reconcile();
    });
  }

  /** Where a request for `app` goes, starting (and waiting for) its dyno when it should run. */
  async route(app: AppRecord): Promise<Route> {
    const want = desired(app);
    if (want === undefined) return { kind: 'error', code: 'H14', desc: 'No web processes running' };
    const dyno = await this.serial(async () => {
      this.seen.set(app.id, want.key);
      const current = this.dynos.get(app.id);
      if (current !== undefined && current.key === want.key && current.state !== 'stopped') return current;
      if (current !== undefined) await this.stop(app.id, current);
      return this.start(app.id, want);
    });
    if (dyno === undefined) return { kind: 'error', code: 'H10', desc: 'App crashed' };
    await Promise.race([dyno.ready, delay(ROUTER_BOOT_WAIT_MS)]);
    if (dyno.state === 'up' && dyno.port !== undefined) return { kind: 'dyno', port: dyno.port };
    if (dyno.state === 'starting') return { kind: 'error', code: 'H20', desc: 'App boot timeout' };
    return { kind: 'error', code: 'H10', desc: 'App crashed' };
  }

  /** Stops every dyno (and compile), forgets what it saw, and takes the new state as the baseline. */
  async reset(): Promise<void> {
    await this.serial(async () => {
      await this.stopAll();
      await this.phases.stopAll();
      await this.shelf.close(true);
      this.snapshot();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.chain.catch(() => undefined);
    await this.stopAll();
    await this.phases.close();
    await Promise.allSettled([...this.boots]);
    await this.shelf.close();
  }

  private snapshot(): void {
    this.seen.clear();
    for (const app of this.world.state.heroku.apps) this.seen.set(app.id, desired(app)?.key);
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.chain.then(task);
    this.chain = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private async reconcile(): Promise<void> {
    if (this.closed) return;
    const apps = new Map(this.world.state.heroku.apps.map((a) => [a.id, a] as const));
    for (const [appId, dyno] of [...this.dynos]) if (!apps.has(appId)) await this.stop(appId, dyno);
    for (const app of apps.values()) {
      const want = desired(app);
      const before = this.seen.get(app.id);
      this.seen.set(app.id, want?.key);
      const dyno = this.dynos.get(app.id);
      if (dyno !== undefined && dyno.key !== want?.key) await this.stop(app.id, dyno);
      if (want !== undefined && before !== want.key && this.dynos.get(app.id)?.key !== want.key) this.start(app.id, want);
    }
  }

  private start(appId: string, want: Want): Dyno | undefined {
    if (this.closed) return undefined;
    const dyno: Dyno = {
      key: want.key,
      state: 'starting',
      stopping: false,
      port: undefined,
      process: undefined,
      dir: undefined,
      reason: undefined,
      ready: Promise.resolve(),
    };
    dyno.ready = this.boot(appId, want, dyno).catch((error: unknown) => {
      if (dyno.stopping) return;
      this.crash(appId, dyno, `${error instanceof Error ? error.message : String(error)}`);
    });
    const tracked = dyno.ready;
    this.boots.add(tracked);
    void tracked.finally(() => this.boots.delete(tracked));
    this.dynos.set(appId, dyno);
    return dyno;
  }

  private async boot(appId: string, want: Want, dyno: Dyno): Promise<void> {
    const log = (text: string) => this.world.heroku.logs.append(appId, 'heroku', 'web.1', text);
    log(`State changed from down to starting (release v${want.release.version})`);
    const source = want.slug.sourceKey === null ? undefined : this.world.heroku.blobs.get(want.slug.sourceKey);
    if (source === undefined) throw new Error(`the sandbox has no code for slug ${want.slug.id} (it was declared, not built): nothing to run`);
    const compiled = await this.shelf.prepare(source, (text) => this.world.heroku.logs.append(appId, 'app', 'build', text));
    if (dyno.stopping) return;
    dyno.dir = await dynoCopy(compiled);
    dyno.port = await freePort();
    if (dyno.stopping) return this.cleanup(dyno);
    const dir = dyno.dir;
    const env = {
      PATH: [this.options.env['PATH'] ?? '/usr/local/bin:/usr/bin:/bin', join(dir, 'bin'), join(dir, 'node_modules', '.bin')].join(':'),
      HOME: dir,
      ...want.release.config,
      PORT: String(dyno.port),
      DYNO: 'web.1',
      HOST: '127.0.0.1',
    };
    log(`Starting process with command \`${want.command}\``);
    const started = this.options.launch({
      command: want.command,
      cwd: dir,
      env,
      onLine: (line) => this.world.heroku.logs.append(appId, 'app', 'web.1', line),
    });
    dyno.process = started;
    void started.exited.then(({ code, signal }) => {
      log(`Process exited with status ${code ?? (signal === null ? 'unknown' : `${signal}`)}`);
      if (!dyno.stopping) this.crash(appId, dyno, `the process exited with status ${code ?? signal}`);
    });
    const bound = await waitForPort(dyno.port, started.exited, this.options.bootTimeoutMs ?? DEFAULT_BOOT_TIMEOUT_MS);
    if (dyno.stopping || dyno.state !== 'starting') return;
    if (bound) {
      dyno.state = 'up';
      log('State changed from starting to up');
      return;
    }
    log('Error R10 (Boot timeout) -> Web process failed to bind to $PORT within the boot timeout');
    this.crash(appId, dyno, 'the web process did not bind $PORT in time (R10)');
    await started.stop(this.options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS);
  }

  private crash(appId: string, dyno: Dyno, reason: string): void {
    if (dyno.state === 'crashed' || dyno.state === 'stopped') return;
    const from = dyno.state;
    dyno.state = 'crashed';
    dyno.reason = reason;
    this.world.heroku.logs.append(appId, 'heroku', 'web.1', `State changed from ${from} to crashed: ${reason}`);
  }

  private async stop(appId: string, dyno: Dyno): Promise<void> {
    dyno.stopping = true;
    if (this.dynos.get(appId) === dyno) this.dynos.delete(appId);
    if (dyno.process !== undefined && dyno.state !== 'stopped') {
      this.world.heroku.logs.append(appId, 'heroku', 'web.1', 'Stopping all processes with SIGTERM');
      await dyno.process.stop(this.options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS);
    }
    dyno.state = 'stopped';
    await this.cleanup(dyno);
  }

  private async stopAll(): Promise<void> {
    await Promise.all([...this.dynos].map(([appId, dyno]) => this.stop(appId, dyno)));
  }

  private async cleanup(dyno: Dyno): Promise<void> {
    const dir = dyno.dir;
    dyno.dir = undefined;
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  }
}

function desired(app: AppRecord): Want | undefined {
  const release = currentRelease(app);
  const slug = release?.slugId == null ? undefined : app.slugs.find((s) => s.id === release.slugId);
  const command = slug?.processTypes['web'];
  const web = app.formation.find((f) => f.type === 'web');
  if (release === undefined || slug === undefined || command === undefined || web === undefined || web.quantity < 1) return undefined;
  return { key: release.id, command, release, slug };
}

/** A port nobody listens on right now (the OS picks it), for the next dyno. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Whether something accepts connections on the port before the process exits or time runs out. */
async function waitForPort(port: number, exited: Promise<unknown>, timeoutMs: number): Promise<boolean> {
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  const deadline = Date.now() + timeoutMs;
  while (!gone && Date.now() < deadline) {
    if (await accepts(port)) return true;
    await delay(50);
  }
  return false;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
