/**
 * The config module: app.yaml → validated, normalized `Config`, offline. `env` is always passed in
 * (never read from `process.env` here) and only `${VAR}` interpolation uses it; `from_env` values
 * are read later, when the desired state is built.
 */
import type { Config } from '../model/config.js';
import { ConfigError } from '../runtime/errors.js';
import type { Env } from './interpolate.js';
import { type ConfigFiles, locateConfigFile, nodeFiles, readConfigText } from './files.js';
import { parseConfig } from './validate.js';

export interface LoadConfigOptions {
  /** `--config PATH`; else `./app.yaml`, else `./config/app.yaml`, relative to `cwd`. */
  readonly path?: string;
  readonly cwd: string;
  readonly env: Env;
  /** File access; node:fs by default. */
  readonly files?: ConfigFiles;
}

/**
 * Finds, reads and validates the config. Throws `ConfigError` holding every diagnostic (errors and
 * warnings) when there is any error; never returns a partially valid config.
 */
export function loadConfig(options: LoadConfigOptions): Config {
  const files = options.files ?? nodeFiles;
  const located = locateConfigFile({
    ...(options.path === undefined ? {} : { path: options.path }),
    cwd: options.cwd,
    files,
  });
  if (!located.ok) throw new ConfigError(located.diagnostics);
  const text = readConfigText(located.value, files);
  if (!text.ok) throw new ConfigError(text.diagnostics);
  const result = parseConfig(text.value, located.value.display, options.env);
  if (result.config === undefined) throw new ConfigError(result.diagnostics);
  return result.config;
}

export type { ConfigFiles } from './files.js';
export { CONFIG_LOOKUP } from './files.js';
export { MAX_ALIAS_COUNT, stringifyYaml } from './load.js';
export { JSON_SCHEMA_FILE, renderJsonSchema } from './schema-file.js';
export { MAX_CONFIG_BYTES } from './text.js';
export type { Env } from './interpolate.js';
export { type ParseResult, parseConfig } from './validate.js';
