import { describe, it } from 'vitest';
import { crashAtEveryStep } from '../helpers/crash.js';

// Crash at every step (what each crash must leave: crashAtEveryStep in test/helpers/crash.ts), at
// every request of the last third of a full apply, the connection cut after and before the sandbox
// carried it out. The other thirds: crash-first-third.test.ts, crash-middle-third.test.ts.
describe('crash at every step of a full apply, then the same apply again: the last third', () => {
  const crashes = crashAtEveryStep('last');
  it('converges with nothing duplicated or lost from every crash point', crashes, 600_000);
});
