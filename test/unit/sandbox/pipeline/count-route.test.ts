import { describe, expect, it } from 'vitest';
import { RequestCounter } from '../../../../src/sandbox/pipeline/count.js';
import { routeStep, surfaceFor } from '../../../../src/sandbox/pipeline/route.js';
import { fakeSurface, request } from './helpers.js';

describe('count step', () => {
  it('numbers requests from 1 and starts again after a reset', () => {
    const counter = new RequestCounter();
    expect([counter.next(), counter.next(), counter.next()]).toEqual([1, 2, 3]);
    expect(counter.count).toBe(3);
    counter.reset();
    expect(counter.count).toBe(0);
    expect(counter.next()).toBe(1);
  });
});

describe('route step', () => {
  it('hands the request to the first surface that owns its path', () => {
    const cloudflare = fakeSurface('cloudflare', '/client/v4', { status: 200, requestId: 'cf' });
    const heroku = fakeSurface('heroku', '/', { status: 201, requestId: 'h' });
    const surfaces = [cloudflare.surface, heroku.surface];
    expect(surfaceFor(surfaces, '/client/v4/zones').name).toBe('cloudflare');
    const surface = surfaceFor(surfaces, '/apps');
    expect(surface.name).toBe('heroku');
    expect(routeStep(surface, request('POST', '/apps'))).toEqual({ status: 201, requestId: 'h' });
    expect(heroku.handled.map((r) => r.path)).toEqual(['/apps']);
    expect(cloudflare.handled).toEqual([]);
  });

  it('fails loudly when no surface owns a path', () => {
    expect(() => surfaceFor([fakeSurface('cloudflare', '/client/v4').surface], '/apps')).toThrow(
      'no sandbox API owns /apps',
    );
  });
});
