import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../../src/engine/plan.js';
import { checkStale, parsePlanFile, type SavedPlan, serializePlan } from '../../../src/engine/planfile.js';
import { type Change, type Plan, prunesKey } from '../../../src/engine/types.js';
import { Unknown } from '../../../src/model/value.js';
import { DaffError, ExitCode, StalePlanError } from '../../../src/runtime/errors.js';
import { aResource, app, config, desiredState, dns, generatedSecret, liveState } from './builders.js';

const KEY = 'k';
const FROM_ENV = 'sk_live_from-env-secret';
const LIVE_SECRET = 'live-secret-never-printed';
const REMOVED_SECRET = 'removed-secret-never-printed';
const DOMAIN = 'heroku.domain[production/www.daffeinated.com]';

function samplePlan(stripe = FROM_ENV): Plan {
  const desired = desiredState(
    [
      app('production', { region: 'eu' }, { replaceOn: ['region'] }),
      config(
        'staging',
        { NODE_ENV: 'production', STRIPE_KEY: stripe, SESSION_SECRET: generatedSecret() },
        {
          sensitive: ['STRIPE_KEY', 'SESSION_SECRET'],
          exclusive: true,
          attributeSources: { NODE_ENV: { file: 'app.yaml', line: 14, col: 15 } },
        },
      ),
      dns(
        'daffeinated.com',
        'CNAME',
        'www',
        new Unknown('DNS target of www', { ref: { address: DOMAIN, attribute: 'cname' } }),
      ),
    ],
    [prunesKey('heroku.config', 'production')],
  );
  const live = liveState(
    [
      app('production', { stack: 'heroku-22' }),
      aResource('heroku.addon', 'staging', 'logs', { plan: 'papertrail:choklad' }),
      config(
        'staging',
        { NODE_ENV: 'development', STRIPE_KEY: LIVE_SECRET, OLD_TOKEN: REMOVED_SECRET },
        { sensitive: ['STRIPE_KEY', 'OLD_TOKEN'] },
      ),
      config('production', { DB_PASSWORD: REMOVED_SECRET }, { sensitive: ['DB_PASSWORD'] }),
    ],
    {
      deferred: [{ address: 'heroku.formation[staging/web]', reason: 'needs the first release' }],
      diagnostics: [{ severity: 'warning', message: 'm', path: 'p', file: 'f', line: 1, col: 2, hint: 'h' }],
    },
  );
  return buildPlan(desired, live, ['staging', 'production'], { digestKey: KEY });
}

describe('serializePlan', () => {
  it('never writes a secret: sensitive values become "(sensitive)"', () => {
    const text = serializePlan(samplePlan());
    for (const secret of [FROM_ENV, LIVE_SECRET, REMOVED_SECRET]) expect(text).not.toContain(secret);
    const saved = JSON.parse(text) as SavedPlan;
    const configChange = saved.changes.find((c) => c.address === 'heroku.config[staging]');
    expect(configChange?.diffs).toEqual([
      {
        attribute: 'NODE_ENV',
        before: 'development',
        after: 'production',
        sensitive: false,
        source: { file: 'app.yaml', line: 14, col: 15 },
      },
      { attribute: 'OLD_TOKEN', before: '(sensitive)', sensitive: true },
      { attribute: 'SESSION_SECRET', after: '(sensitive)', sensitive: true },
      { attribute: 'STRIPE_KEY', before: '(sensitive)', after: '(sensitive)', sensitive: true },
    ]);
    const deleted = saved.changes.find((c) => c.action === 'delete');
    expect(deleted?.diffs).toEqual([{ attribute: 'DB_PASSWORD', before: '(sensitive)', sensitive: true }]);
  });

  it('writes Unknowns as {"unknown": reason}, keeps `because` for replaces only, and no full resources', () => {
    const saved = JSON.parse(serializePlan(samplePlan())) as SavedPlan;
    const record = saved.changes.find((c) => c.kind === 'cloudflare.dns');
    expect(record?.diffs.find((d) => d.attribute === 'content')?.after).toEqual({ unknown: 'DNS target of www' });
    expect(record).not.toHaveProperty('because');
    expect(saved.changes.find((c) => c.action === 'replace')?.because).toEqual(['region']);
    for (const change of saved.changes) {
      expect(Object.keys(change).sort()).toEqual(
        [
          'action',
          'address',
          'diffs',
          'kind',
          'provider',
          'scope',
          ...(change.action === 'replace' ? ['because'] : []),
        ].sort(),
      );
    }
  });

  it('redacts an attribute that a resource marks sensitive even when the diff does not say so', () => {
    const plan = samplePlan();
    const change = plan.changes.find((c) => c.address === 'heroku.config[staging]') as Change;
    const unmarked: Change = { ...change, diffs: change.diffs.map((d) => ({ ...d, sensitive: false })) };
    const text = serializePlan({ ...plan, changes: [unmarked] });
    expect(text).not.toContain(LIVE_SECRET);
    expect(text).not.toContain(FROM_ENV);
  });

  it.each([
    ['create', 'the resource it creates'],
    ['update', 'the live resource'],
    ['replace', 'the resource it creates'],
    ['delete', 'the resource it deletes'],
  ] as const)('redacts a %s when only %s marks the attribute sensitive', (action, _which) => {
    const secret = 'only-the-resource-knows';
    const marked = config('staging', { TOKEN: secret }, { sensitive: ['TOKEN'] });
    const unmarked = config('staging', { TOKEN: 'plain-value-x' });
    const base = { address: marked.address, provider: marked.provider, kind: marked.kind, scope: marked.scope };
    const diff = (before?: string, after?: string) => [{ attribute: 'TOKEN', sensitive: false, ...(before === undefined ? {} : { before }), ...(after === undefined ? {} : { after }) }];
    const change: Change =
      action === 'create'
        ? { ...base, action, after: marked, diffs: diff(undefined, secret) }
        : action === 'update'
          ? { ...base, action, before: marked, after: unmarked, diffs: diff(secret, 'plain-value-x') }
          : action === 'replace'
            ? { ...base, action, before: unmarked, after: marked, because: ['TOKEN'], diffs: diff('plain-value-x', secret) }
            : { ...base, action, before: marked, diffs: diff(secret, undefined) };
    const text = serializePlan({ ...samplePlan(), changes: [change] });
    expect(text).not.toContain(secret);
    expect(text).not.toContain('plain-value-x');
    expect(parsePlanFile(text).changes[0]?.diffs[0]).toMatchObject({ attribute: 'TOKEN', sensitive: true });
  });

  it('is versioned, sorted, indented JSON ending in a newline', () => {
    const text = serializePlan(samplePlan());
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.startsWith('{\n  "changes": [')).toBe(true);
    const saved = JSON.parse(text) as Record<string, unknown>;
    expect(saved['formatVersion']).toBe(1);
    expect(Object.keys(saved)).toEqual([
      'changes',
      'deferred',
      'diagnostics',
      'digests',
      'formatVersion',
      'scopes',
      'summary',
      'unmanaged',
    ]);
  });

  it('rejects an action it does not know', () => {
    const plan = samplePlan();
    const bogus = { ...plan.changes[0], action: 'frobnicate' } as unknown as Change;
    expect(() => serializePlan({ ...plan, changes: [bogus] })).toThrow(/unexpected change action/);
  });

  it('keeps different digests for different secrets while the files hide both', () => {
    const a = samplePlan('secret-a');
    const b = samplePlan('secret-b');
    expect(a.digests.desired).not.toBe(b.digests.desired);
    expect(serializePlan(a)).not.toContain('secret-a');
    expect(serializePlan(b)).not.toContain('secret-b');
  });
});

describe('parsePlanFile', () => {
  it('reads back what serializePlan wrote', () => {
    const plan = samplePlan();
    const saved = parsePlanFile(serializePlan(plan));
    // Strict: a field the file leaves out (no `because`, no `before`, no `attribute`) is absent
    // from what is read back, not present as undefined.
    expect(saved).toStrictEqual(JSON.parse(serializePlan(plan)));
    expect(saved.scopes).toEqual(['production', 'staging']);
    expect(saved.digests).toEqual(plan.digests);
    expect(saved.summary).toEqual(plan.summary);
    expect(saved.diagnostics).toEqual([
      { severity: 'warning', message: 'm', path: 'p', file: 'f', line: 1, col: 2, hint: 'h' },
    ]);
    expect(saved.unmanaged).toEqual(plan.unmanaged);
    expect(saved.unmanaged.map((u) => [u.address, u.attribute])).toEqual([
      ['heroku.addon[staging/logs]', undefined],
      ['heroku.app[production]', 'stack'],
    ]);
  });

  it('reads optional fields when absent', () => {
    const text = serializePlan({ ...samplePlan(), diagnostics: [{ severity: 'error', message: 'x' }] });
    expect(parsePlanFile(text).diagnostics).toStrictEqual([{ severity: 'error', message: 'x' }]);
  });

  it('rejects text that is not JSON, saying how plan files are made', () => {
    expect(() => parsePlanFile('{nope')).toThrow(/^Invalid plan file: not JSON/);
    expect(rejection('{nope').hint).toBe(HINT);
  });

  it('rejects another format version, saying which and to plan again', () => {
    const text = JSON.stringify({ ...JSON.parse(serializePlan(samplePlan())), formatVersion: 2 });
    expect(() => parsePlanFile(text)).toThrow('This plan file has format version 2; this daffeinated reads version 1.');
    expect(rejection(text).hint).toBe('Plan again with this version of daffeinated: `daffeinated plan --out FILE`.');
  });

  it('rejects JSON without a formatVersion', () => {
    expect(() => parsePlanFile('{"changes": []}')).toThrow('Not a daffeinated plan file: formatVersion is missing.');
    expect(() => parsePlanFile('{"formatVersion": "1"}')).toThrow(/formatVersion is missing/);
    expect(rejection('{"changes": []}').hint).toBe(HINT);
  });

  it.each([
    ['[]', 'the plan must be an object'],
    ['null', 'the plan must be an object'],
  ])('rejects %s as a whole', (text, message) => {
    expect(() => parsePlanFile(text)).toThrow(`Invalid plan file: ${message}.`);
  });

  /** [what, where in the saved JSON, bad value, expected message]. */
  const broken: [string, (string | number)[], unknown, string][] = [
    ['scopes', ['scopes'], 'staging', 'scopes must be a list'],
    ['a scope', ['scopes'], [1], 'scopes[0] must be a string'],
    ['digests', ['digests'], null, 'digests must be an object'],
    ['a digest', ['digests', 'desired'], 'abc', 'digests.desired must be a sha256 digest (64 hex digits)'],
    ['a non-string digest', ['digests', 'live'], 7, 'digests.live must be a sha256'],
    ['a digest with more before it', ['digests', 'desired'], `x${'a'.repeat(64)}`, 'digests.desired must be a sha256'],
    ['a digest with more after it', ['digests', 'live'], `${'a'.repeat(64)}x`, 'digests.live must be a sha256'],
    ['a digest in a list', ['digests', 'live'], ['a'.repeat(64)], 'digests.live must be a sha256'],
    ['summary', ['summary'], null, 'summary must be an object'],
    ['a count', ['summary', 'create'], -1, 'summary.create must be a whole number ≥ 0'],
    ['a fractional count', ['summary', 'update'], 0.5, 'summary.update must be a whole number'],
    ['a replace count', ['summary', 'replace'], '1', 'summary.replace must be a whole number'],
    ['a delete count', ['summary', 'delete'], null, 'summary.delete must be a whole number'],
    ['changes', ['changes'], {}, 'changes must be a list'],
    ['a change', ['changes', 0], 'x', 'changes[0] must be an object'],
    [
      'an action',
      ['changes', 0, 'action'],
      'destroy',
      'changes[0].action must be one of create, update, replace, delete',
    ],
    ['an address', ['changes', 0, 'address'], 5, 'changes[0].address must be a string'],
    ['a kind', ['changes', 0, 'kind'], 'heroku.addon', 'changes[0].kind must be the kind in its address'],
    ['a kind that is no string', ['changes', 0, 'kind'], 3, 'changes[0].kind must be a string'],
    ['a scope of a change', ['changes', 0, 'scope'], null, 'changes[0].scope must be a string'],
    [
      'an unparsable address',
      ['changes', 0, 'address'],
      'nonsense',
      'changes[0].kind must be the kind in its address (nonsense)',
    ],
    ['a provider', ['changes', 0, 'provider'], 'aws', 'changes[0].provider must be one of heroku, cloudflare'],
    ['because', ['changes', 0, 'because'], 'region', 'changes[0].because must be a list'],
    ['diffs', ['changes', 0, 'diffs'], null, 'changes[0].diffs must be a list'],
    ['a diff', ['changes', 0, 'diffs'], [{ attribute: 'a' }], 'changes[0].diffs[0].sensitive must be true or false'],
    [
      'an attribute',
      ['changes', 0, 'diffs'],
      [{ attribute: 1, sensitive: false }],
      'changes[0].diffs[0].attribute must be a string',
    ],
    [
      'a source',
      ['changes', 0, 'diffs'],
      [{ attribute: 'a', sensitive: false, source: { file: 'f', line: 'x', col: 1 } }],
      'changes[0].diffs[0].source.line must be a whole number',
    ],
    [
      'a source file',
      ['changes', 0, 'diffs'],
      [{ attribute: 'a', sensitive: false, source: { line: 1, col: 1 } }],
      'changes[0].diffs[0].source.file must be a string',
    ],
    [
      'a source column',
      ['changes', 0, 'diffs'],
      [{ attribute: 'a', sensitive: false, source: { file: 'f', line: 1, col: -1 } }],
      'changes[0].diffs[0].source.col must be a whole number',
    ],
    ['deferred', ['deferred'], [{ address: 'a' }], 'deferred[0].reason must be a string'],
    ['a deferral\'s address', ['deferred'], [{ reason: 'r' }], 'deferred[0].address must be a string'],
    [
      'unmanaged',
      ['unmanaged'],
      [{ address: 'a', attribute: 3, note: 'n' }],
      'unmanaged[0].attribute must be a string',
    ],
    ['an unmanaged address', ['unmanaged'], [{ note: 'n' }], 'unmanaged[0].address must be a string'],
    ['an unmanaged note', ['unmanaged'], [{ address: 'a' }], 'unmanaged[0].note must be a string'],
    [
      'a diagnostic',
      ['diagnostics'],
      [{ severity: 'fatal', message: 'm' }],
      'diagnostics[0].severity must be one of error, warning',
    ],
    [
      'a diagnostic line',
      ['diagnostics'],
      [{ severity: 'error', message: 'm', line: -2 }],
      'diagnostics[0].line must be a whole number',
    ],
    ['a diagnostic message', ['diagnostics'], [{ severity: 'error' }], 'diagnostics[0].message must be a string'],
    ['a diagnostic path', ['diagnostics'], [{ severity: 'error', message: 'm', path: 1 }], 'diagnostics[0].path must be a string'],
    ['a diagnostic file', ['diagnostics'], [{ severity: 'error', message: 'm', file: [] }], 'diagnostics[0].file must be a string'],
    ['a diagnostic column', ['diagnostics'], [{ severity: 'error', message: 'm', col: 1.5 }], 'diagnostics[0].col must be a whole number'],
    ['a diagnostic hint', ['diagnostics'], [{ severity: 'error', message: 'm', hint: false }], 'diagnostics[0].hint must be a string'],
  ];

  it.each(broken)('rejects a bad %s, saying where', (_what, path, value, message) => {
    let error: unknown;
    try {
      parsePlanFile(withValue(path, value));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DaffError);
    expect((error as DaffError).message).toContain(`Invalid plan file: ${message}`);
    expect((error as DaffError).hint).toMatch(/daffeinated plan --out FILE/);
  });

  it('keeps diff values of any JSON shape', () => {
    const diffs = [{ attribute: 'x', before: { a: [1, null] }, after: false, sensitive: false }];
    expect(parsePlanFile(withValue(['changes', 0, 'diffs'], diffs)).changes[0]?.diffs).toEqual(diffs);
  });
});

const HINT = 'Create plan files with `daffeinated plan --out FILE`, and do not edit them.';

/** The DaffError parsePlanFile throws for `text`. */
function rejection(text: string): DaffError {
  try {
    parsePlanFile(text);
  } catch (error) {
    if (error instanceof DaffError) return error;
    throw error;
  }
  throw new Error('parsePlanFile accepted the text');
}

/** The sample plan file with the value at `path` replaced. */
function withValue(path: readonly (string | number)[], value: unknown): string {
  const data = JSON.parse(serializePlan(samplePlan())) as Record<string | number, unknown>;
  let node = data;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1] as string | number] = value;
  return JSON.stringify(data);
}

describe('checkStale', () => {
  const saved = (plan: Plan): SavedPlan => parsePlanFile(serializePlan(plan));

  it('accepts a plan made from the same state', () => {
    expect(checkStale(saved(samplePlan()), samplePlan())).toBeUndefined();
  });

  it('refuses when app.yaml changed (including a secret it reads)', () => {
    const run = () => checkStale(saved(samplePlan()), samplePlan('rotated'));
    expect(run).toThrow(StalePlanError);
    expect(run).toThrow('The saved plan is stale: app.yaml (or a value it reads) has changed since.');
  });

  it('refuses when live state changed', () => {
    const current = samplePlan();
    const moved = { ...current, digests: { ...current.digests, live: 'f'.repeat(64) } };
    expect(() => checkStale(saved(samplePlan()), moved)).toThrow(/live state has changed since/);
  });

  it('refuses a plan for other scopes, listing everything that differs', () => {
    const other = buildPlan(desiredState([]), liveState([]), [], { digestKey: KEY });
    let error: unknown;
    try {
      checkStale(saved(samplePlan()), other);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(StalePlanError);
    expect((error as StalePlanError).exitCode).toBe(ExitCode.Refused);
    expect((error as StalePlanError).message).toBe(
      'The saved plan is stale: it covers production, staging, not no scope; app.yaml (or a value it reads) has changed since; live state has changed since (someone or something else changed it).',
    );
    const reversed = { ...saved(other), scopes: [] };
    expect(() => checkStale(reversed, { ...samplePlan(), digests: other.digests })).toThrow(
      'it covers no scope, not production, staging.',
    );
  });
});

describe('samplePlan', () => {
  it('exercises every action the plan file handles', () => {
    expect(
      samplePlan()
        .changes.map((c) => c.action)
        .sort(),
    ).toEqual(['create', 'delete', 'replace', 'update']);
  });
});
