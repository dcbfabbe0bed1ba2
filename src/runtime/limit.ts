import PQueue from 'p-queue';

/** Runs async tasks with at most `concurrency` in flight. The only importer of p-queue. */
export interface Limiter {
  run<T>(task: () => Promise<T>): Promise<T>;
  /** Tasks queued or running. */
  readonly pending: number;
}

export function createLimiter(concurrency: number): Limiter {
  const queue = new PQueue({ concurrency });
  return {
    run: <T>(task: () => Promise<T>) => queue.add(task) as Promise<T>,
    get pending() {
      return queue.size + queue.pending;
    },
  };
}

/** Maps with bounded concurrency, preserving input order in the result. */
export async function mapLimited<T, R>(
  items: readonly T[],
  limiter: Limiter,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  return Promise.all(items.map((item, index) => limiter.run(() => fn(item, index))));
}
