import { completeProvisioning } from '../api/addon-provision.js';
import type { TimedWork } from './work.js';

/** An add-on Heroku provisions asynchronously becomes `provisioned` when due (api/addon-provision.ts). */
export const addonProvisioning: TimedWork = {
  scope: 'app',
  name: 'add-on provisioning',
  *due(world, app) {
    for (const addon of app.addons) {
      if (addon.state === 'provisioning' && addon.provisionDueMs !== null) {
        const at = addon.provisionDueMs;
        yield { at, run: () => completeProvisioning(world, app, addon, at) };
      }
    }
  },
};
