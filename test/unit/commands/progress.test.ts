import { describe, expect, it } from 'vitest';
import { realTiming, stderrProgress } from '../../../src/commands/progress.js';
import { fakeIo } from '../../helpers/cli.js';

describe('progress on stderr', () => {
  it('is plain, line by line and timestamp-free when stderr is not a terminal (CI logs)', () => {
    const io = fakeIo({ cwd: '/tmp' });
    let now = 0;
    const progress = stderrProgress(io, { now: () => now, sleep: async () => {} });
    const step = progress.step('Building 1a2b3c4');
    progress.output('-----> Building on the Heroku-24 stack');
    progress.output('');
    step.update('pending');
    step.update('pending');
    now = 4_200;
    step.done('Built 1a2b3c4 in 4.2 s');
    progress.warn('the output stream broke');
    progress.step('Health check').fail();
    progress.close();
    expect(io.err.join('')).toBe(
      [
        'Building 1a2b3c4...',
        '  -----> Building on the Heroku-24 stack',
        '',
        '  pending',
        '✓ Built 1a2b3c4 in 4.2 s',
        'warning: the output stream broke',
        'Health check...',
        '✗ Health check',
        '',
      ].join('\n'),
    );
  });

  it('redraws one live line on a terminal, with platform output above it', () => {
    const io = { ...fakeIo({ cwd: '/tmp' }), stderrIsTTY: true };
    const err: string[] = [];
    const progress = stderrProgress({ ...io, stderr: (t) => err.push(t) }, { now: () => 0, sleep: async () => {} });
    const step = progress.step('Building');
    progress.output('line of output');
    step.update('pending');
    step.done('Built');
    progress.close();
    const text = err.join('');
    expect(text).toContain('\r\x1b[2K');
    expect(text).toMatch(/⠙ Building/);
    expect(text).toContain('\r\x1b[2K  line of output\n');
    expect(text).toContain('Building · pending');
    expect(text).toContain('\r\x1b[2K✓ Built (0.0 s)\n');
  });

  it('realTiming sleeps, and an aborted sleep ends at once', async () => {
    const timing = realTiming();
    const started = timing.now();
    const stop = new AbortController();
    const sleeping = timing.sleep(10_000, stop.signal);
    stop.abort();
    await sleeping;
    await timing.sleep(5);
    expect(timing.now() - started).toBeLessThan(1_000);
  });
});
