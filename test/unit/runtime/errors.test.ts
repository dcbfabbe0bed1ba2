import { describe, expect, it } from 'vitest';
import { ConflictError, DaffError, mayHaveHappened, ProviderError } from '../../../src/runtime/errors.js';

describe('mayHaveHappened', () => {
  it('holds for a provider failure without an answer, or with a server error', () => {
    expect(mayHaveHappened(new ProviderError('heroku', 'socket hang up', {}))).toBe(true);
    expect(mayHaveHappened(new ProviderError('heroku', 'HTTP 500', { status: 500 }))).toBe(true);
    expect(mayHaveHappened(new ProviderError('cloudflare', 'HTTP 503', { status: 503 }))).toBe(true);
  });

  it('does not hold for a clear refusal, or for an error that is not a provider failure', () => {
    expect(mayHaveHappened(new ProviderError('heroku', 'HTTP 499', { status: 499 }))).toBe(false);
    expect(mayHaveHappened(new ConflictError('heroku', 'HTTP 422', { status: 422 }))).toBe(false);
    expect(mayHaveHappened(new DaffError('no app.yaml'))).toBe(false);
    expect(mayHaveHappened(new Error('boom'))).toBe(false);
  });
});
