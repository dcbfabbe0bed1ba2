import Heroku from 'heroku-client';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { type SandboxHandle, type SandboxOptions, startSandbox } from '../../src/sandbox/index.js';

/** The Accept header every Heroku request needs. */
export const HEROKU_ACCEPT = 'application/vnd.heroku+json; version=3';

/** Runs `fn` against a fresh sandbox on 127.0.0.1 and always closes it. */
export async function withSandbox<T>(
  fn: (sandbox: SandboxHandle) => Promise<T>,
  options: SandboxOptions = {},
): Promise<T> {
  const sandbox = await startSandbox(options);
  try {
    return await fn(sandbox);
  } finally {
    await sandbox.close();
  }
}

/**
 * One sandbox for a whole test file, reset after each test (fresh world, log, counters, rate
 * limits; fault options stay as configured). Call inside `describe` or at top level.
 */
export function useSandbox(options: SandboxOptions = {}): () => SandboxHandle {
  let sandbox: SandboxHandle | undefined;
  beforeAll(async () => {
    sandbox = await startSandbox(options);
  });
  afterEach(async () => {
    await sandbox?.reset();
  });
  afterAll(async () => {
    await sandbox?.close();
  });
  return () => {
    if (sandbox === undefined) throw new Error('the sandbox is only available inside tests');
    return sandbox;
  };
}

/** heroku-client, unmodified, pointed at the sandbox. */
export function herokuClient(sandbox: SandboxHandle, token = 'sandbox-test-token'): Heroku {
  return new Heroku({ token, host: sandbox.url });
}

export interface ApiResponse<T = unknown> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

export interface ApiRequest {
  readonly body?: unknown;
  /** Raw body text, sent as is (for malformed JSON). */
  readonly raw?: string;
  readonly headers?: Record<string, string>;
  /** `null` sends no Authorization header. */
  readonly token?: string | null;
}

/** A raw Heroku API call with the usual headers (Accept v3, Bearer token), overridable per call. */
export async function heroku<T = unknown>(
  sandbox: SandboxHandle,
  method: string,
  path: string,
  request: ApiRequest = {},
): Promise<ApiResponse<T>> {
  const token = request.token === undefined ? 'sandbox-test-token' : request.token;
  const headers: Record<string, string> = {
    Accept: HEROKU_ACCEPT,
    ...(token === null ? {} : { Authorization: `Bearer ${token}` }),
    ...(request.body === undefined && request.raw === undefined ? {} : { 'Content-Type': 'application/json' }),
    ...request.headers,
  };
  const body = request.raw ?? (request.body === undefined ? undefined : JSON.stringify(request.body));
  const res = await fetch(`${sandbox.url}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text === '' ? undefined : JSON.parse(text)) as T };
}

/** A call to the sandbox's own `/__sandbox/` routes. */
export async function admin<T = unknown>(
  sandbox: SandboxHandle,
  method: string,
  path: string,
  body?: unknown,
): Promise<ApiResponse<T>> {
  const res = await fetch(`${sandbox.url}/__sandbox${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text === '' ? undefined : JSON.parse(text)) as T };
}

/** Creates an app through the API and returns its JSON. */
export async function createApp(
  sandbox: SandboxHandle,
  name: string,
  extra: Record<string, unknown> = {},
): Promise<Record<string, unknown>> {
  const res = await heroku<Record<string, unknown>>(sandbox, 'POST', '/apps', { body: { name, ...extra } });
  if (res.status !== 201) throw new Error(`creating ${name}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Declares process types on an app (as a deploy of a Procfile would) through the admin route. */
export async function declareProcessTypes(
  sandbox: SandboxHandle,
  app: string,
  processTypes: Record<string, string>,
): Promise<void> {
  const res = await admin(sandbox, 'POST', `/apps/${app}/process-types`, { process_types: processTypes });
  if (res.status !== 201) throw new Error(`process types for ${app}: ${res.status} ${JSON.stringify(res.body)}`);
}

/**
 * A Cloudflare API call as someone in the dashboard makes it (another token than daffeinated's):
 * the `result` document, or an Error naming the request and Cloudflare's errors.
 */
export async function cloudflareAsDashboard(
  sandboxUrl: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<unknown> {
  const response = await fetch(`${sandboxUrl}/client/v4${path}`, {
    method,
    headers: { Authorization: 'Bearer dashboard-user', 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await response.json()) as { success: boolean; errors: unknown[] };
  if (!json.success) throw new Error(`${method} ${path}: ${JSON.stringify(json.errors)}`);
  return json;
}
