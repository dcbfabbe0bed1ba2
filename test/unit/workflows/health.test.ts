import { describe, expect, it } from 'vitest';
import type { ProbeResult, WebProbe } from '../../../src/runtime/http-probe.js';
import type { Delivery, DynoStatus, ReleaseStatus } from '../../../src/providers/provider.js';
import type { Connection } from '../../../src/workflows/connection.js';
import { checkHealth, healthCheckEnvironment, healthNow, recentLogs, webCrash } from '../../../src/workflows/health.js';
import type { EnvironmentConfig } from '../../../src/model/config.js';
import { environmentConfig } from '../../helpers/config.js';
import type { Progress, Timing } from '../../../src/workflows/progress.js';

/** A clock that moves only when slept on, and a probe answering from a script. */
function fake(answers: (url: string, attempt: number) => ProbeResult, resolves = true, start = 0) {
  let now = start;
  const calls: string[] = [];
  const timeouts: number[] = [];
  const events: string[] = [];
  const timing: Timing = {
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
  };
  const probe: WebProbe = {
    route: 'in a test',
    resolves: async () => resolves,
    get: async (url, timeoutMs) => {
      calls.push(url.href);
      timeouts.push(timeoutMs);
      now += 50;
      return answers(url.href, calls.length);
    },
  };
  const progress: Progress = {
    step: (message) => {
      events.push(`step ${message}`);
      return {
        update: (d) => events.push(`update ${d}`),
        done: (m) => events.push(`done ${m}`),
        fail: (m) => events.push(`fail ${m}`),
      };
    },
    output: () => {},
    info: (m) => events.push(`info ${m}`),
    warn: (m) => events.push(`warn ${m}`),
  };
  return { timing, probe, progress, calls, timeouts, events };
}

const spec = { path: '/health', timeoutSeconds: 5, expectStatus: undefined };
const target = { app: 'shop', domain: 'shop.example', webUrl: 'https://shop-1234.herokuapp.com/' };

describe('checkHealth', () => {
  it('checks the first custom domain over HTTPS when it resolves, retrying until 2xx', async () => {
    const f = fake((_, n) => (n < 3 ? { ok: true, status: 503, body: '<h1>Application error</h1>' } : { ok: true, status: 204, body: '' }));
    const outcome = await checkHealth(f.probe, target, spec, f.progress, f.timing);
    expect(outcome).toMatchObject({ ok: true, url: 'https://shop.example/health', status: 204 });
    expect(f.calls).toEqual(Array(3).fill('https://shop.example/health'));
    expect(f.events).toContain('update HTTP 503: <h1>Application error</h1>');
  });

  it('uses the web URL when the domain does not resolve, and when it cannot be connected to', async () => {
    const unresolved = fake(() => ({ ok: true, status: 200, body: '{"status":"ok"}' }), false);
    expect(await checkHealth(unresolved.probe, target, spec, unresolved.progress, unresolved.timing)).toMatchObject({
      ok: true,
      url: 'https://shop-1234.herokuapp.com/health',
    });
    const refused = fake((url) =>
      url.includes('shop.example') ? { ok: false, error: 'CERT_HAS_EXPIRED', reason: 'unreachable' } : { ok: true, status: 200, body: '' },
    );
    expect(await checkHealth(refused.probe, target, spec, refused.progress, refused.timing)).toMatchObject({ ok: true, url: 'https://shop-1234.herokuapp.com/health' });
    expect(refused.events).toContain('info shop.example gave no HTTP answer (CERT_HAS_EXPIRED); checking https://shop-1234.herokuapp.com/health instead');
  });

  it('keeps waiting on a slow domain instead of switching', async () => {
    const f = fake((_, n) => (n === 1 ? { ok: false, error: 'no answer within 5000 ms', reason: 'timeout' } : { ok: true, status: 200, body: '' }));
    expect(await checkHealth(f.probe, target, spec, f.progress, f.timing)).toMatchObject({ ok: true, url: 'https://shop.example/health' });
  });

  it('fails after the timeout with the last answer, never passing a non-accepted status', async () => {
    const f = fake(() => ({ ok: true, status: 500, body: '{"status":"broken"}' }));
    const outcome = await checkHealth(f.probe, { ...target, domain: undefined }, spec, f.progress, f.timing);
    expect(outcome).toMatchObject({ ok: false, url: 'https://shop-1234.herokuapp.com/health', last: 'HTTP 500: {"status":"broken"}' });
    expect(f.timing.now()).toBeGreaterThanOrEqual(5_000);
    expect(f.events.at(-1)).toBe(
      'fail Unhealthy: https://shop-1234.herokuapp.com/health did not answer 2xx within 5 s (last: HTTP 500: {"status":"broken"})',
    );
  });

  it('without expect_status accepts exactly 2xx: 1xx, 3xx and 4xx answers are failures', async () => {
    for (const status of [101, 199, 300, 301, 304, 399, 400, 404, 499]) {
      const f = fake(() => ({ ok: true, status, body: '' }));
      const outcome = await checkHealth(f.probe, target, { ...spec, timeoutSeconds: 1 }, f.progress, f.timing);
      expect(outcome, `HTTP ${status}`).toMatchObject({ ok: false, last: `HTTP ${status}` });
    }
    for (const status of [200, 299]) {
      const f = fake(() => ({ ok: true, status, body: '' }));
      expect(await checkHealth(f.probe, target, spec, f.progress, f.timing), `HTTP ${status}`).toMatchObject({ ok: true, status });
    }
  });

  it('gives each attempt at most 10 s and at least 1 s, the time left in between, and backs off until the deadline', async () => {
    const f = fake(() => ({ ok: true, status: 503, body: '' }));
    const outcome = await checkHealth(f.probe, target, { ...spec, timeoutSeconds: 12 }, f.progress, f.timing);
    expect(f.timeouts).toEqual([10_000, 10_000, 10_000, 10_000, 10_000, 8_650, 6_600, 4_550, 2_500, 1_000, 1_000]);
    expect(outcome).toEqual({ ok: false, url: 'https://shop.example/health', last: 'HTTP 503', ms: 12_050, attempts: 11 });
    expect(f.events[0]).toBe('step Health check of shop: GET https://shop.example/health (expecting 2xx, up to 12 s, in a test)');
  });

  it('reports how long a healthy answer took, and names the accepted statuses', async () => {
    const f = fake((_, n) => (n < 2 ? { ok: true, status: 502, body: '' } : { ok: true, status: 403, body: '' }));
    const outcome = await checkHealth(f.probe, target, { ...spec, expectStatus: [403, 404] }, f.progress, f.timing);
    expect(outcome).toEqual({ ok: true, url: 'https://shop.example/health', status: 403, ms: 200, attempts: 2 });
    expect(f.events).toEqual([
      'step Health check of shop: GET https://shop.example/health (expecting 403 or 404, up to 5 s, in a test)',
      'update HTTP 502',
      'done Healthy: shop answered HTTP 403 at https://shop.example/health after 0.2 s',
    ]);
  });

  it('shows the last answer on one line, cut at 120 characters', async () => {
    const body = `<html>\n  <body>\t${'x'.repeat(200)}</body>\n</html>\n`;
    const f = fake(() => ({ ok: true, status: 500, body }));
    const outcome = await checkHealth(f.probe, target, { ...spec, timeoutSeconds: 1 }, f.progress, f.timing);
    const line = `<html> <body> ${'x'.repeat(200)}</body> </html>`;
    expect(outcome).toMatchObject({ ok: false, last: `HTTP 500: ${line.slice(0, 117)}...` });
    const short = fake(() => ({ ok: true, status: 500, body: `  ${'y'.repeat(120)}\n` }));
    const kept = await checkHealth(short.probe, target, { ...spec, timeoutSeconds: 1 }, short.progress, short.timing);
    expect(kept).toMatchObject({ last: `HTTP 500: ${'y'.repeat(120)}` });
  });

  it('switches to the web URL once, and keeps checking it when it is unreachable too', async () => {
    const f = fake(() => ({ ok: false, error: 'ECONNREFUSED', reason: 'unreachable' }));
    const outcome = await checkHealth(f.probe, target, { ...spec, timeoutSeconds: 2 }, f.progress, f.timing);
    expect(outcome).toMatchObject({ ok: false, url: 'https://shop-1234.herokuapp.com/health', last: 'ECONNREFUSED' });
    expect(f.calls[0]).toBe('https://shop.example/health');
    expect(new Set(f.calls.slice(1))).toEqual(new Set(['https://shop-1234.herokuapp.com/health']));
    expect(f.events.filter((e) => e.startsWith('info'))).toHaveLength(1);
  });

  it('honours expect_status', async () => {
    const f = fake(() => ({ ok: true, status: 401, body: '' }));
    const outcome = await checkHealth(f.probe, target, { ...spec, expectStatus: [401, 403] }, f.progress, f.timing);
    expect(outcome).toMatchObject({ ok: true, status: 401 });
    const g = fake(() => ({ ok: true, status: 200, body: '' }));
    expect((await checkHealth(g.probe, target, { ...spec, timeoutSeconds: 1, expectStatus: [401] }, g.progress, g.timing)).ok).toBe(false);
  });

  it('fails at once when there is nothing to check', async () => {
    const f = fake(() => ({ ok: true, status: 200, body: '' }), false);
    expect(await checkHealth(f.probe, { app: 'shop', domain: undefined, webUrl: null }, spec, f.progress, f.timing)).toEqual({
      ok: false,
      url: '(none)',
      last: 'shop has no web URL and no custom domain that resolves',
      ms: 0,
      attempts: 0,
    });
    expect(f.calls).toEqual([]);
  });

  it('fails at once on a crashed web process (H10) instead of waiting out the timeout', async () => {
    const f = fake(() => ({ ok: true, status: 503, body: '<h1>Application error</h1>' }));
    const asked: number[] = [];
    const crashed = async () => {
      asked.push(f.timing.now());
      return asked.length < 2 ? undefined : 'the web process of shop crashed on v7 (web.1 crashed, H10)';
    };
    const outcome = await checkHealth(f.probe, target, { ...spec, timeoutSeconds: 60 }, f.progress, f.timing, crashed);
    expect(outcome).toMatchObject({ ok: false, last: 'HTTP 503: the web process of shop crashed on v7 (web.1 crashed, H10)' });
    expect(f.calls).toHaveLength(2);
    expect(f.timing.now()).toBeLessThan(5_000);
    expect(f.events.at(-1)).toBe(
      'fail Unhealthy: the web process of shop crashed on v7 (web.1 crashed, H10) — a crash is a final answer, not waiting out the 60 s',
    );
  });

  it("treats Cloudflare's 52x answers as not ready yet, says so once, and keeps trying", async () => {
    const f = fake((_, n) => (n < 4 ? { ok: true, status: n < 3 ? 526 : 522, body: 'error code: 526' } : { ok: true, status: 200, body: '' }));
    const never = async () => 'never asked: no 503 here';
    expect(await checkHealth(f.probe, target, spec, f.progress, f.timing, never)).toMatchObject({ ok: true, status: 200 });
    expect(f.events.filter((e) => e.startsWith('info '))).toEqual([
      "info shop.example: Cloudflare 526 (the origin's certificate is not valid for the hostname (Full (strict))): not ready yet; retrying until the 5 s timeout",
      'info shop.example: Cloudflare 522 (the connection to the origin timed out): not ready yet; retrying until the 5 s timeout',
    ]);
    const g = fake(() => ({ ok: true, status: 521, body: '' }));
    expect((await checkHealth(g.probe, target, spec, g.progress, g.timing)).ok).toBe(false);
    expect(g.events.at(-1)).toContain('(last: Cloudflare 521 (the origin refused the connection): not ready yet)');
  });
});

describe('checkHealth: durations and the single URL', () => {
  const start = 1_700_000_000_000;

  it('measures from its own start whatever the clock reads: healthy, unhealthy, crashed', async () => {
    const healthy = fake((_, n) => (n < 2 ? { ok: true, status: 503, body: '' } : { ok: true, status: 200, body: '' }), true, start);
    expect(await checkHealth(healthy.probe, target, spec, healthy.progress, healthy.timing)).toMatchObject({ ok: true, ms: 200 });
    const unhealthy = fake(() => ({ ok: true, status: 500, body: '' }), true, start);
    const failed = await checkHealth(unhealthy.probe, target, { ...spec, timeoutSeconds: 1 }, unhealthy.progress, unhealthy.timing);
    expect(failed).toMatchObject({ ok: false, ms: unhealthy.timing.now() - start });
    expect(failed.ms).toBeGreaterThanOrEqual(1_000);
    expect(failed.ms).toBeLessThan(2_000);
    const crashing = fake(() => ({ ok: true, status: 503, body: '' }), true, start);
    const crashed = await checkHealth(crashing.probe, target, spec, crashing.progress, crashing.timing, async () => 'crashed');
    expect(crashed).toMatchObject({ ok: false, last: 'HTTP 503: crashed', ms: 50 });
  });

  it('keeps trying the one URL it has when it cannot be connected to', async () => {
    const f = fake(() => ({ ok: false, error: 'ECONNREFUSED', reason: 'unreachable' }));
    const outcome = await checkHealth(f.probe, { ...target, webUrl: null }, { ...spec, timeoutSeconds: 2 }, f.progress, f.timing);
    expect(outcome).toMatchObject({ ok: false, url: 'https://shop.example/health', last: 'ECONNREFUSED' });
    expect(new Set(f.calls)).toEqual(new Set(['https://shop.example/health']));
    expect(f.calls.length).toBeGreaterThan(1);
  });
});

describe('webCrash', () => {
  const release = (version: number, current: boolean) => ({ id: `r${version}`, version, current }) as unknown as ReleaseStatus;
  const dyno = (name: string, state: string, releaseVersion: number): DynoStatus => ({ name, type: name.split('.')[0] ?? '', state, releaseVersion });
  const connection = (dynos: DynoStatus[], releases = [release(8, true), release(7, false)]) =>
    ({ delivery: { dynos: async () => dynos, releases: async () => releases } as Partial<Delivery> }) as unknown as Connection;

  it('is a crash only when every web dyno crashed on the current release', async () => {
    expect(await webCrash(connection([dyno('web.1', 'crashed', 8), dyno('worker.1', 'up', 8)]), 'shop')).toBe(
      'the web process of shop crashed on v8 (web.1 crashed, H10)',
    );
    expect(await webCrash(connection([dyno('web.1', 'crashed', 8), dyno('web.2', 'crashed', 8)]), 'shop')).toBe(
      'the web process of shop crashed on v8 (web.1, web.2 crashed, H10)',
    );
    expect(await webCrash(connection([dyno('web.1', 'crashed', 8), dyno('web.2', 'starting', 8)]), 'shop')).toBeUndefined();
    expect(await webCrash(connection([dyno('web.1', 'crashed', 7)]), 'shop')).toBeUndefined();
    expect(await webCrash(connection([dyno('worker.1', 'crashed', 8)]), 'shop')).toBeUndefined();
    const unreadable = { delivery: { dynos: async () => Promise.reject(new Error('503')), releases: async () => [] } } as unknown as Connection;
    expect(await webCrash(unreadable, 'shop')).toBeUndefined();
  });
});

// A release restarts the web dynos after it is created: until they run it, a probe reaches the
// process of the release before (issue 14: a config change + a deploy of a commit already built).
describe('healthCheckEnvironment waits for the web dynos to run the current release', () => {
  const environment = {
    app: 'shop',
    domains: [],
    healthcheck: { path: '/health', timeoutSeconds: 30, expectStatus: undefined },
  } as unknown as EnvironmentConfig;
  const release = (version: number, current: boolean) => ({ id: `r${version}`, version, current }) as unknown as ReleaseStatus;
  const web = (version: number): DynoStatus => ({ name: 'web.1', type: 'web', state: 'up', releaseVersion: version });

  function connection(f: ReturnType<typeof fake>, runs: () => number, log: string[]): Connection {
    const delivery: Partial<Delivery> = {
      app: async () => ({ id: 'a1', name: 'shop', webUrl: 'https://shop-1234.herokuapp.com/' }),
      dynos: async () => {
        log.push(`dynos v${runs()}`);
        return [web(runs()), { name: 'worker.1', type: 'worker', state: 'up', releaseVersion: 3 }];
      },
      releases: async () => [release(8, true), release(7, false)],
    };
    return { delivery, web: async () => ({ kind: 'probe', probe: f.probe }) } as unknown as Connection;
  }

  it('probes only once web.1 runs the current release, and says it waited', async () => {
    const f = fake(() => ({ ok: true, status: 200, body: 'ok' }));
    const log: string[] = [];
    let reads = 0;
    const runs = () => (reads++ < 4 ? 7 : 8);
    const verdict = await healthCheckEnvironment(connection(f, runs, log), environment, f.progress, f.timing);
    expect(verdict).toMatchObject({ kind: 'checked', outcome: { ok: true, status: 200 } });
    expect(log).toEqual(['dynos v7', 'dynos v7', 'dynos v8']);
    expect(f.calls).toEqual(['https://shop-1234.herokuapp.com/health']);
    expect(f.events).toContain('info waiting for the web dynos of shop to restart on the new release before the health check (web.1 runs v7, not the current v8)');
  });

  it('fails without probing when the web dynos never reach the current release within the timeout', async () => {
    const f = fake(() => ({ ok: true, status: 200, body: 'ok' }));
    const verdict = await healthCheckEnvironment(connection(f, () => 7, []), environment, f.progress, f.timing);
    expect(verdict).toMatchObject({ kind: 'checked', outcome: { ok: false } });
    expect(f.calls).toEqual([]);
    expect(verdict.kind === 'checked' && !verdict.outcome.ok ? verdict.outcome.last : '').toMatch(
      /^after .* the web dynos of shop still run an older release \(web\.1 runs v7, not the current v8\)$/,
    );
  });
});

/** A connection whose web access and app are given; the Heroku side answers only `app` and `recentLogs`. */
function connectionTo(probe: WebProbe | string, webUrl: string | null = 'https://shop-1234.herokuapp.com/', logs: () => Promise<string[]> = async () => []): Connection {
  return {
    web: async () => (typeof probe === 'string' ? { kind: 'unavailable', reason: probe } : { kind: 'probe', probe }),
    delivery: { app: async () => ({ webUrl }), recentLogs: logs } as unknown as Delivery,
  } as unknown as Connection;
}

const checked = { ...environmentConfig('staging', ['staging.shop.example']), healthcheck: { path: '/health', timeoutSeconds: 5, expectStatus: undefined } };

describe('healthCheckEnvironment', () => {
  it('is not configured without a healthcheck, and asks nothing', async () => {
    const f = fake(() => ({ ok: true, status: 200, body: '' }));
    const unconfigured = environmentConfig('staging', ['staging.shop.example']);
    expect(await healthCheckEnvironment(connectionTo(f.probe), unconfigured, f.progress, f.timing)).toEqual({ kind: 'not-configured' });
    expect(f.calls).toEqual([]);
  });

  it('is skipped, with a warning saying why, where apps cannot be reached — never passed', async () => {
    const f = fake(() => ({ ok: true, status: 200, body: '' }));
    const verdict = await healthCheckEnvironment(connectionTo('the sandbox runs no processes'), checked, f.progress, f.timing);
    expect(verdict).toEqual({ kind: 'skipped', reason: 'the sandbox runs no processes' });
    expect(f.events).toEqual(['warn health check of daffeinated-staging skipped: the sandbox runs no processes']);
  });

  it("asks about the app's dynos on a 503, and fails at once when its web process crashed", async () => {
    const f = fake(() => ({ ok: true, status: 503, body: '' }));
    const connection = {
      web: async () => ({ kind: 'probe', probe: f.probe }),
      delivery: {
        app: async () => ({ webUrl: 'https://shop-1234.herokuapp.com/' }),
        dynos: async () => [{ name: 'web.1', type: 'web', state: 'crashed', releaseVersion: 3 }],
        releases: async () => [{ id: 'r3', version: 3, current: true }],
      },
    } as unknown as Connection;
    const verdict = await healthCheckEnvironment(connection, checked, f.progress, f.timing);
    expect(verdict).toMatchObject({ kind: 'checked', outcome: { ok: false, last: 'HTTP 503: the web process of daffeinated-staging crashed on v3 (web.1 crashed, H10)' } });
    expect(f.calls).toHaveLength(1);
  });

  it('checks the first domain, falling back to the app web URL, and reports the outcome', async () => {
    const f = fake(() => ({ ok: true, status: 200, body: '' }), false);
    const verdict = await healthCheckEnvironment(connectionTo(f.probe), checked, f.progress, f.timing);
    expect(verdict).toEqual({ kind: 'checked', outcome: { ok: true, url: 'https://shop-1234.herokuapp.com/health', status: 200, ms: 50, attempts: 1 } });
  });
});

describe('healthNow', () => {
  it('is not configured without a healthcheck, and skipped (with the reason) where apps cannot be reached', async () => {
    const f = fake(() => ({ ok: true, status: 200, body: '' }));
    expect(await healthNow(connectionTo(f.probe), environmentConfig('staging', []))).toEqual({ kind: 'not-configured' });
    expect(await healthNow(connectionTo('no web access here'), checked)).toEqual({ kind: 'skipped', reason: 'no web access here' });
    expect(f.calls).toEqual([]);
  });

  it('asks once, and says whether the answer is accepted', async () => {
    const good = fake(() => ({ ok: true, status: 204, body: '' }));
    expect(await healthNow(connectionTo(good.probe), checked)).toEqual({ kind: 'answered', ok: true, url: 'https://staging.shop.example/health', answer: 'HTTP 204' });
    const bad = fake(() => ({ ok: true, status: 500, body: 'boom' }));
    expect(await healthNow(connectionTo(bad.probe), checked)).toEqual({ kind: 'answered', ok: false, url: 'https://staging.shop.example/health', answer: 'HTTP 500: boom' });
    expect([...good.calls, ...bad.calls]).toHaveLength(2);
    expect(good.timeouts).toEqual([10_000]);
  });

  it('asks the web URL when the domain does not resolve or cannot be connected to, but not after a timeout', async () => {
    const unresolved = fake(() => ({ ok: true, status: 200, body: '' }), false);
    expect(await healthNow(connectionTo(unresolved.probe), checked)).toMatchObject({ ok: true, url: 'https://shop-1234.herokuapp.com/health' });
    expect(unresolved.calls).toEqual(['https://shop-1234.herokuapp.com/health']);
    const refused = fake((url) => (url.includes('shop.example') ? { ok: false, error: 'ECONNREFUSED', reason: 'unreachable' } : { ok: true, status: 200, body: '' }));
    expect(await healthNow(connectionTo(refused.probe), checked)).toMatchObject({ ok: true, url: 'https://shop-1234.herokuapp.com/health' });
    const slow = fake(() => ({ ok: false, error: 'no answer within 10000 ms', reason: 'timeout' }));
    expect(await healthNow(connectionTo(slow.probe), checked)).toEqual({ kind: 'answered', ok: false, url: 'https://staging.shop.example/health', answer: 'no answer within 10000 ms' });
    expect(slow.calls).toHaveLength(1);
  });

  it('fails with the last error when nothing answers, and says when there is nothing to ask', async () => {
    const down = fake(() => ({ ok: false, error: 'ECONNREFUSED', reason: 'unreachable' }));
    expect(await healthNow(connectionTo(down.probe), checked)).toEqual({ kind: 'answered', ok: false, url: 'https://shop-1234.herokuapp.com/health', answer: 'ECONNREFUSED' });
    expect(down.calls).toHaveLength(2);
    const nowhere = fake(() => ({ ok: true, status: 200, body: '' }), false);
    expect(await healthNow(connectionTo(nowhere.probe, null), checked)).toEqual({
      kind: 'answered',
      ok: false,
      url: '(none)',
      answer: 'daffeinated-staging has no web URL and no custom domain that resolves',
    });
  });
});

describe('recentLogs', () => {
  const router = (n: number) => `t${n} heroku[router]: at=info path="/health" status=503`;

  it('keeps the app output and only the last two router lines, newest last, at most `count` lines', async () => {
    const all = ['t0 app[web.1]: listening', router(1), 't2 heroku[web.1]: State changed from up to crashed', router(3), router(4), 't5 app[web.1]: Error: boom'];
    const logs = await recentLogs(connectionTo('n/a', null, async () => all), 'shop');
    expect(logs).toEqual({ app: 'shop', kind: 'read', lines: ['t0 app[web.1]: listening', 't2 heroku[web.1]: State changed from up to crashed', router(3), router(4), 't5 app[web.1]: Error: boom'] });
    const last = await recentLogs(connectionTo('n/a', null, async () => all), 'shop', 2);
    expect(last).toMatchObject({ lines: [router(4), 't5 app[web.1]: Error: boom'] });
  });

  it('says why the logs could not be read instead of failing', async () => {
    const logs = await recentLogs(connectionTo('n/a', null, () => Promise.reject(new Error('log session refused'))), 'shop');
    expect(logs).toEqual({ app: 'shop', kind: 'unreadable', reason: 'log session refused' });
  });
});
