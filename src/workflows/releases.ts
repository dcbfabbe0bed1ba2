import type { EnvironmentConfig } from '../model/config.js';
import type { ReleaseEntry } from '../model/status.js';
import { DaffError, NotFoundError } from '../runtime/errors.js';
import type { Connection } from './connection.js';

/**
 * The app's newest `limit` releases with the commit each one's slug was built from: the list,
 * then every distinct slug at once (two rounds).
 */
export async function releaseHistory(
  connection: Connection,
  environment: EnvironmentConfig,
  limit: number,
): Promise<ReleaseEntry[]> {
  const { delivery } = connection;
  const app = environment.app;
  let releases: Awaited<ReturnType<typeof delivery.releases>>;
  try {
    releases = await delivery.releases(app, limit);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    throw new DaffError(`The app ${app} of ${environment.name} does not exist: it has no releases`, {
      hint: `Create it with \`daffeinated apply ${environment.name}\` or deploy it.`,
    });
  }
  const slugs = [...new Set(releases.flatMap((r) => (r.slugId === null ? [] : [r.slugId])))];
  const commits = new Map(
    await Promise.all(slugs.map(async (id) => [id, (await delivery.slug(app, id)).commit] as const)),
  );
  return releases.map((r) => ({
    version: r.version,
    status: r.status,
    current: r.current,
    description: r.description,
    commit: r.slugId === null ? null : (commits.get(r.slugId) ?? null),
    user: r.user ?? null,
    createdAt: r.createdAt ?? null,
  }));
}
