import { describe, expect, it } from 'vitest';
import { heroku, withSandbox } from '../helpers/sandbox.js';

// A backup's URLs over HTTP, without real databases (metadata only): `to_url` names the backup but
// downloads nothing, the signed URL of `pg:backups:url` answers until it expires (60 minutes, on
// the sandbox's clock), and a metadata-only backup has no bytes to give.
interface Transfer {
  num: number;
  to_url: string | null;
  finished_at: string | null;
}

async function s3Code(res: Response): Promise<string> {
  return (
    /<Code>([^<]+)<\/Code><Message>([^<]*)<\/Message>/
      .exec(await res.text())
      ?.slice(1)
      .join(': ') ?? ''
  );
}

describe('backup URLs', () => {
  it('signs downloads for an hour and refuses unsigned, forged and expired ones', async () => {
    let now = Date.parse('2026-06-01T12:00:00Z');
    await withSandbox(
      async (sandbox) => {
        await heroku(sandbox, 'POST', '/apps', { body: { name: 'urls' } });
        const addon = (
          await heroku<{ id: string }>(sandbox, 'POST', '/apps/urls/addons', {
            body: { plan: 'heroku-postgresql:standard-0' },
          })
        ).body;
        await heroku(sandbox, 'POST', `/client/v11/databases/${addon.id}/backups`);
        const [backup] = (await heroku<Transfer[]>(sandbox, 'GET', '/client/v11/apps/urls/transfers')).body;
        expect(backup?.finished_at).not.toBeNull();
        const issued = await heroku<{ url: string; expires_at: string }>(
          sandbox,
          'POST',
          '/client/v11/apps/urls/transfers/1/actions/public-url',
        );
        expect(issued.body.expires_at).toBe('2026-06-01T13:00:00Z');
        const signed = new URL(issued.body.url);
        expect(signed.searchParams.get('Expires')).toBe(String(Date.parse('2026-06-01T13:00:00Z') / 1000));

        expect(await s3Code(await fetch(backup?.to_url as string))).toMatch(
          /^AccessDenied: This URL names the backup but is not signed/,
        );
        const download = await fetch(signed);
        expect(download.status).toBe(404);
        expect(await s3Code(download)).toBe(
          'NoSuchKey: This backup has no bytes to download: metadata only: no PostgreSQL server behind this sandbox add-on.',
        );
        const forged = new URL(signed);
        forged.searchParams.set('Expires', String(Number(signed.searchParams.get('Expires')) + 3600));
        const refused = await fetch(forged);
        expect([refused.status, await s3Code(refused)]).toEqual([
          403,
          'SignatureDoesNotMatch: The request signature we calculated does not match the signature you provided.',
        ]);

        now += 3_600_000;
        const expired = await fetch(signed);
        expect([expired.status, await s3Code(expired)]).toEqual([403, 'AccessDenied: Request has expired']);
        const unknown = await fetch(`${sandbox.url}/__sandbox/pg-backups/00000000-0000-0000-0000-000000000000`);
        expect(unknown.status).toBe(403);
      },
      { clock: () => new Date(now), heroku: { addonProvisionMs: 0, pgTransferStartMs: 0, pgTransferMs: 0 } },
    );
  });
});
