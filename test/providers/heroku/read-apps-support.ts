import { HerokuClient } from '../../../src/providers/heroku/client.js';
import { BASE } from './support.js';

/** What the read-apps tests share: which optional parts an app's read asks for, and the client. */
export const NONE = { buildpacks: false, features: false, coupling: false };
/** The reads every app gets, whatever it declares. */
export const OWN_KINDS = ['/config-vars', '/formation', '/domains', '/log-drains'];
/** The raw read of an app that does not exist: nothing at all. */
export const NOTHING = {
  app: undefined,
  vars: undefined,
  formation: undefined,
  addons: undefined,
  buildpacks: undefined,
  features: undefined,
  domains: undefined,
  drains: undefined,
  coupling: undefined,
};

export function client(): HerokuClient {
  return new HerokuClient({ baseUrl: BASE, token: 't', userAgent: 'test', sleep: async () => {} });
}
