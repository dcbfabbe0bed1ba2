import { describe, expect, it } from 'vitest';
import { useSandbox } from '../helpers/sandbox.js';
import { QUICK_HEROKU, Scenario } from '../helpers/scenario.js';

// Changing and removing DNS records through the CLI, against the sandbox: the DNS change threshold
// is checked against the zone's live record count (read by the Cloudflare provider, carried to the
// plan by the command's read), and a record swapped for another type under the same name goes in
// one batch.
const yaml = (records: readonly string[]) => `version: 1
name: daffeinated
region: us
stack: heroku-24
environments:
  staging:
    app: daff-dns-staging
cloudflare:
  zones:
    daffeinated.com:
      owner: staging
      dns:
${records.map((r) => `        - ${r}`).join('\n')}
`;

const hosts = (content: string) =>
  Array.from({ length: 12 }, (_, i) => `{ name: host${String(i).padStart(2, '0')}, type: TXT, content: "${i < 5 ? content : 'kept'}" }`);

describe('DNS records changed and removed through the CLI', () => {
  const sandbox = useSandbox({ seed: 7, zones: [{ name: 'daffeinated.com', plan: 'pro' }], heroku: QUICK_HEROKU });
  const scenario = new Scenario(sandbox, yaml(['{ name: www, type: A, content: "192.0.2.10" }']));
  const batches = (since: number) =>
    sandbox()
      .requestLog()
      .slice(since)
      .filter((e) => e.method === 'POST' && e.path.endsWith('/dns_records/batch'))
      .map((e) => e.status);

  it('swaps an A record for a CNAME of the same name in one batch, delete first, and converges', async () => {
    // Cloudflare refuses a CNAME beside any other record of its name: the A must go first. As two
    // calls (creates, then deletes after every forward change) the CNAME was refused on every run.
    const first = await scenario.run(['apply', '--all', '--yes']);
    expect(first.code, first.stderr).toBe(0);
    scenario.write(yaml(['{ name: www, type: CNAME, content: "edge.example.net" }']));
    const since = sandbox().requestLog().length;
    const swap = await scenario.run(['apply', '--all', '--yes']);
    expect(swap.code, swap.stderr.slice(-3000)).toBe(0);
    expect(batches(since)).toEqual([200]);
    const replan = await scenario.run(['plan', '--all', '--detailed-exitcode']);
    expect(replan.code, replan.stdout).toBe(0);
  });

  it('refuses to change more than 30% of a zone of 10 or more records without --force, and applies with it', async () => {
    scenario.write(yaml(hosts('before')));
    const created = await scenario.run(['apply', '--all', '--yes']);
    expect(created.code, created.stderr.slice(-3000)).toBe(0);

    scenario.write(yaml(hosts('after')));
    const since = sandbox().requestLog().length;
    const refused = await scenario.run(['apply', '--all', '--yes']);
    expect(refused.code, refused.stderr.slice(-3000)).toBe(3);
    expect(refused.stderr).toMatch(/zone daffeinated\.com: 5 of its \d+ DNS records would be updated, replaced or deleted/);
    expect(refused.stderr).toMatch(/--force/);
    expect(batches(since)).toEqual([]);

    const forced = await scenario.run(['apply', '--all', '--yes', '--force']);
    expect(forced.code, forced.stderr.slice(-3000)).toBe(0);
    expect(batches(since)).toEqual([200]);
  });
});
