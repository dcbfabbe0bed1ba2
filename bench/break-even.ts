/**
 * Section 7 (issue #20): what reading the apps and their add-ons costs, by how many apps app.yaml
 * names (n) and how many the account holds (A, with 2 add-ons each), for the way read-apps.ts
 * chooses (per app below 2 apps, else the account's listings followed while cheaper) against the
 * two pure ways: per app (`GET /apps/{app}` and its add-ons: 2n) and listings to the end
 * (⌈A/1,000⌉ + ⌈2A/1,000⌉ pages). The account is simulated (a client answering pages of 1,000, as
 * Heroku and the sandbox do for `Range: …; max=1000`); the requests counted are readApps' own.
 * The reads no listing holds (config vars, formation, …) are the same in every way and left out.
 */
import type { ApiAddon, ApiApp } from '../src/providers/heroku/api-types.js';
import type { HerokuClient } from '../src/providers/heroku/client.js';
import { readApps } from '../src/providers/heroku/read-apps.js';

export interface BreakEvenRow {
  readonly named: number;
  readonly accountApps: number;
  readonly chosen: number;
  readonly perApp: number;
  readonly listings: number;
}

const PAGE = 1_000;
const app = (i: number): ApiApp => ({
  id: `app-${String(i).padStart(6, '0')}`,
  name: `app-${i}`,
  maintenance: false,
  acm: false,
  region: { id: 'r', name: 'us' },
  stack: { id: 's', name: 'heroku-24' },
  build_stack: { id: 's', name: 'heroku-24' },
  team: null,
  web_url: null,
});

/** A client over a simulated account that counts the requests readApps sends (own kinds answered empty, uncounted). */
function simulated(accountApps: number): { client: HerokuClient; counted: () => number } {
  const apps = Array.from({ length: accountApps }, (_, i) => app(i));
  const addons = apps.flatMap((a, i) =>
    [0, 1].map(
      (k): ApiAddon => ({
        id: `addon-${String(2 * i + k).padStart(7, '0')}`,
        name: `addon-${2 * i + k}`,
        config_vars: [],
        addon_service: { id: 'svc', name: 'newrelic' },
        plan: { id: 'plan', name: 'newrelic:wayne' },
        state: 'provisioned',
        app: { id: a.id },
      }),
    ),
  );
  let count = 0;
  const own = /\/(config-vars|formation|domains|log-drains|buildpack-installations|features)$/;
  const client = {
    page: async (path: string, range: string) => {
      count += 1;
      const items: unknown[] = path === '/apps' ? apps : path === '/addons' ? addons : [];
      const start = range.startsWith('id ]page-') ? Number(range.slice('id ]page-'.length, range.indexOf('.'))) : 0;
      const page = items.slice(start * PAGE, (start + 1) * PAGE);
      const more = (start + 1) * PAGE < items.length;
      return { items: page, nextRange: more ? `id ]page-${start + 1}..; max=${PAGE}` : undefined };
    },
    find: async (path: string) => {
      if (own.test(path)) return path.endsWith('/config-vars') ? {} : [];
      count += 1;
      const name = /^\/apps\/([^/]+)/.exec(path)?.[1] ?? '';
      const found = apps.find((a) => a.name === name);
      if (path.endsWith('/addons')) return found === undefined ? undefined : addons.filter((x) => x.app?.id === found.id);
      return found;
    },
  };
  return { client: client as unknown as HerokuClient, counted: () => count };
}

export async function breakEven(
  namedCounts: readonly number[],
  accountSizes: readonly number[],
): Promise<BreakEvenRow[]> {
  const rows: BreakEvenRow[] = [];
  for (const accountApps of accountSizes) {
    for (const named of namedCounts.filter((n) => n <= accountApps)) {
      const { client, counted } = simulated(accountApps);
      // Named apps spread evenly over the account's id order.
      const targets = Array.from({ length: named }, (_, k) => ({
        appName: `app-${Math.floor(((k + 0.5) * accountApps) / named)}`,
        reads: { buildpacks: false, features: false, coupling: false },
      }));
      await readApps(client, targets);
      rows.push({
        named,
        accountApps,
        chosen: counted(),
        perApp: 2 * named,
        listings: Math.ceil(accountApps / PAGE) + Math.ceil((2 * accountApps) / PAGE),
      });
    }
  }
  return rows;
}
