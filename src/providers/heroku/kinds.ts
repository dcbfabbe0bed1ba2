import type { KindPolicies } from '../../engine/types.js';

/**
 * Add-on services holding data. Their add-ons are protected: deleting or replacing one needs
 * `--allow-destroy`. Live, always (addons.ts); declared, unless app.yaml says `protect: false`
 * (desired-extras.ts).
 */
export const DATA_SERVICES: readonly string[] = ['heroku-postgresql', 'heroku-redis'];

/**
 * Safety policy of the Heroku kinds (engine `KindPolicy`): what destroying an app or an add-on
 * loses, for the refusal. Apps are always protected (desired.ts, convert.ts); add-ons by service.
 */
export const HEROKU_KINDS: KindPolicies = {
  'heroku.app': {
    deleteLoses: () => 'destroys the app with its add-ons and all their data, config vars, domains and releases',
  },
  'heroku.addon': {
    // The add-on's plan names what goes (`heroku-postgresql:standard-0`).
    deleteLoses: (live) => {
      const plan = live.attributes['plan'];
      return `destroys the add-on${typeof plan === 'string' ? ` (${plan})` : ''} and all its data`;
    },
  },
};
