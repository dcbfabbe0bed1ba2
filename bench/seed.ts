/**
 * Puts the large zone's declared records in place before a scenario, as an earlier daffeinated
 * apply would have left them (the ownership comment included), so that "apply on an empty
 * sandbox" of the large config creates 20 apps against an established 5,000-record zone.
 *
 * Why not create the 4,980 records in that apply: daffeinated sends all of a zone's DNS changes
 * in ONE batch, and Cloudflare takes at most 3,500 operations per batch on paid plans (200 on
 * Free), so that apply fails (the benchmark records it as a finding). The records are made from
 * daffeinated's own desired state and field mapping, in batches of 3,000, with latency off.
 */
import { prepare } from '../src/commands/context.js';
import { isUnknown } from '../src/model/value.js';
import { recordFields } from '../src/providers/cloudflare/convert.js';
import type { Workspace } from './cli.js';

const BATCH = 3_000;

export async function seedZoneRecords(workspace: Workspace, sandboxUrl: string, zone: string): Promise<number> {
  const io = workspace.io([], []);
  const prepared = prepare(io, { debug: false }, { names: [], all: true, defaultAll: true });
  const records = prepared.desired.resources
    .filter((r) => r.kind === 'cloudflare.dns' && r.address.startsWith(`cloudflare.dns[${zone}/`))
    .filter((r) => !Object.values(r.attributes).some((v) => isUnknown(v)))
    .map((r) => recordFields(zone, r.attributes, Object.keys(r.attributes)));
  const api = `${sandboxUrl}/client/v4`;
  const headers = { Authorization: 'Bearer sandbox-token', 'Content-Type': 'application/json' };
  const zones = (await (await fetch(`${api}/zones?name=${zone}`, { headers })).json()) as { result: { id: string }[] };
  const zoneId = zones.result[0]?.id;
  if (zoneId === undefined) throw new Error(`the bench sandbox has no zone ${zone}`);
  for (let i = 0; i < records.length; i += BATCH) {
    const body = JSON.stringify({ posts: records.slice(i, i + BATCH) });
    const response = await fetch(`${api}/zones/${zoneId}/dns_records/batch`, { method: 'POST', headers, body });
    if (!response.ok)
      throw new Error(`seeding ${zone}: HTTP ${response.status} ${(await response.text()).slice(0, 500)}`);
  }
  return records.length;
}
