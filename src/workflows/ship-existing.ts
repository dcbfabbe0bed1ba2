import type { BuildStatus, Delivery, ReleaseStatus } from '../providers/provider.js';
import { mayHaveHappened } from '../runtime/errors.js';
import type { Progress } from './progress.js';

/**
 * The build a re-run of `deploy` continues instead of building the same commit again (one build
 * per commit): the newest running build of `commit` on the app, else its newest succeeded one with
 * a slug. Failed builds are not reused: building again is the way to retry them.
 */
export async function earlierBuild(delivery: Delivery, app: string, commit: string): Promise<BuildStatus | undefined> {
  const builds = await delivery.buildsOf(app, commit);
  return builds.find((b) => b.status === 'pending') ?? builds.find((b) => b.status === 'succeeded' && b.slugId !== null);
}

/**
 * The release that puts a succeeded build's slug live, without building: the current release when
 * it already runs the slug (an earlier run released it), a newer release of it still releasing,
 * else a new release of the slug (its own release failed, or other code was released since). A
 * lost answer to that POST is looked for among the app's releases before the error stands.
 */
export async function releaseOfBuilt(
  delivery: Delivery,
  app: string,
  build: BuildStatus & { readonly slugId: string },
  description: string,
  progress: Progress,
): Promise<ReleaseStatus> {
  const releases = await delivery.releases(app, 25);
  const current = releases.find((r) => r.current);
  if (current?.slugId === build.slugId) {
    progress.info(`v${current.version} of ${app} already runs the slug of build ${build.id} (released by an earlier run)`);
    return current;
  }
  const releasing = releases.find((r) => r.status === 'pending' && r.slugId === build.slugId && (current === undefined || r.version > current.version));
  if (releasing !== undefined) {
    progress.info(`v${releasing.version} of ${app}, releasing the slug of build ${build.id}, is still in progress: following it`);
    return releasing;
  }
  const newest = releases[0]?.version ?? 0;
  progress.info(`releasing the slug of build ${build.id} again (its release is not current)`);
  try {
    return await delivery.releaseSlug(app, build.slugId, description);
  } catch (error) {
    if (!mayHaveHappened(error)) throw error;
    const found = (await delivery.releases(app, 5)).find((r) => r.version > newest && r.slugId === build.slugId);
    if (found === undefined) throw error;
    progress.warn(`the release request got no clear answer; found it: release v${found.version} of ${app}`);
    return found;
  }
}
