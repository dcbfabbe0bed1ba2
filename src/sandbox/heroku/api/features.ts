import { json } from '../../http.js';
import { stableUuid, UUID_PATTERN } from '../../ids.js';
import { findApp } from '../model/lookup.js';
import type { AppRecord } from '../model/state.js';
import { objectBody, optionalBoolean } from '../model/validate.js';
import type { HerokuRouter } from '../protocol/context.js';
import { invalidParams, notFound } from '../protocol/errors.js';
import { paginate, type RangeKey } from '../protocol/range.js';

/**
 * App features (Heroku Labs and platform toggles). All start disabled; `PATCH {enabled}` flips one
 * without a release. The sandbox records the switch only: e.g. runtime-dyno-metadata adds its
 * variables to the dyno environment on Heroku, not to config vars, so nothing else changes here.
 */
interface Feature {
  readonly name: string;
  readonly displayName: string;
  readonly description: string;
  readonly docUrl: string;
  readonly state: 'general' | 'beta';
}

export const FEATURES: readonly Feature[] = [
  [
    'preboot',
    'Preboot',
    'Provide seamless web dyno deploys',
    'https://devcenter.heroku.com/articles/preboot',
    'general',
  ],
  [
    'http-session-affinity',
    'HTTP Session Affinity',
    'Enable session affinity for all requests',
    'https://devcenter.heroku.com/articles/session-affinity',
    'general',
  ],
  [
    'runtime-dyno-metadata',
    'Runtime Dyno Metadata',
    'Enable dyno metadata to be added to the environment of dynos',
    'https://devcenter.heroku.com/articles/dyno-metadata',
    'beta',
  ],
  [
    'runtime-dyno-build-metadata',
    'Runtime Dyno Build Metadata',
    'Enable build metadata to be added to the environment of dynos',
    'https://devcenter.heroku.com/articles/dyno-metadata',
    'beta',
  ],
  [
    'log-runtime-metrics',
    'Log Runtime Metrics',
    'Emit dyno resource usage information into app logs',
    'https://devcenter.heroku.com/articles/log-runtime-metrics',
    'beta',
  ],
].map(([name, displayName, description, docUrl, state]) => ({
  name: name as string,
  displayName: displayName as string,
  description: description as string,
  docUrl: docUrl as string,
  state: state as Feature['state'],
}));

export function findFeature(identity: string): Feature | undefined {
  if (UUID_PATTERN.test(identity))
    return FEATURES.find((f) => stableUuid('app-feature', f.name) === identity.toLowerCase());
  return FEATURES.find((f) => f.name === identity);
}

/** Switches a feature on an app (no-op when already so). */
export function setFeature(app: AppRecord, feature: Feature, enabled: boolean, now: string): void {
  const current = app.features.find((f) => f.name === feature.name);
  if (current === undefined) app.features.push({ name: feature.name, enabled, updatedAt: now });
  else if (current.enabled !== enabled) {
    current.enabled = enabled;
    current.updatedAt = now;
  }
}

function featureJson(app: AppRecord, feature: Feature): Record<string, unknown> {
  const switched = app.features.find((f) => f.name === feature.name);
  return {
    created_at: app.createdAt,
    description: feature.description,
    display_name: feature.displayName,
    doc_url: feature.docUrl,
    enabled: switched?.enabled ?? false,
    feedback_email: 'feedback@heroku.com',
    id: stableUuid('app-feature', feature.name),
    name: feature.name,
    state: feature.state,
    updated_at: switched?.updatedAt ?? app.createdAt,
  };
}

const FEATURE_RANGES: readonly RangeKey<Feature>[] = [
  { name: 'id', value: (f) => stableUuid('app-feature', f.name) },
  { name: 'name', value: (f) => f.name },
];

export function registerFeatures(router: HerokuRouter): void {
  router.add('GET', '/apps/:app/features', {
    handler: (ctx) => {
      const app = findApp(ctx.world.state.heroku, ctx.params['app'] as string);
      return paginate(FEATURES, FEATURE_RANGES, ctx.range, (f) => featureJson(app, f));
    },
  });
  router.add('GET', '/apps/:app/features/:feature', {
    handler: (ctx) => {
      const app = findApp(ctx.world.state.heroku, ctx.params['app'] as string);
      return json(200, featureJson(app, featureOrThrow(ctx.params['feature'] as string)));
    },
  });
  router.add('PATCH', '/apps/:app/features/:feature', {
    handler: (ctx) => {
      const app = findApp(ctx.world.state.heroku, ctx.params['app'] as string);
      const feature = featureOrThrow(ctx.params['feature'] as string);
      const enabled = optionalBoolean(objectBody(ctx.body), 'enabled');
      if (enabled === undefined) throw invalidParams('Invalid params: enabled is required.');
      setFeature(app, feature, enabled, ctx.world.now());
      return json(200, featureJson(app, feature));
    },
  });
}

function featureOrThrow(identity: string): Feature {
  const feature = findFeature(identity);
  if (feature === undefined) throw notFound('feature');
  return feature;
}
