import { CloudflareError } from '../errors.js';
import type { DnsRecord, ZoneRecord } from '../model.js';
import type { RecordDraft } from './record.js';

const SAME_NAME_DOCS =
  'For more details, refer to <https://developers.cloudflare.com/dns/manage-dns-records/troubleshooting/records-with-same-name/>.';

/**
 * Refuses a record that cannot live next to the zone's other records of the same name
 * (reference/cloudflare-api.md §1.2, §2), all with HTTP 400:
 *
 * - 81058 "An identical record already exists." — same type, name, content (and priority);
 * - 81053 — a CNAME where any other record has that name ("An A, AAAA, or CNAME record with that
 *   host already exists." when one of those is there);
 * - 81054 "A CNAME record with that host already exists." — any other record next to a CNAME;
 * - 81054 — an NS record next to records of other types, or the reverse (DS records belong with
 *   their NS delegation and are exempt).
 *
 * At the zone apex, a CNAME is flattened and answered as A/AAAA, and the apex always holds SOA
 * and NS: there it only conflicts with A, AAAA and CNAME records, and NS is not checked.
 * `selfId` is the record being replaced, which never conflicts with itself.
 */
export function checkConflicts(
  zone: ZoneRecord,
  draft: RecordDraft,
  records: readonly DnsRecord[],
  selfId?: string,
): void {
  const others = records.filter((r) => r.name === draft.name && r.id !== selfId);
  if (others.some((r) => r.type === draft.type && sameContent(r, draft))) {
    throw conflict(81058, 'An identical record already exists.');
  }
  const apex = draft.name === zone.name;
  const addressLike = (type: string) => type === 'A' || type === 'AAAA' || type === 'CNAME';
  if (draft.type === 'CNAME') {
    const blocking = others.filter((r) => !apex || addressLike(r.type));
    if (blocking.some((r) => addressLike(r.type))) {
      throw conflict(81053, `An A, AAAA, or CNAME record with that host already exists. ${SAME_NAME_DOCS}`);
    }
    if (blocking.length > 0) throw conflict(81053, `A record with that host already exists. ${SAME_NAME_DOCS}`);
  } else if (others.some((r) => r.type === 'CNAME') && (!apex || addressLike(draft.type))) {
    throw conflict(81054, `A CNAME record with that host already exists. ${SAME_NAME_DOCS}`);
  }
  if (apex) return;
  const delegation = (type: string) => type === 'NS' || type === 'DS';
  if (draft.type === 'NS' && others.some((r) => !delegation(r.type))) {
    throw conflict(81054, `An NS record cannot share its name with records of other types. ${SAME_NAME_DOCS}`);
  }
  if (!delegation(draft.type) && others.some((r) => r.type === 'NS')) {
    throw conflict(81054, `An NS record with that host already exists. ${SAME_NAME_DOCS}`);
  }
}

function sameContent(record: DnsRecord, draft: RecordDraft): boolean {
  const fold = record.type === 'TXT' ? (s: string) => s : (s: string) => s.toLowerCase();
  return fold(record.content) === fold(draft.content) && record.priority === draft.priority;
}

function conflict(code: number, message: string): CloudflareError {
  return new CloudflareError(400, { code, message });
}
