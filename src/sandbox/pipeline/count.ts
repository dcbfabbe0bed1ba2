/**
 * Step 1 of an API request: its number, from 1 — the one fault plans key on
 * (`FaultOptions.failRequests`) and the request log shows. Numbering restarts on reset and when
 * the fault options change. Admin routes, app hosts and signed files are never counted.
 */
export class RequestCounter {
  private current = 0;

  /** Numbers the next request. */
  next(): number {
    this.current += 1;
    return this.current;
  }

  /** How many requests were numbered since start or the last reset. */
  get count(): number {
    return this.current;
  }

  reset(): void {
    this.current = 0;
  }
}
