import { describe, expect, it } from 'vitest';
import { logStep } from '../../../../src/sandbox/pipeline/log.js';
import { request } from './helpers.js';

describe('log step', () => {
  it('records method, path as sent, status, request id and duration', () => {
    const entry = logStep(
      {
        seq: 3,
        request: request('GET', '/apps/web'),
        rawPath: '/apps/web?x=1',
        startedMs: 100,
        api: 'heroku',
        fault: undefined,
      },
      { status: 200, requestId: 'req-1' },
      112.345,
    );
    expect(entry).toEqual({
      seq: 3,
      method: 'GET',
      path: '/apps/web?x=1',
      status: 200,
      startedMs: 100,
      durationMs: 12.35,
      api: 'heroku',
      requestId: 'req-1',
    });
  });

  it('adds the fault, the error and a digest of the body, never the body itself', () => {
    const logged = {
      seq: 1,
      request: request('PATCH', '/apps/web/config-vars', '{"SECRET":"hunter2"}'),
      rawPath: '/apps/web/config-vars',
      startedMs: 0,
      api: 'heroku' as const,
      fault: 'reset_after' as const,
    };
    const entry = logStep(logged, { status: 0, error: 'boom' }, 1);
    expect(entry).toMatchObject({ status: 0, fault: 'reset_after', error: 'boom' });
    expect(entry.bodyDigest).toMatch(/^[0-9a-f]{16}$/);
    expect(JSON.stringify(entry)).not.toContain('hunter2');
    expect(
      logStep({ ...logged, request: request('PATCH', '/apps/web/config-vars', '{"A":"b"}') }, { status: 0 }, 1)
        .bodyDigest,
    ).not.toBe(entry.bodyDigest);
  });
});
