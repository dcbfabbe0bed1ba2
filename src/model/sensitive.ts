/**
 * Config var names that hold secrets by convention. Their values are treated as sensitive even when
 * app.yaml gives them as plain literals, and on the live side even when undeclared. A numbered
 * one (`PASSWORD2`, `API_KEY_3`) is one too.
 */
const SECRET_NAME = /(^|_)(SECRET|SECRETS|TOKEN|PASSWORD|PASSWD|PASS|PWD|PRIVATE|CREDENTIALS?|KEY|APIKEY|AUTH|SALT|DSN|SIGNATURE|CERT|LICENSE)\d*(_|$)/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}
