import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findPostgresBin, POSTGRES_TOOLS } from '../../../src/sandbox/heroku/postgres/binaries.js';
import type { RunSpec } from '../../../src/sandbox/heroku/runner/processes.js';

describe('finding PostgreSQL’s binaries', () => {
  let dir: string;
  const runs: RunSpec[] = [];
  const noRun = async (spec: RunSpec) => {
    runs.push(spec);
    return { code: 1, stdout: '', stderr: 'not expected' };
  };
  const tools = (name: string, except: readonly string[] = []) => {
    const bin = join(dir, name);
    mkdirSync(bin, { recursive: true });
    for (const tool of POSTGRES_TOOLS.filter((t) => !except.includes(t))) writeFileSync(join(bin, tool), '');
    return bin;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'daff-pgbin-'));
    runs.length = 0;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('takes the first PATH directory that holds all six programs', async () => {
    const partial = tools('partial', ['initdb']);
    const full = tools('full');
    expect(await findPostgresBin([partial, full].join(delimiter), noRun)).toBe(full);
    expect(runs).toEqual([]);
  });

  it('asks pg_config on PATH where the binaries are when PATH lacks the server', async () => {
    const clients = tools('clients', ['initdb', 'postgres', 'pg_ctl']);
    writeFileSync(join(clients, 'pg_config'), '');
    const server = tools('server');
    const found = await findPostgresBin(clients, async (spec) => {
      runs.push(spec);
      return { code: 0, stdout: `${server}\n`, stderr: '' };
    });
    expect(found).toBe(server);
    expect(runs.map((r) => [r.file, r.args])).toEqual([[join(clients, 'pg_config'), ['--bindir']]]);
  });

  it('finds nothing where no directory has them all (then add-ons are metadata only)', async () => {
    const clients = tools('clients', ['postgres']);
    writeFileSync(join(clients, 'pg_config'), '');
    const answer = await findPostgresBin(clients, async () => ({ code: 0, stdout: `${clients}\n`, stderr: '' }), [join(dir, 'nowhere'), clients]);
    expect(answer).toBeUndefined();
  });

  it('falls back to the usual install directories', async () => {
    const usual = tools('usual');
    expect(await findPostgresBin('', noRun, [join(dir, 'nowhere'), usual])).toBe(usual);
  });
});
