import type { SandboxHandle } from '../../src/sandbox/index.js';
import { writeTarGz } from '../../src/sandbox/heroku/runner/tar.js';
import { admin, heroku } from './sandbox.js';

/** Heroku timings that make every piece of asynchronous work due on the next request. */
export const INSTANT = {
  addonProvisionMs: 0,
  buildMs: 0,
  releaseStartMs: 0,
  releasePhaseMs: 0,
  promotionMs: 0,
  domainMs: 0,
  acmMs: 0,
} as const;

/** A clock the test moves by hand, so timed transitions happen exactly when the test says. */
export class ManualClock {
  private ms: number;

  constructor(start = '2026-03-01T12:00:00Z') {
    this.ms = Date.parse(start);
  }

  readonly now = (): Date => new Date(this.ms);

  advance(ms: number): void {
    this.ms += ms;
  }
}

export type Json = Record<string, unknown>;

/** A .tar.gz of a small app. */
export function tarball(files: Record<string, string | Buffer>): Buffer {
  return writeTarGz(files);
}

export const NODE_APP = {
  'package.json': JSON.stringify({ name: 'demo', scripts: { start: 'node server.js' } }),
  'server.js': 'require("http").createServer((q, s) => s.end("ok")).listen(process.env.PORT);\n',
};

/** `POST /sources`, then a PUT of the bytes to its put_url; returns the get_url. */
export async function upload(sandbox: SandboxHandle, data: Buffer): Promise<string> {
  const source = await heroku<{ source_blob: { get_url: string; put_url: string } }>(sandbox, 'POST', '/sources');
  if (source.status !== 201) throw new Error(`POST /sources: ${source.status}`);
  const put = await fetch(source.body.source_blob.put_url, { method: 'PUT', body: new Uint8Array(data) });
  if (put.status !== 200) throw new Error(`PUT source: ${put.status} ${await put.text()}`);
  return source.body.source_blob.get_url;
}

/** Uploads the files and starts a build; returns the build JSON (pending). */
export async function startBuild(
  sandbox: SandboxHandle,
  app: string,
  files: Record<string, string | Buffer> | Buffer,
  version: string | null = 'a1b2c3d4e5f6',
): Promise<Json> {
  const url = await upload(sandbox, Buffer.isBuffer(files) ? files : tarball(files));
  const res = await heroku<Json>(sandbox, 'POST', `/apps/${app}/builds`, {
    body: { source_blob: { url, ...(version === null ? {} : { version }) } },
  });
  if (res.status !== 201) throw new Error(`POST builds: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Applies all pending timed work now (admin settle). */
export async function settle(sandbox: SandboxHandle): Promise<void> {
  const res = await admin(sandbox, 'POST', '/heroku/settle');
  if (res.status !== 200) throw new Error(`settle: ${res.status}`);
}

/** Builds the files to completion and returns the finished build. */
export async function deploy(
  sandbox: SandboxHandle,
  app: string,
  files: Record<string, string | Buffer>,
  version?: string,
): Promise<Json> {
  const build = await startBuild(sandbox, app, files, version);
  await settle(sandbox);
  return (await heroku<Json>(sandbox, 'GET', `/apps/${app}/builds/${build['id'] as string}`)).body;
}

/** The releases of an app, oldest first. */
export async function releases(sandbox: SandboxHandle, app: string): Promise<Json[]> {
  return (await heroku<Json[]>(sandbox, 'GET', `/apps/${app}/releases`, { headers: { Range: 'version ..' } })).body;
}

/** Reads a whole output stream. */
export async function readStream(url: string): Promise<string> {
  const res = await fetch(url);
  if (res.status !== 200) throw new Error(`stream ${url}: ${res.status}`);
  return res.text();
}
