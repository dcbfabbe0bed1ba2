import { describe, expect, it } from 'vitest';
import {
  type ApiFailure,
  classifyCloudflareError,
  hasCode,
  isAmbiguous,
  toProviderError,
} from '../../../../src/providers/cloudflare/errors.js';
import { ConflictError, ProviderError, RateLimitedError } from '../../../../src/runtime/errors.js';

const base: ApiFailure = { kind: 'http', status: 500, errors: [], requestId: 'ray-1', retryAfterMs: undefined };
const permission = 'Zone › DNS › Edit';

describe('toProviderError and classifyCloudflareError', () => {
  it('classifies 5xx and lost connections as transient, 429 as rate limited, the rest as fatal', () => {
    const server = toProviderError(base, 'GET /x', permission);
    expect(server).toMatchObject({ status: 500, requestId: 'ray-1', message: 'Cloudflare rejected GET /x: HTTP 500' });
    expect(classifyCloudflareError(server)).toEqual({ kind: 'transient' });
    expect(isAmbiguous(server)).toBe(true);

    const network = toProviderError({ ...base, kind: 'network', status: undefined, detail: 'socket hang up' }, 'POST /b', permission);
    expect(network).toMatchObject({ apiCode: 'network error', message: 'Could not reach the Cloudflare API for POST /b: socket hang up' });
    expect(classifyCloudflareError(network)).toEqual({ kind: 'transient' });

    const limited = toProviderError({ ...base, status: 429, errors: [{ code: 971, message: 'slow down' }] }, 'GET /x', permission);
    expect(limited).toBeInstanceOf(RateLimitedError);
    // No Retry-After: the whole 5-minute block (developers.cloudflare.com/fundamentals/api/reference/limits/).
    expect(classifyCloudflareError(limited)).toEqual({ kind: 'rate-limited', retryAfterMs: 300_000 });

    const local = toProviderError({ ...base, kind: 'local', status: undefined, detail: 'bad params' }, 'GET /x', permission);
    expect(local.message).toBe('The Cloudflare SDK refused GET /x: bad params');
    expect(classifyCloudflareError(local)).toEqual({ kind: 'fatal' });
    expect(classifyCloudflareError(toProviderError({ ...base, kind: 'envelope', status: 200 }, 'GET /x', permission))).toEqual({ kind: 'fatal' });
    expect(classifyCloudflareError(new ProviderError('cloudflare', 'made elsewhere', { status: 503 }))).toEqual({ kind: 'fatal' });
    expect(classifyCloudflareError(new Error('not ours'))).toEqual({ kind: 'fatal' });
  });

  it('spells out error chains and recognises record conflicts by code', () => {
    const failure: ApiFailure = {
      ...base,
      status: 400,
      errors: [{ code: 1004, message: 'DNS Validation Error', error_chain: [{ code: 9007, message: 'Content for CNAME record is invalid.' }] }],
    };
    const error = toProviderError(failure, 'POST /batch', permission);
    expect(error.message).toBe('Cloudflare rejected POST /batch: DNS Validation Error (1004): Content for CNAME record is invalid. (9007)');
    expect(error).not.toBeInstanceOf(ConflictError);
    expect(hasCode(error, [1004])).toBe(true);
    expect(hasCode(error, [81053])).toBe(false);
    expect(toProviderError({ ...base, status: 400, errors: [{ code: 81058 }] }, 'POST /batch', permission)).toBeInstanceOf(ConflictError);
    expect(toProviderError({ ...base, status: 409 }, 'PUT /x', permission)).toBeInstanceOf(ConflictError);
  });
});
