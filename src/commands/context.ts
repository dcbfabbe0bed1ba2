import { loadConfig } from '../config/index.js';
import type { Config } from '../model/config.js';
import type { Io } from '../runtime/io.js';
import type { Connection } from '../workflows/connection.js';
import { type Prepared, prepareEnvironments, type Selection } from '../workflows/prepare.js';
import { connect } from './connect.js';

/** Options every command shares. */
export interface GlobalOptions {
  readonly config?: string;
  readonly sandbox?: string | true;
  readonly debug: boolean;
}

/** Loads and validates the config: `--config`, else app.yaml in the working directory. */
export function loadAppYaml(io: Io, global: GlobalOptions): Config {
  return loadConfig({ ...(global.config === undefined ? {} : { path: global.config }), cwd: io.cwd, env: io.env });
}

/**
 * Loads the config, picks the environments and builds their desired state, all offline: any
 * problem throws ConfigError or UsageError before a single API call.
 */
export function prepare(io: Io, global: GlobalOptions, selection: Selection): Prepared {
  return prepareEnvironments(loadAppYaml(io, global), selection, io.env);
}

/** Connects to the APIs the prepared desired state needs (Cloudflare's token only when it has records, settings or rules). */
export function connectFor(io: Io, global: GlobalOptions, prepared: Prepared): Promise<Connection> {
  return connect(prepared.config, io, {
    sandbox: global.sandbox,
    debug: global.debug,
    // Zones to write, or a cache to purge after a release (deploy, promote).
    cloudflare:
      prepared.desired.resources.some((r) => r.provider === 'cloudflare') ||
      prepared.environments.some((name) => prepared.config.environments[name]?.purge !== undefined),
  });
}
