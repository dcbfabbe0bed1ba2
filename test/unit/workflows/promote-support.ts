import { parseConfig } from '../../../src/config/index.js';
import type { Config } from '../../../src/model/config.js';
import type { Delivery, ReleaseStatus } from '../../../src/providers/provider.js';
import type { Progress, Timing } from '../../../src/workflows/progress.js';

/** A clock that stands still: polls and waits take no time. */
export const timing: Timing = { now: () => 0, sleep: async () => {} };

/** A clock that moves only when slept on, by `stepMs` per sleep whatever was asked. */
export function steppingClock(stepMs: number): Timing {
  let now = 0;
  return {
    now: () => now,
    sleep: async () => {
      now += stepMs;
    },
  };
}

/** Progress that records every event as one line (`step …`, `update …`, `done …`, `warn …`). */
export function recorder(): { progress: Progress; events: string[] } {
  const events: string[] = [];
  const progress: Progress = {
    step: (message) => {
      events.push(`step ${message}`);
      return {
        update: (detail) => events.push(`update ${detail}`),
        done: (message) => events.push(`done ${message ?? ''}`),
        fail: (message) => events.push(`fail ${message ?? ''}`),
      };
    },
    output: (line) => events.push(`output ${line}`),
    info: (message) => events.push(`info ${message}`),
    warn: (message) => events.push(`warn ${message}`),
  };
  return { progress, events };
}

export const rel = (version: number, slugId: string | null, extra: Partial<ReleaseStatus> = {}): ReleaseStatus => ({
  id: `r${version}`,
  version,
  status: 'succeeded',
  current: false,
  slugId,
  description: `v${version}`,
  outputStreamUrl: null,
  ...extra,
});

/** A Delivery where only what a test sets up exists; anything else is a bug in the test. */
export function delivery(parts: Partial<Delivery>): Delivery {
  return new Proxy(parts as Delivery, {
    get: (target, key) => {
      const value = (target as unknown as Record<string | symbol, unknown>)[key];
      if (value === undefined) throw new Error(`unexpected call to ${String(key)}`);
      return value;
    },
  });
}

/** A parsed app.yaml; its diagnostics thrown when it is invalid. */
export function config(text: string): Config {
  const parsed = parseConfig(text, 'app.yaml', {});
  if (parsed.config === undefined) throw new Error(JSON.stringify(parsed.diagnostics));
  return parsed.config;
}
