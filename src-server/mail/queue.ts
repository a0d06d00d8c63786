// Work done after the answer: the account and password endpoints answer at once, the same way for
// every address, and the lookups, tokens and mails run here, one job at a time.
export class JobQueue {
  private tail: Promise<void> = Promise.resolve();
  private pending = 0;
  constructor(private readonly onError: (e: unknown) => void) {}

  /** Runs `job` after the current request's answer (and after the jobs before it). */
  enqueue(job: () => Promise<void>): void {
    this.pending++;
    this.tail = this.tail
      .then(() => new Promise<void>((r) => setImmediate(r)))
      .then(job)
      .catch(this.onError)
      .finally(() => {
        this.pending--;
      });
  }

  get size(): number {
    return this.pending;
  }

  /** Resolves when every job enqueued so far has run (tests; shutdown). */
  async idle(): Promise<void> {
    while (this.pending > 0) await this.tail;
  }
}
