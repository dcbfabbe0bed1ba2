import type { Reply, SandboxRequest } from '../http.js';
import type { StateFile } from '../persistence.js';

/** Saves the state; resolves to what went wrong instead of throwing (nothing when all is well). */
export type Persist = () => Promise<string | undefined>;

export function persistTo(stateFile: StateFile | undefined): Persist {
  return async () => {
    if (stateFile === undefined) return undefined;
    try {
      await stateFile.save();
      return undefined;
    } catch (e) {
      return `could not save sandbox state: ${(e as Error).message}`;
    }
  };
}

/** A reply that may say the state changed although the method is read-only (surface.ts). */
export type Persistable = Reply & { readonly mutated?: boolean };

const READ_ONLY = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Whether a request may have changed the state: any write, or a read that applied timed work. */
export function mutates(method: string, reply: Persistable): boolean {
  return !READ_ONLY.has(method) || reply.mutated === true;
}

/**
 * Step 4 of an API or admin request: persists after a mutating request and keeps `reply`; when
 * saving fails, answers `failed(message)` instead, so the client never believes in a change that
 * is not on disk. Read-only requests never wait for a write.
 */
export async function persistStep<R extends Persistable>(
  request: SandboxRequest,
  reply: R,
  persist: Persist,
  failed: (message: string) => R,
): Promise<R> {
  if (!mutates(request.method, reply)) return reply;
  const failure = await persist();
  return failure === undefined ? reply : failed(failure);
}
