import { describe, expect, it } from 'vitest';
import { DaffError, ExitCode, errorShows, NotFoundError, ProviderError, redacted, scrubSecrets } from '../../../src/runtime/errors.js';

const SECRET = 'sk_live_redact_me_4242';

describe('redacted errors', () => {
  it('scrubs secrets from message and hint, keeping class, status, request id, code and address', () => {
    const cause = new Error('Expected response to be successful, got 422');
    const error = new NotFoundError('heroku', `Url https://u:${SECRET}@h/x is invalid`, { status: 404, requestId: 'r1', apiCode: 'not_found', address: 'heroku.drain[s/h]', hint: `fix ${SECRET}`, cause });
    const clean = redacted(error, [SECRET]) as ProviderError;
    expect(clean).toBeInstanceOf(NotFoundError);
    expect(clean.message).toBe('Url https://u:[redacted]@h/x is invalid');
    expect(clean.hint).toBe('fix [redacted]');
    expect(clean.stack).not.toContain(SECRET);
    expect(clean).toMatchObject({ provider: 'heroku', status: 404, requestId: 'r1', apiCode: 'not_found', address: 'heroku.drain[s/h]' });
    expect(clean.cause).toBe(cause);
  });

  it('drops a cause that shows the secret too (--debug prints causes)', () => {
    const error = new DaffError(`value ${SECRET}`, { cause: new Error(`echo ${SECRET}`), exitCode: ExitCode.Refused });
    const clean = redacted(error, [SECRET]);
    expect(clean.message).toBe('value [redacted]');
    expect(clean.cause).toBeUndefined();
    expect(clean.exitCode).toBe(ExitCode.Refused);
  });

  it('leaves errors without secrets as they are, and ignores values too short to search for', () => {
    const error = new ProviderError('cloudflare', 'Cloudflare rejected PUT /x: on');
    expect(redacted(error, [SECRET, 'on'])).toBe(error);
  });

  it('finds a secret an API echoed JSON-escaped, once or twice, or as \\u escapes', () => {
    // A from_env value may hold quotes, backslashes, control characters and any Unicode.
    const secret = 'pa"ss\\wörd/\n🔑-canary';
    const asciiOnly = (text: string, upper = false) =>
      text.replace(/[^\x20-\x7e]/g, (c) => {
        const hex = c.charCodeAt(0).toString(16).padStart(4, '0');
        return `\\u${upper ? hex.toUpperCase() : hex}`;
      });
    const once = JSON.stringify(secret).slice(1, -1);
    const echoes = [
      `sent ${secret} back`,
      `{"message":"Config vars could not be set: ${once}"}`,
      `{"message":"${asciiOnly(once)}"}`,
      `{"message":"${asciiOnly(once, true)}"}`,
      `{"message":"${once.replaceAll('/', '\\/')}"}`,
      JSON.stringify({ message: JSON.stringify({ KEY: secret }) }),
    ];
    expect(echoes.map((text) => text.includes(secret))).toEqual([true, false, false, false, false, false]);
    for (const text of echoes) {
      expect(errorShows(new Error(text), [secret]), text).toBe(true);
      const scrubbed = scrubSecrets(text, [secret]);
      expect(scrubbed, text).toContain('[redacted]');
      expect(scrubbed, text).not.toMatch(/pa\\*"ss|canary/);
    }
    const error = new ProviderError('heroku', `Heroku rejected PATCH /apps/a/config-vars: Config vars could not be set: {"KEY":"${once}"}`);
    expect(redacted(error, [secret]).message).toBe('Heroku rejected PATCH /apps/a/config-vars: Config vars could not be set: {"KEY":"[redacted]"}');
  });

  it('scrubs a secret that shows only in the message, or only in the hint', () => {
    const inMessage = redacted(new DaffError(`bad ${SECRET}`, { hint: 'try again' }), [SECRET]);
    expect([inMessage.message, inMessage.hint]).toEqual(['bad [redacted]', 'try again']);
    const inHint = redacted(new DaffError('bad value', { hint: `unset ${SECRET}` }), [SECRET]);
    expect([inHint.message, inHint.hint]).toEqual(['bad value', 'unset [redacted]']);
  });

  it('searches for secrets of six characters or more', () => {
    expect(redacted(new DaffError('code 123456 rejected'), ['123456']).message).toBe('code [redacted] rejected');
    const five = new DaffError('code 12345 rejected');
    expect(redacted(five, ['12345'])).toBe(five);
    expect(scrubSecrets('code 12345 and 123456', ['12345', '123456'])).toBe('code 12345 and [redacted]');
  });

  it('keeps the cause of a redacted plain DaffError when it shows no secret, and its exit code', () => {
    const cause = new Error('connect ECONNREFUSED');
    const clean = redacted(new DaffError(`value ${SECRET}`, { cause, exitCode: ExitCode.Refused }), [SECRET]);
    expect(clean).not.toBeInstanceOf(ProviderError);
    expect(clean.message).toBe('value [redacted]');
    expect(clean.cause).toBe(cause);
    expect(clean.exitCode).toBe(ExitCode.Refused);
    const causeless = redacted(new DaffError(`value ${SECRET}`), [SECRET]);
    expect(causeless.cause).toBeUndefined();
    expect('cause' in causeless).toBe(false);
  });

  it('does not read a missing hint or the end of a cause chain as the text "undefined"', () => {
    // A secret can be any value, "undefined" included (API_KEY=undefined in a shell).
    const error = new DaffError('no hint here');
    expect(redacted(error, ['undefined'])).toBe(error);
    expect(errorShows(new Error('fine', { cause: new Error('also fine') }), ['undefined'])).toBe(false);
  });

  it('keeps only a cause that is an Error showing no secret', () => {
    const stringCause = new DaffError(`value ${SECRET}`, { cause: 'socket hang up' });
    expect(redacted(stringCause, [SECRET]).cause).toBeUndefined();
    const deep = new DaffError(`value ${SECRET}`, { cause: new Error('outer', { cause: new Error(`inner ${SECRET}`) }) });
    expect(redacted(deep, [SECRET]).cause).toBeUndefined();
  });
});

describe('scrubSecrets', () => {
  it('replaces every occurrence, the longest secret first when one contains another', () => {
    expect(scrubSecrets('abcdefghij, abcdef, abcdefghij', ['abcdef', 'abcdefghij'])).toBe('[redacted], [redacted], [redacted]');
    expect(scrubSecrets('abcdefghij', ['abcdefghij', 'abcdef'])).toBe('[redacted]');
  });
});

describe('errorShows', () => {
  it('looks through the message, the stack and the whole cause chain, also of non-Errors', () => {
    expect(errorShows(new Error('fine', { cause: new Error('fine', { cause: `raw ${SECRET}` }) }), [SECRET])).toBe(true);
    expect(errorShows(`raw ${SECRET}`, [SECRET])).toBe(true);
    const stackOnly = new Error('fine');
    stackOnly.stack = `Error: fine\n    at ${SECRET} (file.js:1:1)`;
    expect(errorShows(stackOnly, [SECRET])).toBe(true);
    expect(errorShows(new Error('fine', { cause: new Error('also fine') }), [SECRET])).toBe(false);
    expect(errorShows(null, [SECRET])).toBe(false);
  });

  it('ignores values too short to search for, and stops on a cause cycle', () => {
    expect(errorShows(new Error('on and on'), ['on'])).toBe(false);
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    expect(errorShows(a, [SECRET])).toBe(false);
  });
});

