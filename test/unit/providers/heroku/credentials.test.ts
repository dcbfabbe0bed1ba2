import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { herokuToken, netrcPassword } from '../../../../src/providers/heroku/credentials.js';
import { UsageError } from '../../../../src/runtime/errors.js';

const NETRC = `# written by the Heroku CLI
machine api.heroku.com
  login me@example.com
  password netrc-token-1
machine git.heroku.com
  login me@example.com
  password git-token
`;

describe('netrcPassword', () => {
  it('finds the password of the named machine', () => {
    expect(netrcPassword(NETRC, 'api.heroku.com')).toBe('netrc-token-1');
    expect(netrcPassword(NETRC, 'git.heroku.com')).toBe('git-token');
  });
  it('reads single-line entries and falls back to default', () => {
    expect(netrcPassword('machine a login x password one default login y password two', 'b')).toBe('two');
    expect(netrcPassword('machine a login x password one', 'a')).toBe('one');
    expect(netrcPassword('machine a login x password one', 'b')).toBeUndefined();
  });
});

describe('herokuToken', () => {
  it('prefers HEROKU_API_KEY', async () => {
    await expect(herokuToken({ HEROKU_API_KEY: ' env-token ' }, 'api.heroku.com')).resolves.toBe('env-token');
  });
  it('falls back to ~/.netrc', async () => {
    const home = mkdtempSync(join(tmpdir(), 'daff-home-'));
    writeFileSync(join(home, '.netrc'), NETRC);
    await expect(herokuToken({ HOME: home }, 'api.heroku.com')).resolves.toBe('netrc-token-1');
  });
  it('says what to do when there is no token', async () => {
    const home = mkdtempSync(join(tmpdir(), 'daff-home-'));
    const error = (await herokuToken({ HOME: home }, 'api.heroku.com').catch((e: unknown) => e)) as UsageError;
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toContain('HEROKU_API_KEY');
    expect(error.hint).toContain('--sandbox');
  });
});
