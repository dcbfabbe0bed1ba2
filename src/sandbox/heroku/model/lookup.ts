import { UUID_PATTERN } from '../../ids.js';
import { notFound } from '../protocol/errors.js';
import type { AddonRecord, AppRecord, HerokuState, TeamRecord } from './state.js';

/** An app by id or name; 404 `Couldn't find that app.` otherwise. */
export function findApp(heroku: HerokuState, identity: string): AppRecord {
  const app = UUID_PATTERN.test(identity)
    ? heroku.apps.find((a) => a.id === identity.toLowerCase())
    : heroku.apps.find((a) => a.name === identity);
  if (app === undefined) throw notFound('app');
  return app;
}

export function findTeam(heroku: HerokuState, identity: string): TeamRecord | undefined {
  return UUID_PATTERN.test(identity)
    ? heroku.teams.find((t) => t.id === identity.toLowerCase())
    : heroku.teams.find((t) => t.name === identity);
}

/** An add-on by id or its globally unique name, anywhere. */
export function findAddon(heroku: HerokuState, identity: string): { app: AppRecord; addon: AddonRecord } {
  for (const app of heroku.apps) {
    const addon = app.addons.find((a) => a.id === identity.toLowerCase() || a.name === identity);
    if (addon !== undefined) return { app, addon };
  }
  throw notFound('add-on');
}

/** `{id, name}` reference to an app, as nested in most Heroku resources. */
export function appRef(app: AppRecord): { id: string; name: string } {
  return { id: app.id, name: app.name };
}

/** Names of config vars owned by the app's add-ons. */
export function addonOwnedKeys(app: AppRecord): Set<string> {
  return new Set(app.addons.flatMap((a) => a.configVars));
}
