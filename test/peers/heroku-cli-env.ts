import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The environment that isolates the official Heroku CLI: HOME and the XDG folders inside `home`
 * (created if missing; the CLI writes git config and caches there), telemetry, update checks and
 * autoupdate off, every host it may call `url` (the Postgres API's by host name only: the CLI
 * passes `HEROKU_DATA_HOST` as `hostname` and keeps the API's protocol and port), and `apiKey` as
 * its token. Shared by the peer check (test/peers/heroku-cli.ts) and the benchmark's peer
 * comparison (bench/peer.ts).
 */
export function isolatedHerokuCliEnv(home: string, url: string, apiKey: string): NodeJS.ProcessEnv {
  mkdirSync(home, { recursive: true });
  return {
    PATH: process.env['PATH'],
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_CACHE_HOME: join(home, '.cache'),
    XDG_DATA_HOME: join(home, '.local/share'),
    HEROKU_HOST: url,
    HEROKU_PARTICLEBOARD_URL: url,
    HEROKU_DATA_HOST: new URL(url).hostname,
    HEROKU_API_KEY: apiKey,
    DISABLE_TELEMETRY: 'true',
    HEROKU_SKIP_NEW_VERSION_CHECK: 'true',
    HEROKU_DISABLE_AUTOUPDATE: 'true',
    NO_COLOR: '1',
  };
}
