import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../../runtime/errors.js';

/**
 * The Heroku API token, as the Heroku CLI finds it: `HEROKU_API_KEY`, else the `password` of the
 * `machine api.heroku.com` entry in `~/.netrc`. Keychain-only CLI logins are not readable here.
 */
export async function herokuToken(env: Readonly<Record<string, string | undefined>>, apiHost: string): Promise<string> {
  const fromEnv = env['HEROKU_API_KEY']?.trim();
  if (fromEnv) return fromEnv;
  const home = env['HOME'] ?? env['USERPROFILE'];
  if (home) {
    const text = await readFile(join(home, '.netrc'), 'utf8').catch(() => undefined);
    const token = text === undefined ? undefined : netrcPassword(text, apiHost);
    if (token) return token;
  }
  throw new UsageError('No Heroku API token: HEROKU_API_KEY is not set and ~/.netrc has no entry for ' + apiHost, {
    hint: 'export HEROKU_API_KEY=$(heroku auth:token), or run `heroku login`; to try daffeinated without an account, add --sandbox.',
  });
}

/** The password of `machine HOST` in netrc text (tokens separated by any whitespace; `default` honoured). */
export function netrcPassword(text: string, host: string): string | undefined {
  const tokens = text
    .split('\n')
    .map((line) => line.replace(/^\s*#.*$/, ''))
    .join('\n')
    .split(/\s+/)
    .filter((t) => t !== '');
  let current: string | undefined;
  let fallback: string | undefined;
  let found: string | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token === 'machine') {
      current = tokens[++i];
    } else if (token === 'default') {
      current = '\0default';
    } else if (token === 'password') {
      const value = tokens[++i];
      if (current === host && found === undefined) found = value;
      if (current === '\0default' && fallback === undefined) fallback = value;
    }
  }
  return found ?? fallback;
}
