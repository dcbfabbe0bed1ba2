import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { World } from '../../world.js';
import { startLine } from '../api/release-phase.js';
import { settleReleasePhase } from '../api/releases.js';
import type { AppRecord, ReleaseRecord } from '../model/state.js';
import { DEFAULT_STOP_GRACE_MS, type LaunchedProcess, type ProcessOptions } from './processes.js';
import { dynoCopy, type SlugShelf } from './slug-shelf.js';

/** Heroku stops a release command after 1 hour, and the release fails (Dev Center "Release Phase"). */
export const RELEASE_PHASE_TIMEOUT_MS = 60 * 60_000;

interface Running {
  stopping: boolean;
  process: LaunchedProcess | undefined;
  readonly done: Promise<void>;
}

/**
 * Runs process-run release phases (api/release-phase.ts) for real, as Heroku's one-off
 * `release.1` dyno does: in a fresh copy of the compiled slug, with the release's config vars (plus
 * `PATH`, `HOME`, `DYNO`, `PORT`) and nothing else. The output stream exists from the moment the
 * command starts (`startedMs`); every line goes to it and to the app's log. Exit status 0 makes the
 * release succeed and go live; any other status, a compile failure, a slug without code, or the
 * 1-hour limit makes it fail, and the previous release stays current. `reconcile` (after every
 * sandbox request) starts what is pending and not yet running, so a phase left pending by an
 * earlier sandbox process is run again.
 */
export class ReleasePhases {
  private readonly running = new Map<string, Running>();
  private closed = false;

  constructor(
    private readonly world: World,
    private readonly options: ProcessOptions,
    private readonly shelf: SlugShelf,
    /** Called when a phase ended, so the web dynos follow the new current release. */
    private readonly settled: () => void,
  ) {}

  reconcile(): void {
    if (this.closed) return;
    for (const app of this.world.state.heroku.apps) {
      for (const release of app.releases) {
        if (release.status !== 'pending' || release.phase?.runner !== 'process' || this.running.has(release.id)) continue;
        const entry: Running = { stopping: false, process: undefined, done: Promise.resolve() };
        this.running.set(release.id, entry);
        Object.assign(entry, {
          done: this.run(app, release, entry)
            .catch((error: unknown) => this.finish(app, release, entry, error instanceof Error ? error.message : String(error)))
            .finally(() => this.running.delete(release.id)),
        });
      }
    }
  }

  /** Stops every running release command (its release stays pending; a later run starts it again). */
  async stopAll(): Promise<void> {
    const all = [...this.running.values()];
    for (const entry of all) entry.stopping = true;
    await Promise.all(all.map((e) => e.process?.stop(this.options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS)));
    await Promise.allSettled(all.map((e) => e.done));
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.stopAll();
  }

  private async run(app: AppRecord, release: ReleaseRecord, entry: Running): Promise<void> {
    const phase = release.phase;
    const slug = app.slugs.find((s) => s.id === release.slugId);
    if (phase === null || slug === undefined) throw new Error('the release has no slug to run');
    const source = slug.sourceKey === null ? undefined : this.world.heroku.blobs.get(slug.sourceKey);
    if (source === undefined) throw new Error(`the sandbox has no code for slug ${slug.id} (it was declared, not built)`);
    const compiled = await this.shelf.prepare(source, (text) => this.world.heroku.logs.append(app.id, 'app', 'build', text));
    if (entry.stopping) return;
    const dir = await dynoCopy(compiled);
    try {
      const now = this.world.clock().getTime();
      phase.startedMs = now;
      phase.output.push(startLine(release, phase.command, now));
      this.world.heroku.logs.append(app.id, 'heroku', 'release.1', `Starting process with command \`${phase.command}\``);
      const launched = this.options.launch({
        command: phase.command,
        cwd: dir,
        env: {
          PATH: [this.options.env['PATH'] ?? '/usr/local/bin:/usr/bin:/bin', join(dir, 'bin'), join(dir, 'node_modules', '.bin')].join(':'),
          HOME: dir,
          ...release.config,
          PORT: '5000',
          DYNO: 'release.1',
        },
        onLine: (line) => {
          phase.output.push({ atMs: this.world.clock().getTime(), text: line });
          this.world.heroku.logs.append(app.id, 'app', 'release.1', line);
        },
      });
      entry.process = launched;
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        void launched.stop(this.options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS);
      }, RELEASE_PHASE_TIMEOUT_MS);
      timer.unref();
      const { code, signal } = await launched.exited.finally(() => clearTimeout(timer));
      this.world.heroku.logs.append(app.id, 'heroku', 'release.1', `Process exited with status ${code ?? signal ?? 'unknown'}`);
      if (entry.stopping) return;
      if (timedOut) this.finish(app, release, entry, 'the release command ran longer than 1 hour and was stopped');
      else if (code === 0) this.finish(app, release, entry, undefined);
      else this.finish(app, release, entry, `the release command exited with ${code === null ? `signal ${signal}` : `status ${code}`}`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** Settles the release (unless the sandbox is stopping it): `failure` undefined means exit status 0. */
  private finish(app: AppRecord, release: ReleaseRecord, entry: Running, failure: string | undefined): void {
    if (entry.stopping) return;
    const at = this.world.clock().getTime();
    // A phase that failed before its command started (compile error) still gets a stream to read.
    if (release.phase !== null && release.phase.startedMs === null) release.phase.startedMs = at;
    settleReleasePhase(this.world, app, release, failure === undefined ? { ok: true } : { ok: false, reason: failure }, at);
    this.settled();
  }
}
