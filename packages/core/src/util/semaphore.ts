import { cancelledError } from '../errors.js';

/** A counting semaphore whose waiters can be cancelled by an AbortSignal. */
export class Semaphore {
  private waiters: { resolve: () => void; reject: (e: unknown) => void }[] = [];

  constructor(private available: number) {
    if (!Number.isInteger(available) || available < 1) throw new RangeError(`semaphore size must be a positive integer, got ${available}`);
  }

  get free(): number {
    return this.available;
  }

  tryAcquire(): boolean {
    if (this.available > 0) {
      this.available--;
      return true;
    }
    return false;
  }

  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(cancelledError(signal.reason));
    if (this.tryAcquire()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter = {
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        reject,
      };
      const onAbort = () => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(cancelledError(signal?.reason));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  release(): void {
    const next = this.waiters.shift();
    if (next) next.resolve();
    else this.available++;
  }

  /** Reject every waiter (used when a run fails). */
  failAll(error: unknown): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.reject(error);
  }
}
