import { dnsRecordLimit } from '../../../facts/cloudflare-plans.js';
import type { World } from '../../world.js';
import { CloudflareError, HEX32, invalidIdentifier } from '../errors.js';
import { cfTime, type DnsRecord, type ZoneRecord } from '../model.js';
import { checkConflicts } from './conflicts.js';
import { draftRecord, type RecordDraft } from './record.js';

/**
 * The record writes, over an explicit list of records so the batch endpoint can run them on a
 * working copy and keep it only if every operation succeeds. Each write validates, checks
 * conflicts against the list as it stands, then changes the list in place. A create beyond the
 * zone's record quota (facts/cloudflare-plans.ts `dnsRecordLimit`: Free 200, or 1,000 for a Free
 * zone created before 2024-09-01; paid 3,500) is refused with 81045.
 */
export interface RecordList {
  readonly world: World;
  readonly zone: ZoneRecord;
  readonly records: DnsRecord[];
}

/** A record by id: 400 (7003 + 7000) when the id is malformed, 404 81044 when there is none. */
export function findRecord(list: RecordList, id: unknown, path: string): DnsRecord {
  if (typeof id !== 'string' || !HEX32.test(id)) throw invalidIdentifier(path);
  const record = list.records.find((r) => r.id === id);
  if (record === undefined) throw new CloudflareError(404, { code: 81044, message: 'Record does not exist.' });
  return record;
}

export function createRecord(list: RecordList, body: unknown): DnsRecord {
  const draft = draftRecord(list.zone, body);
  checkConflicts(list.zone, draft, list.records);
  const quota = dnsRecordLimit(list.zone.plan, list.zone.createdOn);
  if (list.records.length >= quota) {
    throw new CloudflareError(400, {
      code: 81045,
      message: `Record quota exceeded: this zone's plan allows ${quota} DNS records.`,
    });
  }
  const now = cfTime(list.world.clock());
  const record: DnsRecord = {
    id: list.world.ids.hex(32),
    ...draft,
    createdOn: now,
    modifiedOn: now,
    ...(draft.comment === null ? {} : { commentModifiedOn: now }),
    ...(draft.tags.length === 0 ? {} : { tagsModifiedOn: now }),
  };
  list.records.push(record);
  return record;
}

/** PUT (`replace`: fields not sent take their defaults) or PATCH (fields not sent are kept). */
export function updateRecord(
  list: RecordList,
  id: unknown,
  body: unknown,
  mode: 'replace' | 'patch',
  path: string,
): DnsRecord {
  const old = findRecord(list, id, path);
  const draft = draftRecord(list.zone, body, mode === 'patch' ? old : undefined);
  checkConflicts(list.zone, draft, list.records, old.id);
  const now = cfTime(list.world.clock());
  const changed = (Object.keys(draft) as (keyof RecordDraft)[]).some(
    (key) => JSON.stringify(draft[key]) !== JSON.stringify(old[key]),
  );
  const commentChanged = draft.comment !== old.comment;
  const tagsChanged = JSON.stringify(draft.tags) !== JSON.stringify(old.tags);
  const commentTime = commentChanged ? now : old.commentModifiedOn;
  const tagsTime = tagsChanged ? now : old.tagsModifiedOn;
  const record: DnsRecord = {
    id: old.id,
    ...draft,
    createdOn: old.createdOn,
    modifiedOn: changed ? now : old.modifiedOn,
    ...(draft.comment === null || commentTime === undefined ? {} : { commentModifiedOn: commentTime }),
    ...(draft.tags.length === 0 || tagsTime === undefined ? {} : { tagsModifiedOn: tagsTime }),
  };
  list.records[list.records.indexOf(old)] = record;
  return record;
}

export function deleteRecord(list: RecordList, id: unknown, path: string): DnsRecord {
  const record = findRecord(list, id, path);
  list.records.splice(list.records.indexOf(record), 1);
  return record;
}
