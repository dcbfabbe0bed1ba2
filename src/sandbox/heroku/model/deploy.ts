/**
 * The deploy side of the Heroku state: sources, builds, release phases, pipelines, couplings and
 * promotions. Plain JSON data, like state.ts.
 */

/** One line of a streamed output (build or release phase), shown once the clock reaches `atMs`. */
export interface OutputLine {
  atMs: number;
  text: string;
}

/** An upload slot issued by `POST /sources`; `key` is the unguessable capability in its URLs. */
export interface SourceRecord {
  key: string;
  createdAt: string;
  /** Set by the PUT to the upload URL. */
  uploadedAt: string | null;
  size: number | null;
  /** Hex SHA-256 of the uploaded bytes. */
  sha256: string | null;
}

/** What a build will produce, decided when it starts (the source is read then). */
export type BuildOutcome =
  | {
      ok: true;
      processTypes: Record<string, string>;
      /** `buildpack_provided_description`, e.g. `Node.js`; `null` when no language was recognised. */
      language: string | null;
      sourceKey: string;
      size: number;
      checksum: string;
    }
  | { ok: false };

export interface BuildRecord {
  id: string;
  status: 'pending' | 'succeeded' | 'failed';
  sourceBlob: { url: string; checksum: string | null; version: string | null; versionDescription: string | null };
  buildpacks: { url: string; name: string }[] | null;
  stack: string;
  user: { id: string; email: string };
  slugId: string | null;
  releaseId: string | null;
  /** Capability key of the output stream (`/__sandbox/streams/{key}`). */
  streamKey: string;
  startedMs: number;
  dueMs: number;
  outcome: BuildOutcome;
  output: OutputLine[];
  createdAt: string;
  updatedAt: string;
}

/**
 * A Procfile `release` command run for a release; the release stays `pending` until it ends. The
 * injected clock runs it (`clock`: it starts at `startedMs` and ends at `dueMs`), or, when the
 * sandbox runs processes, a real process does (`process`: runner/release-phases.ts). Its output
 * stream answers 404 until the command has started, as Heroku's does.
 */
export interface ReleasePhaseRecord {
  command: string;
  streamKey: string;
  runner: 'clock' | 'process';
  /** When the command started; `null` while a process waits for its slug to be prepared. */
  startedMs: number | null;
  /** When a clock-run phase ends; `null` for a process (its exit ends it). */
  dueMs: number | null;
  /** Why it will fail (armed through the admin route), `null` when it will succeed. */
  failure: string | null;
  output: OutputLine[];
}

export interface PipelineRecord {
  id: string;
  name: string;
  owner: { id: string; type: 'user' | 'team' };
  createdAt: string;
  updatedAt: string;
}

export const STAGES = ['test', 'review', 'development', 'staging', 'production'] as const;
export type Stage = (typeof STAGES)[number];

export interface CouplingRecord {
  id: string;
  appId: string;
  pipelineId: string;
  stage: Stage;
  createdAt: string;
  updatedAt: string;
}

export interface PromotionTargetRecord {
  id: string;
  appId: string;
  status: 'pending' | 'succeeded' | 'failed';
  errorMessage: string | null;
  releaseId: string | null;
}

export interface PromotionRecord {
  id: string;
  pipelineId: string;
  sourceAppId: string;
  sourceReleaseId: string;
  /** The slug being promoted (that of the source release). */
  slugId: string;
  status: 'pending' | 'completed';
  dueMs: number;
  targets: PromotionTargetRecord[];
  createdAt: string;
  updatedAt: string;
}
