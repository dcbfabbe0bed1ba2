import { DaffError, ExitCode } from '../runtime/errors.js';
import type { Route } from './promote-facts.js';
import type { Examined } from './promotion.js';

/** Version of the promotion document; bumped on any incompatible change. */
export const PROMOTION_FORMAT_VERSION = 1;

/**
 * What `promote --dry-run --format json` prints: the approval artifact of a promotion. It names
 * the exact release (id, version, slug, commit) and each target's current release, so that
 * `promote --plan FILE` can promote exactly that release, onto targets that have not moved.
 */
export interface PromotionDocument {
  readonly formatVersion: number;
  readonly kind: 'promotion';
  readonly pipeline: string;
  readonly source: {
    readonly environment: string;
    readonly app: string;
    readonly release: { readonly id: string; readonly version: number; readonly slug: string | null } | null;
    readonly commit: string | null;
  };
  readonly targets: readonly {
    readonly environment: string;
    readonly app: string;
    /** The release serving traffic when the document was made; null when none. */
    readonly currentRelease: { readonly id: string; readonly version: number } | null;
  }[];
  readonly checks: readonly {
    readonly environment: string;
    readonly title: string;
    readonly ok: boolean;
    readonly detail: string;
  }[];
  readonly passed: boolean;
}

/** The document of an examined promotion (see `PromotionDocument`). */
export function promotionDocument(route: Route, examined: Examined): PromotionDocument {
  const release = examined.source.current;
  return {
    formatVersion: PROMOTION_FORMAT_VERSION,
    kind: 'promotion',
    pipeline: route.pipeline,
    source: {
      environment: route.source.name,
      app: route.source.app,
      release: release === undefined ? null : { id: release.id, version: release.version, slug: release.slugId },
      commit: examined.source.slug?.commit ?? null,
    },
    targets: examined.targets.map((t) => ({
      environment: t.environment,
      app: t.app,
      currentRelease: t.current === undefined ? null : { id: t.current.id, version: t.current.version },
    })),
    checks: examined.report.checks.map((c) => ({
      environment: c.environment,
      title: c.title,
      ok: c.ok,
      detail: c.detail,
    })),
    passed: examined.report.passed,
  };
}

/** Reads a promotion document; a file that is not one is a usage error saying how to make one. */
export function parsePromotionDocument(text: string, file: string): PromotionDocument {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw notADocument(file, `it is not JSON (${(error as Error).message})`);
  }
  const doc = value as Partial<PromotionDocument> | null;
  if (doc === null || typeof doc !== 'object' || doc.kind !== 'promotion')
    throw notADocument(file, 'its kind is not "promotion"');
  if (doc.formatVersion !== PROMOTION_FORMAT_VERSION) {
    throw notADocument(
      file,
      `its formatVersion is ${String(doc.formatVersion)}, this daffeinated reads ${PROMOTION_FORMAT_VERSION}`,
    );
  }
  if (typeof doc.source?.app !== 'string' || !Array.isArray(doc.targets))
    throw notADocument(file, 'it has no source or targets');
  return doc as PromotionDocument;
}

function notADocument(file: string, why: string): DaffError {
  return new DaffError(`${file} is not a promotion to approve: ${why}`, {
    hint: 'Make one with `daffeinated promote --dry-run --format json > promotion.json`.',
  });
}

/**
 * Refuses (exit 3, before anything changes) unless the promotion examined now is exactly the
 * approved one: the same pipeline, source and targets, the source's current release the approved
 * release, and every target still at the release it had when the document was made.
 */
export function assertApproved(approved: PromotionDocument, now: PromotionDocument, file: string): void {
  const moved: string[] = [];
  if (approved.pipeline !== now.pipeline || approved.source.app !== now.source.app) {
    moved.push(
      `it promotes ${approved.source.app} in pipeline ${approved.pipeline}, this run ${now.source.app} in ${now.pipeline}`,
    );
  }
  const apps = (d: PromotionDocument) =>
    d.targets
      .map((t) => t.app)
      .sort()
      .join(', ');
  if (apps(approved) !== apps(now)) moved.push(`it promotes to ${apps(approved)}, this run to ${apps(now)}`);
  const release = (d: PromotionDocument) =>
    d.source.release === null ? 'none' : `v${d.source.release.version} (${d.source.release.id})`;
  if (approved.source.release === null || approved.source.release.id !== now.source.release?.id) {
    moved.push(
      `the approved release of ${approved.source.app} is ${release(approved)}, its current release is now ${release(now)}`,
    );
  }
  for (const target of approved.targets) {
    const current = now.targets.find((t) => t.app === target.app)?.currentRelease ?? null;
    if (current?.id !== target.currentRelease?.id) {
      const at = (r: { version: number } | null) => (r === null ? 'no release' : `v${r.version}`);
      moved.push(`${target.app} was at ${at(target.currentRelease)} when approved and is now at ${at(current)}`);
    }
  }
  if (moved.length === 0) return;
  throw new DaffError(
    `Promotion refused: live state moved since ${file} was approved; nothing was changed\n${moved.map((m) => `  ${m}`).join('\n')}`,
    {
      hint: 'Make and approve a new promotion document (`daffeinated promote --dry-run --format json`).',
      exitCode: ExitCode.Refused,
    },
  );
}
