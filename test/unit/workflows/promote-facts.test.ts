import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/index.js';
import type { Config } from '../../../src/model/config.js';
import { UsageError } from '../../../src/runtime/errors.js';
import { promotionRoute } from '../../../src/workflows/promote-facts.js';

function config(text: string): Config {
  const parsed = parseConfig(text, 'app.yaml', {});
  if (parsed.config === undefined) throw new Error(JSON.stringify(parsed.diagnostics));
  return parsed.config;
}

const THREE = config(`version: 1
name: shop
pipeline: shop
environments:
  staging: { app: shop-staging, stage: staging }
  production: { app: shop-production, stage: production }
  eu: { app: shop-eu, stage: production }
  dev: { app: shop-dev, stage: development }
`);

describe('promotionRoute', () => {
  it("defaults from the staging stage to every production stage of the pipeline", () => {
    const route = promotionRoute(THREE, undefined, []);
    expect([route.pipeline, route.source.name, route.targets.map((t) => t.name)]).toEqual(['shop', 'staging', ['production', 'eu']]);
  });

  it('takes --from and --to, without repeats', () => {
    const route = promotionRoute(THREE, 'dev', ['staging', 'staging']);
    expect([route.source.name, route.targets.map((t) => t.name)]).toEqual(['dev', ['staging']]);
  });

  it('says what to pass when it cannot tell', () => {
    const error = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(UsageError);
        return `${(e as UsageError).message} | ${(e as UsageError).hint}`;
      }
      throw new Error('no error');
    };
    expect(error(() => promotionRoute(THREE, 'nope', []))).toBe('There is no environment "nope" in app.yaml | declared environments: staging, production, eu, dev');
    expect(error(() => promotionRoute(THREE, 'staging', ['staging']))).toContain('Cannot promote staging to itself');
    const noPipeline = config('version: 1\nname: shop\nenvironments:\n  staging: { app: shop-staging, stage: staging }\n');
    expect(error(() => promotionRoute(noPipeline, undefined, []))).toContain('declares no pipeline');
    const noStages = config('version: 1\nname: shop\npipeline: shop\nenvironments:\n  a: { app: shop-a }\n  b: { app: shop-b }\n');
    expect(error(() => promotionRoute(noStages, undefined, []))).toBe('Cannot tell which environment to promote from: none has `stage: staging` | Pass --from ENV.');
    expect(error(() => promotionRoute(noStages, 'a', []))).toContain('none has `stage: production`');
  });
});
