import { describe, expect, it } from 'vitest';
import { paceNotices } from '../../../src/commands/connect.js';
import { fakeIo } from '../../helpers/cli.js';

describe('pacing waits on stderr', () => {
  it('shows each wait of a second or more as one line naming the API, and every wait with --debug', () => {
    const quiet = fakeIo({ cwd: '/tmp' });
    const heroku = paceNotices(quiet, 'Heroku', false);
    heroku('Heroku rate limit: 0 request(s) left; waiting 800 ms …', 800);
    heroku('Heroku rate limit: 0 request(s) left; waiting 2300 ms …', 2_300);
    paceNotices(quiet, 'Cloudflare', false)('Cloudflare rate limit: …; waiting 1000 ms', 1_000);
    expect(quiet.err.join('')).toBe("waiting for Heroku's rate limit: 3 s\nwaiting for Cloudflare's rate limit: 1 s\n");

    const debug = fakeIo({ cwd: '/tmp' });
    const traced = paceNotices(debug, 'Heroku', true);
    traced('Heroku rate limit: 4 request(s) left; waiting 50 ms', 50);
    traced('Heroku rate limit: 0 request(s) left; waiting 1500 ms', 1_500);
    expect(debug.err.join('')).toBe(
      [
        'debug: pacing: Heroku rate limit: 4 request(s) left; waiting 50 ms',
        'debug: pacing: Heroku rate limit: 0 request(s) left; waiting 1500 ms',
        "waiting for Heroku's rate limit: 2 s",
        '',
      ].join('\n'),
    );
  });
});
