import Cloudflare from 'cloudflare';
import type { SandboxHandle } from '../../src/sandbox/index.js';
import type { ApiRequest, ApiResponse } from './sandbox.js';

/** The v4 envelope, loosely typed for assertions. */
export interface Envelope<T = unknown> {
  readonly success: boolean;
  readonly errors: { code: number; message: string; error_chain?: unknown[]; source?: { pointer: string } }[];
  readonly messages: unknown[];
  readonly result: T;
  readonly result_info?: Record<string, unknown>;
}

export const CF_TOKEN = 'cf-sandbox-token';

/** A raw Cloudflare API call below `/client/v4` with a Bearer token (overridable per call). */
export async function cloudflare<T = unknown>(
  sandbox: SandboxHandle,
  method: string,
  path: string,
  request: ApiRequest = {},
): Promise<ApiResponse<Envelope<T>>> {
  const token = request.token === undefined ? CF_TOKEN : request.token;
  const headers: Record<string, string> = {
    ...(token === null ? {} : { Authorization: `Bearer ${token}` }),
    ...(request.body === undefined && request.raw === undefined ? {} : { 'Content-Type': 'application/json' }),
    ...request.headers,
  };
  const body = request.raw ?? (request.body === undefined ? undefined : JSON.stringify(request.body));
  const res = await fetch(`${sandbox.url}/client/v4${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body }),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    body: (text === '' ? undefined : JSON.parse(text)) as Envelope<T>,
  };
}

/** The official SDK, unmodified, pointed at the sandbox (no retries, no credentials from the environment). */
export function cloudflareClient(sandbox: SandboxHandle, token = CF_TOKEN): Cloudflare {
  return new Cloudflare({
    baseURL: `${sandbox.url}/client/v4`,
    apiToken: token,
    apiKey: null,
    apiEmail: null,
    userServiceKey: null,
    maxRetries: 0,
  });
}

/** The id of a seeded zone. */
export function zoneId(sandbox: SandboxHandle, name: string): string {
  const zone = sandbox.state().cloudflare.zones.find((z) => z.name === name);
  if (zone === undefined) throw new Error(`zone ${name} is not seeded`);
  return zone.id;
}

/** Creates a DNS record through the API and returns its JSON (throws on failure). */
export async function createRecord(
  sandbox: SandboxHandle,
  zone: string,
  record: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const res = await cloudflare<Record<string, unknown>>(sandbox, 'POST', `/zones/${zone}/dns_records`, {
    body: record,
  });
  if (res.status !== 200)
    throw new Error(`creating ${JSON.stringify(record)}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.result;
}
