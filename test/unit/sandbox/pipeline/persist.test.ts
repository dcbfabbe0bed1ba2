import { describe, expect, it } from 'vitest';
import { mutates, type Persistable, persistStep } from '../../../../src/sandbox/pipeline/persist.js';
import { request } from './helpers.js';

function counting(failure?: string) {
  const calls = { n: 0 };
  return {
    calls,
    persist: async () => {
      calls.n += 1;
      return failure;
    },
  };
}

const failed = (message: string): Persistable => ({ status: 500, body: { message } });

describe('persist step', () => {
  it('persists after writes and after reads that applied timed work, never after plain reads', async () => {
    const { calls, persist } = counting();
    for (const method of ['POST', 'PATCH', 'PUT', 'DELETE'])
      await persistStep(request(method, '/apps'), { status: 200 }, persist, failed);
    expect(calls.n).toBe(4);
    for (const method of ['GET', 'HEAD', 'OPTIONS'])
      await persistStep(request(method, '/apps'), { status: 200 }, persist, failed);
    expect(calls.n).toBe(4);
    await persistStep(request('GET', '/apps/a/builds/b'), { status: 200, mutated: true }, persist, failed);
    expect(calls.n).toBe(5);
  });

  it('keeps the reply when the state is saved, and answers the failure instead when it is not', async () => {
    const reply: Persistable = { status: 201, body: { id: 'x' } };
    expect(await persistStep(request('POST', '/apps'), reply, counting().persist, failed)).toBe(reply);
    expect(await persistStep(request('POST', '/apps'), reply, counting('disk full').persist, failed)).toEqual({
      status: 500,
      body: { message: 'disk full' },
    });
  });

  it('says which requests mutate', () => {
    expect(mutates('GET', { status: 200 })).toBe(false);
    expect(mutates('GET', { status: 200, mutated: true })).toBe(true);
    expect(mutates('DELETE', { status: 204 })).toBe(true);
  });
});
