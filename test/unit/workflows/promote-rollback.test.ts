import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../../src/runtime/errors.js';
import { rollBack } from '../../../src/workflows/promote.js';
import { delivery, recorder, rel, timing } from './promote-support.js';

// rollBack's adoption rule and odd failures (promote.test.ts has the main paths).
const { progress } = recorder();

describe('rollBack: adoption and odd failures', () => {
  const to = rel(7, 'slug-old');

  it('adopts after an unclear failure only a newer rollback release of the old slug', async () => {
    const unclear = new ProviderError('heroku', 'HTTP 502', { status: 502 });
    const candidates = [
      rel(9, 'slug-old', { current: true, description: 'Deploy 1a2b3c4' }),
      rel(7, 'slug-old', { description: 'Rollback to v5' }),
      rel(8, 'slug-new', { description: 'Rollback to v6' }),
    ];
    const d = delivery({
      rollback: async () => {
        throw unclear;
      },
      releases: async () => candidates,
    });
    expect(await rollBack(d, 'shop-production', to, progress, timing)).toEqual({ ok: false, reason: 'HTTP 502' });
  });

  it('says what was thrown when it is not an Error', async () => {
    const d = delivery({
      rollback: async () => {
        throw 'socket hang up';
      },
    });
    expect(await rollBack(d, 'shop-production', to, progress, timing)).toEqual({ ok: false, reason: 'socket hang up' });
  });
});

