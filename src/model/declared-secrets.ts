import type { Config } from './config.js';
import { isSecretName } from './sensitive.js';

/** How app.yaml declares a config var whose value is never printed: read from a variable, or generated. */
export type DeclaredSecret = { readonly fromEnv: string } | { readonly generate: number };

/**
 * The config vars `config` keeps secret in the environment that deploys `app` (in every
 * environment when none does): `from_env` vars with their variable, generated ones with their
 * size, and literals marked sensitive, made of `${VAR}` or named like a secret, read from a
 * variable of their own name. `import --config` writes these instead of the live values.
 */
export function declaredSecrets(config: Config, app: string): ReadonlyMap<string, DeclaredSecret> {
  const all = Object.values(config.environments);
  const own = all.filter((environment) => environment.app === app);
  const secrets = new Map<string, DeclaredSecret>();
  for (const environment of own.length > 0 ? own : all) {
    for (const [key, spec] of Object.entries(environment.config)) {
      if (secrets.has(key)) continue;
      if (spec.kind === 'from_env') secrets.set(key, { fromEnv: spec.variable });
      else if (spec.kind === 'generate') secrets.set(key, { generate: spec.bytes });
      else if (spec.sensitive || isSecretName(key)) secrets.set(key, { fromEnv: key });
    }
  }
  return secrets;
}
