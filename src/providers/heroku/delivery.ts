import { DaffError, mayHaveHappened, StreamUnavailableError } from '../../runtime/errors.js';
import type {
  AddonStatus,
  AppSummary,
  BuildStatus,
  Delivery,
  DomainStatus,
  DynoStatus,
  FormationEntry,
  PromotionTargetStatus,
  ReleaseStatus,
  SlugSummary,
} from '../provider.js';
import type { ApiAddon, ApiDomain } from './api-types.js';
import type { HerokuClient } from './client.js';

/** The parts of Heroku's responses (official schema `targetSchema`s) that delivery reads. */
interface ApiBuild {
  readonly id: string;
  readonly status: BuildStatus['status'];
  readonly output_stream_url: string | null;
  readonly release: { readonly id: string } | null;
  readonly slug: { readonly id: string } | null;
  readonly source_blob: { readonly url: string | null; readonly version?: string | null };
}
interface ApiRelease {
  readonly id: string;
  readonly version: number;
  readonly status: ReleaseStatus['status'];
  readonly current: boolean;
  readonly slug: { readonly id: string } | null;
  readonly description: string;
  readonly output_stream_url: string | null;
  readonly user?: { readonly email?: string } | null;
  readonly created_at?: string;
}
interface ApiTarget {
  readonly app: { readonly id: string };
  readonly status: PromotionTargetStatus['status'];
  readonly error_message: string | null;
  readonly release: { readonly id: string } | null;
}

const app = (name: string) => `/apps/${encodeURIComponent(name)}`;

/**
 * Delivery against the Heroku Platform API (§1.9–1.11 of the reference): sources → builds →
 * releases, pipeline promotions with their targets, rollbacks, log sessions. API calls go through
 * the HerokuClient (its one retry layer: reads retried, creating POSTs never resent); the signed
 * URLs it hands out (upload, output streams, log sessions) are plain HTTP without credentials.
 */
export class HerokuDelivery implements Delivery {
  constructor(private readonly client: HerokuClient) {}

  async app(name: string): Promise<AppSummary> {
    const found = await this.client.get<{ id: string; name: string; web_url: string | null }>(app(name));
    return { id: found.id, name: found.name, webUrl: found.web_url };
  }

  async uploadSource(data: Uint8Array): Promise<string> {
    const source = await this.client.post<{ source_blob: { get_url: string; put_url: string } }>('/sources');
    const { put_url: putUrl, get_url: getUrl } = source.source_blob;
    let response: Response;
    try {
      response = await fetch(putUrl, { method: 'PUT', body: data });
    } catch (error) {
      throw new DaffError(`Uploading the source (${data.length} bytes) failed: ${(error as Error).message}`, {
        hint: 'Check the network and run the command again (a new upload URL is issued each time).',
        cause: error,
      });
    }
    if (!response.ok) {
      const text = (await response.text()).slice(0, 300);
      throw new DaffError(`Uploading the source failed: HTTP ${response.status} from the upload URL ${text}`.trim(), {
        hint: 'The signed upload URL refused the upload; run the command again for a fresh one.',
      });
    }
    return getUrl;
  }

  /**
   * `POST /apps/{app}/builds`, sent once. When it fails without a clear answer, the build may
   * exist: the app's latest builds are read and one for this source URL (unique per upload) is
   * adopted; only when none is found does the error stand.
   */
  async startBuild(name: string, source: { url: string; version: string; checksum: string }): Promise<BuildStatus> {
    try {
      const build = await this.client.post<ApiBuild>(`${app(name)}/builds`, {
        body: { source_blob: { url: source.url, version: source.version, checksum: source.checksum } },
      });
      return toBuild(build);
    } catch (error) {
      if (!mayHaveHappened(error)) throw error;
      const recent = await this.client.get<ApiBuild[]>(`${app(name)}/builds`, {
        partial: true,
        headers: { Range: 'started_at ..; max=20, order=desc' },
      });
      const found = recent.find((b) => b.source_blob.url === source.url);
      if (found === undefined) throw error;
      return toBuild(found);
    }
  }

  async buildsOf(name: string, version: string): Promise<BuildStatus[]> {
    const recent = await this.client.get<ApiBuild[]>(`${app(name)}/builds`, {
      partial: true,
      headers: { Range: 'started_at ..; max=20, order=desc' },
    });
    return recent.filter((b) => b.source_blob.version === version).map(toBuild);
  }

  async releaseSlug(name: string, slugId: string, description: string): Promise<ReleaseStatus> {
    return toRelease(await this.client.post<ApiRelease>(`${app(name)}/releases`, { body: { slug: slugId, description } }));
  }

  async build(name: string, id: string): Promise<BuildStatus> {
    return toBuild(await this.client.get<ApiBuild>(`${app(name)}/builds/${encodeURIComponent(id)}`));
  }

  async followOutput(url: string, onLine: (line: string) => void, signal?: AbortSignal): Promise<void> {
    const response = await fetch(url, signal === undefined ? {} : { signal });
    if (!response.ok || response.body === null) {
      await response.body?.cancel();
      throw new StreamUnavailableError(response.status, new URL(url).origin);
    }
    const decoder = new TextDecoder();
    let pending = '';
    for await (const chunk of response.body) {
      pending += decoder.decode(chunk, { stream: true });
      const lines = pending.split(/\r?\n/);
      pending = lines.pop() ?? '';
      for (const line of lines) onLine(line);
    }
    if (pending !== '') onLine(pending);
  }

  async releases(name: string, count: number): Promise<ReleaseStatus[]> {
    const list = await this.client.get<ApiRelease[]>(`${app(name)}/releases`, {
      partial: true,
      headers: { Range: `version ..; max=${count}, order=desc` },
    });
    return list.map(toRelease).sort((a, b) => b.version - a.version);
  }

  async release(name: string, id: string): Promise<ReleaseStatus> {
    return toRelease(await this.client.get<ApiRelease>(`${app(name)}/releases/${encodeURIComponent(id)}`));
  }

  async slug(name: string, id: string): Promise<SlugSummary> {
    const slug = await this.client.get<{ id: string; commit: string | null; process_types: Record<string, string> | null }>(
      `${app(name)}/slugs/${encodeURIComponent(id)}`,
    );
    return { id: slug.id, commit: slug.commit, processTypes: { ...(slug.process_types ?? {}) } };
  }

  async configKeys(name: string): Promise<string[]> {
    return Object.keys(await this.client.get<Record<string, string | null>>(`${app(name)}/config-vars`)).sort();
  }

  async formation(name: string): Promise<FormationEntry[]> {
    const list = await this.client.get<{ type: string; quantity: number; size: string }[]>(`${app(name)}/formation`);
    return list.map((f) => ({ type: f.type, quantity: f.quantity, size: f.size.toLowerCase() }));
  }

  async pipelineId(name: string): Promise<string | undefined> {
    return (await this.client.find<{ id: string }>(`/pipelines/${encodeURIComponent(name)}`))?.id;
  }

  async promote(request: {
    pipelineId: string;
    sourceAppId: string;
    sourceReleaseId: string;
    targetAppIds: readonly string[];
  }): Promise<{ id: string }> {
    const promotion = await this.client.post<{ id: string }>('/pipeline-promotions', {
      body: {
        pipeline: { id: request.pipelineId },
        source: { app: { id: request.sourceAppId }, release: { id: request.sourceReleaseId } },
        targets: request.targetAppIds.map((id) => ({ app: { id } })),
      },
    });
    return { id: promotion.id };
  }

  async promotionTargets(promotionId: string): Promise<PromotionTargetStatus[]> {
    const targets = await this.client.get<ApiTarget[]>(`/pipeline-promotions/${encodeURIComponent(promotionId)}/promotion-targets`);
    return targets.map((t) => ({
      appId: t.app.id,
      status: t.status,
      errorMessage: t.error_message,
      releaseId: t.release?.id ?? null,
    }));
  }

  async rollback(name: string, releaseId: string): Promise<ReleaseStatus> {
    return toRelease(await this.client.post<ApiRelease>(`${app(name)}/releases`, { body: { release: releaseId } }));
  }

  async dynos(name: string): Promise<DynoStatus[]> {
    const list = await this.client.get<{ name: string; type: string; state: string; release: { version: number | null } | null }[]>(`${app(name)}/dynos`);
    return list.map((d) => ({ name: d.name, type: d.type, state: d.state, releaseVersion: d.release?.version ?? null }));
  }

  async addons(name: string): Promise<AddonStatus[]> {
    const list = await this.client.get<ApiAddon[]>(`${app(name)}/addons`);
    return list.map((a) => ({ name: a.name, plan: a.plan.name, state: a.state }));
  }

  async domains(name: string): Promise<DomainStatus[]> {
    const list = await this.client.get<ApiDomain[]>(`${app(name)}/domains`);
    return list.filter((d) => d.kind !== 'heroku').map((d) => ({ hostname: d.hostname, cname: d.cname, acmStatus: d.acm_status }));
  }

  async releaseConfigKeys(name: string, releaseId: string): Promise<string[]> {
    const vars = await this.client.get<Record<string, string | null>>(`${app(name)}/releases/${encodeURIComponent(releaseId)}/config-vars`);
    return Object.keys(vars).sort();
  }

  async recentLogs(name: string, lines: number): Promise<string[]> {
    const session = await this.client.post<{ logplex_url: string }>(`${app(name)}/log-sessions`, { body: { lines, tail: false } });
    const response = await fetch(session.logplex_url, { signal: AbortSignal.timeout(10_000) });
    if (!response.ok) throw new DaffError(`The log session of ${name} answered HTTP ${response.status}`);
    return (await response.text()).split(/\r?\n/).filter((line) => line !== '');
  }
}

function toBuild(build: ApiBuild): BuildStatus {
  return {
    id: build.id,
    status: build.status,
    outputStreamUrl: build.output_stream_url,
    releaseId: build.release?.id ?? null,
    slugId: build.slug?.id ?? null,
  };
}

function toRelease(release: ApiRelease): ReleaseStatus {
  return {
    id: release.id,
    version: release.version,
    status: release.status,
    current: release.current,
    slugId: release.slug?.id ?? null,
    description: release.description,
    outputStreamUrl: release.output_stream_url,
    ...(typeof release.user?.email === 'string' ? { user: release.user.email } : {}),
    ...(typeof release.created_at === 'string' ? { createdAt: release.created_at } : {}),
  };
}
