import { createHash } from 'node:crypto';

/**
 * Deterministic source of identifiers. Everything random the sandbox makes (UUIDs, app names,
 * URL suffixes) is drawn from SHA-256 of `seed:counter`, and the counter lives in the persisted
 * state: the same seed and the same requests give the same ids, and a restarted sandbox never
 * hands out an id it has already used.
 */
export interface RngState {
  seed: number;
  counter: number;
}

export class Ids {
  /**
   * `rng` is read on every draw because a reset replaces the whole state object. `key` (keyed())
   * separates a keyed source's draws from the shared sequence's.
   */
  constructor(
    private readonly rng: () => RngState,
    private readonly key = '',
  ) {}

  /**
   * A source whose draws depend only on the seed and `key`, not on how many ids were drawn before:
   * for names a test or a user sees, which must not change with the order in which concurrent
   * requests happen to arrive (an apply creates two apps' add-ons at once).
   */
  keyed(key: string): Ids {
    const local: RngState = { seed: this.rng().seed, counter: 0 };
    return new Ids(() => local, key);
  }

  bytes(count: number): Buffer {
    const out: Buffer[] = [];
    let have = 0;
    while (have < count) {
      const state = this.rng();
      const input = this.key === '' ? `${state.seed}:${state.counter}` : `${state.seed}:${this.key}:${state.counter}`;
      const block = createHash('sha256').update(input).digest();
      state.counter += 1;
      out.push(block);
      have += block.length;
    }
    return Buffer.concat(out).subarray(0, count);
  }

  /** A version-4-shaped UUID. */
  uuid(): string {
    const b = this.bytes(16);
    b[6] = ((b[6] as number) & 0x0f) | 0x40;
    b[8] = ((b[8] as number) & 0x3f) | 0x80;
    return formatUuid(b);
  }

  /** `length` lowercase hex characters. */
  hex(length: number): string {
    return this.bytes(Math.ceil(length / 2))
      .toString('hex')
      .slice(0, length);
  }

  /** An integer in [0, max). */
  int(max: number): number {
    return this.bytes(4).readUInt32BE(0) % max;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }
}

/** A fixed UUID derived from a name (UUIDv5 layout over SHA-1), for catalogue entries. */
export function stableUuid(namespace: string, name: string): string {
  const b = createHash('sha1').update(`daffeinated-sandbox:${namespace}:${name}`).digest().subarray(0, 16);
  b[6] = ((b[6] as number) & 0x0f) | 0x50;
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  return formatUuid(b);
}

function formatUuid(b: Buffer): string {
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Heroku-style timestamp: ISO 8601 in UTC, whole seconds (`2012-01-01T12:00:00Z`). */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
