import { jobEnded, runTransfer, settleTransfer, transfersOf } from '../pg/transfers.js';
import type { TimedWork } from './work.js';

/**
 * Heroku Postgres transfers (pg/transfers.ts): `pending` → `running` when due; then `completed`
 * or failed when due (metadata only) or as soon as a real database's job has ended.
 */
export const pgTransfers: TimedWork = {
  scope: 'app',
  name: 'Postgres transfers',
  *due(world, app) {
    if (app.pgTransfers === undefined) return;
    for (const transfer of transfersOf(app)) {
      if (transfer.finishedAt !== null) continue;
      if (transfer.startedAt === null) {
        const at = transfer.startDueMs;
        yield { at, run: () => runTransfer(world, app, transfer, at) };
      } else if (transfer.data === 'metadata only') {
        yield { at: transfer.finishDueMs, run: () => settleTransfer(world, app, transfer) };
      } else if (jobEnded(world, transfer)) {
        // A job ends off the clock: due as soon as it has, at the moment the transfer started.
        yield { at: transfer.startDueMs, run: () => settleTransfer(world, app, transfer) };
      }
    }
  },
};
