import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { CloudflareClient, DNS_PAGE_MAX, type HttpLogEntry } from '../../../src/providers/cloudflare/client.js';
import { API, apiRecord, hexId, ok, ORIGIN, ZONE, ZONE_ID } from './fixtures.js';

// listRecords: the first page says how many pages there are; the others are asked for at once
// (within the client's concurrency limit) and merged in page order, whatever order they come back in.
const RECORDS = `${API}/zones/${ZONE_ID}/dns_records`;
const PER_PAGE = 100;
const TOTAL = 420;
const PAGES = Math.ceil(TOTAL / PER_PAGE);
const all = Array.from({ length: TOTAL }, (_, i) => apiRecord({ id: `r${i}`, type: 'A', name: `h${String(i).padStart(3, '0')}.${ZONE}`, content: '192.0.2.1' }));

function client(log: HttpLogEntry[], options: { concurrency?: number; dnsPageSize?: number } = {}): CloudflareClient {
  return new CloudflareClient({ baseUrl: `${ORIGIN}${API}`, apiToken: 'cf-test-token', dnsPageSize: PER_PAGE, onHttp: (entry) => log.push(entry), ...options });
}

/** Serves the zone in pages; later pages answer in reverse order (the last first). Returns the arrival/answer events and the peak in flight. */
function servePages(): { events: string[]; peak: () => number } {
  const events: string[] = [];
  let inFlight = 0;
  let peak = 0;
  for (let page = 1; page <= PAGES; page++) {
    const items = all.slice((page - 1) * PER_PAGE, page * PER_PAGE);
    const info = { page, per_page: PER_PAGE, count: items.length, total_count: TOTAL, total_pages: PAGES };
    nock(ORIGIN)
      .get(RECORDS)
      .query({ page: String(page), per_page: String(PER_PAGE) })
      .reply((_uri, _body, callback) => {
        events.push(`asked ${page}`);
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        setTimeout(
          () => {
            inFlight -= 1;
            events.push(`answered ${page}`);
            callback(null, [200, ok(items, { result_info: info })]);
          },
          page === 1 ? 0 : (PAGES + 1 - page) * 30,
        );
      });
  }
  return { events, peak: () => peak };
}

afterEach(() => {
  nock.cleanAll();
});

describe('CloudflareClient.listRecords over several pages', () => {
  it('asks for pages 2…total_pages at once after the first, one request each, merged in page order', async () => {
    const log: HttpLogEntry[] = [];
    const { events } = servePages();
    const records = await client(log).listRecords(ZONE_ID);
    expect(records.map((r) => r.id)).toEqual(all.map((r) => r.id));
    expect(records[0]?.id).toBe(hexId('r0'));
    expect(log).toHaveLength(PAGES);
    expect(log.map((e) => e.path).sort()).toEqual(Array.from({ length: PAGES }, (_, i) => `/zones/${ZONE_ID}/dns_records?page=${i + 1}&per_page=${PER_PAGE}`));
    // Two rounds: the first page, then every other page before any of them answers.
    expect(events.slice(0, 2)).toEqual(['asked 1', 'answered 1']);
    expect(events.slice(2, 2 + PAGES - 1).sort()).toEqual(Array.from({ length: PAGES - 1 }, (_, i) => `asked ${i + 2}`));
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("stays within the client's concurrency limit", async () => {
    const log: HttpLogEntry[] = [];
    const { peak } = servePages();
    const records = await client(log, { concurrency: 2 }).listRecords(ZONE_ID);
    expect(records.map((r) => r.id)).toEqual(all.map((r) => r.id));
    expect(log).toHaveLength(PAGES);
    expect(peak()).toBe(2);
  });

  it("asks for the API's largest page by default, so a zone of any usual size is one request", async () => {
    const log: HttpLogEntry[] = [];
    const info = { page: 1, per_page: DNS_PAGE_MAX, count: TOTAL, total_count: TOTAL, total_pages: 1 };
    nock(ORIGIN).get(RECORDS).query({ page: '1', per_page: String(DNS_PAGE_MAX) }).reply(200, ok(all, { result_info: info }));
    const records = await new CloudflareClient({ baseUrl: `${ORIGIN}${API}`, apiToken: 'cf-test-token', onHttp: (entry) => log.push(entry) }).listRecords(ZONE_ID);
    expect(records).toHaveLength(TOTAL);
    expect(log.map((e) => e.path)).toEqual([`/zones/${ZONE_ID}/dns_records?page=1&per_page=5000`]);
  });
});
