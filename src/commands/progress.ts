import { createPalette } from '../render/colors.js';
import type { Io } from '../runtime/io.js';
import { formatDuration, type Progress, type Step, type Timing } from '../workflows/progress.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const CLEAR_LINE = '\r\x1b[2K';

/**
 * Progress on stderr. On a terminal: the running step is one live line (spinner, detail, elapsed
 * time) redrawn in place, with platform output scrolling above it. Elsewhere (CI logs, tests):
 * plain lines, one per event — a step when it starts, a detail only when it changes, the outcome —
 * and no timestamps, so logs read top to bottom.
 */
export function stderrProgress(io: Io, timing: Timing): Progress & { close(): void } {
  return io.stderrIsTTY ? new LiveProgress(io, timing) : new PlainProgress(io);
}

/** Real time for the CLI: a monotonic clock, and sleeps that stop when aborted. */
export function realTiming(): Timing {
  return {
    now: () => performance.now(),
    sleep: (ms, signal) =>
      new Promise<void>((resolve) => {
        if (signal?.aborted) return resolve();
        const timer = setTimeout(resolve, ms);
        signal?.addEventListener(
          'abort',
          () => {
            clearTimeout(timer);
            resolve();
          },
          { once: true },
        );
      }),
  };
}

class PlainProgress implements Progress {
  private readonly palette;
  constructor(private readonly io: Io) {
    this.palette = createPalette(io.color);
  }

  step(message: string): Step {
    this.io.stderr(`${message}...\n`);
    let last = '';
    return {
      update: (detail) => {
        if (detail === last) return;
        last = detail;
        this.io.stderr(`  ${detail}\n`);
      },
      done: (final) => this.io.stderr(`${this.palette.create('✓')} ${final ?? message}\n`),
      fail: (final) => this.io.stderr(`${this.palette.error('✗')} ${final ?? message}\n`),
    };
  }
  output(line: string): void {
    this.io.stderr(`${`  ${line}`.trimEnd()}\n`);
  }
  info(message: string): void {
    this.io.stderr(`${message}\n`);
  }
  warn(message: string): void {
    this.io.stderr(`${this.palette.warning('warning:')} ${message}\n`);
  }
  close(): void {}
}

class LiveProgress implements Progress {
  private readonly palette;
  private current: { message: string; detail: string; started: number } | undefined;
  private frame = 0;
  private timer: ReturnType<typeof setInterval> | undefined;
  /** Terminal columns (`COLUMNS`, which shells export), else 80. */
  private readonly width: number;

  constructor(
    private readonly io: Io,
    private readonly timing: Timing,
  ) {
    this.palette = createPalette(io.color);
    const columns = Number(io.env['COLUMNS']);
    this.width = Number.isInteger(columns) && columns >= 20 ? columns : 80;
  }

  step(message: string): Step {
    this.finishLine();
    this.current = { message, detail: '', started: this.timing.now() };
    this.timer ??= setInterval(() => this.draw(), 100);
    this.timer.unref?.();
    this.draw();
    const end = (mark: string, final: string | undefined) => {
      const elapsed = this.current === undefined ? 0 : this.timing.now() - this.current.started;
      this.current = undefined;
      this.io.stderr(`${CLEAR_LINE}${mark} ${final ?? message} ${this.palette.dim(`(${formatDuration(elapsed)})`)}\n`);
      this.stopTimer();
    };
    return {
      update: (detail) => {
        if (this.current !== undefined) this.current.detail = detail;
        this.draw();
      },
      done: (final) => end(this.palette.create('✓'), final),
      fail: (final) => end(this.palette.error('✗'), final),
    };
  }
  output(line: string): void {
    this.above(`  ${line}`.trimEnd());
  }
  info(message: string): void {
    this.above(message);
  }
  warn(message: string): void {
    this.above(`${this.palette.warning('warning:')} ${message}`);
  }
  close(): void {
    this.finishLine();
    this.stopTimer();
  }

  private above(text: string): void {
    this.io.stderr(`${CLEAR_LINE}${text}\n`);
    this.draw();
  }
  private draw(): void {
    if (this.current === undefined) return;
    this.frame = (this.frame + 1) % FRAMES.length;
    const elapsed = formatDuration(this.timing.now() - this.current.started);
    const detail = this.current.detail === '' ? '' : ` · ${this.current.detail}`;
    // The live line must fit on one terminal row, or redrawing it in place would leave debris.
    const room = this.width - elapsed.length - 4;
    const text = `${this.current.message}${detail}`;
    const fitted = text.length > room ? `${text.slice(0, Math.max(0, room - 1))}…` : text;
    this.io.stderr(`${CLEAR_LINE}${FRAMES[this.frame]} ${fitted} ${this.palette.dim(elapsed)}`);
  }
  private finishLine(): void {
    if (this.current !== undefined) this.io.stderr(`${CLEAR_LINE}`);
  }
  private stopTimer(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }
}
