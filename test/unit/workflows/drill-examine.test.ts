import { describe, expect, it } from 'vitest';
import type { BackupEntry, DatabaseRef } from '../../../src/model/backups.js';
import { DATABASE_BYTES_PER_BACKUP_BYTE, newestBackupOf, sizeFrom } from '../../../src/workflows/drill-examine.js';

const DATABASE: DatabaseRef = { id: 'id', name: 'postgresql-curved-12345', plan: 'heroku-postgresql:standard-0', attachment: 'DATABASE', app: 'shop' };
const backup = (id: string, over: Partial<BackupEntry> = {}): BackupEntry => ({
  id,
  uuid: `uuid-${id}`,
  database: 'DATABASE',
  createdAt: '2026-12-01T02:00:00Z',
  finishedAt: '2026-12-01T02:00:09Z',
  status: 'completed',
  bytes: 1000,
  sourceBytes: null,
  scheduled: false,
  ...over,
});

describe("the drill's backup", () => {
  it('is the newest completed backup of the database (listed newest first), by attachment or add-on name', () => {
    const list = [
      backup('b006', { status: 'running', finishedAt: null }),
      backup('b005', { status: 'failed' }),
      backup('b004', { database: 'REPLICA' }),
      backup('a003', { database: DATABASE.name, scheduled: true }),
      backup('b002'),
    ];
    expect(newestBackupOf(list, DATABASE)?.id).toBe('a003');
    expect(newestBackupOf(list.slice(4), DATABASE)?.id).toBe('b002');
    expect(newestBackupOf([backup('b001', { database: null })], DATABASE)?.id).toBe('b001');
    expect(newestBackupOf(list.slice(0, 3), DATABASE)).toBeUndefined();
  });

  it("sizes the database by its size at capture, else at several times the backup (a compressed dump); unknown without one", () => {
    expect(sizeFrom(backup('b001', { bytes: 2_000, sourceBytes: 9_000_000 }))).toBe(9_000_000);
    expect(sizeFrom(backup('b001', { bytes: 2_000 }))).toBe(2_000 * DATABASE_BYTES_PER_BACKUP_BYTE);
    expect(sizeFrom(undefined)).toBeNull();
  });
});
