import { OrderViolationError } from './errors.js';

export interface OrderedBufferOptions {
  /** How far ahead of the next index to release an item may be; producers beyond it wait. */
  readonly window: number;
  /** First index to release. */
  readonly start?: number;
}

/** What was seen when the buffer ended. */
export interface OrderedBufferSummary {
  readonly released: number;
  /** Every index in [start, expected) that never arrived, ascending. */
  readonly missing: number[];
  /** Indices that arrived but could not be released because an earlier one is missing. */
  readonly stranded: number[];
}

/**
 * Takes items tagged with a sequence index in any order and releases them strictly in order.
 * The window bounds memory: `push` of an index at or beyond `next + window` waits until the
 * consumer has caught up. A repeated or already-released index is an `OrderViolationError`.
 */
export class OrderedBuffer<T> {
  private readonly pending = new Map<number, T>();
  private readonly window: number;
  private readonly start: number;
  private next: number;
  private closed = false;
  private failure: unknown;
  private roomWaiters: { index: number; resolve: () => void; reject: (e: unknown) => void }[] = [];
  private readerWake: (() => void) | undefined;

  constructor(options: OrderedBufferOptions) {
    if (!Number.isInteger(options.window) || options.window < 1) throw new RangeError(`window must be a positive integer, got ${options.window}`);
    this.window = options.window;
    this.start = options.start ?? 0;
    this.next = this.start;
  }

  /** Index the buffer will release next. */
  get nextIndex(): number {
    return this.next;
  }

  /** Items held, waiting for an earlier index. */
  get size(): number {
    return this.pending.size;
  }

  async push(index: number, item: T): Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    if (this.closed) throw new OrderViolationError(`frame ${index} arrived after the sequence was closed`, index);
    if (!Number.isInteger(index) || index < this.start) throw new OrderViolationError(`invalid frame index ${index}`, index);
    if (index < this.next || this.pending.has(index)) throw new OrderViolationError(`frame ${index} was delivered twice`, index);
    while (index >= this.next + this.window) {
      await new Promise<void>((resolve, reject) => this.roomWaiters.push({ index, resolve, reject }));
      if (this.failure !== undefined) throw this.failure;
      if (index < this.next || this.pending.has(index)) throw new OrderViolationError(`frame ${index} was delivered twice`, index);
    }
    this.pending.set(index, item);
    this.wakeReader();
  }

  /** Yields items in index order until `close()` and every releasable item is out. */
  async *drain(): AsyncGenerator<{ index: number; item: T }> {
    for (;;) {
      if (this.failure !== undefined) throw this.failure;
      if (this.pending.has(this.next)) {
        const index = this.next;
        const item = this.pending.get(index) as T;
        this.pending.delete(index);
        this.next++;
        this.wakeProducers();
        yield { index, item };
        continue;
      }
      if (this.closed) return;
      await new Promise<void>((resolve) => (this.readerWake = resolve));
    }
  }

  /** No more pushes will come; the reader ends once it has released what it can. */
  close(): void {
    this.closed = true;
    this.wakeReader();
  }

  /** Stop everything: waiting producers and the reader throw `error`. */
  fail(error: unknown): void {
    if (this.failure !== undefined) return;
    this.failure = error;
    const waiters = this.roomWaiters;
    this.roomWaiters = [];
    for (const w of waiters) w.reject(error);
    this.wakeReader();
  }

  /** Summarise against the number of items that should have passed. */
  summary(expected: number): OrderedBufferSummary {
    const missing: number[] = [];
    for (let i = this.next; i < this.start + expected; i++) if (!this.pending.has(i)) missing.push(i);
    return { released: this.next - this.start, missing, stranded: [...this.pending.keys()].sort((a, b) => a - b) };
  }

  private wakeReader(): void {
    const wake = this.readerWake;
    this.readerWake = undefined;
    wake?.();
  }

  private wakeProducers(): void {
    const ready = this.roomWaiters.filter((w) => w.index < this.next + this.window);
    if (ready.length === 0) return;
    this.roomWaiters = this.roomWaiters.filter((w) => w.index >= this.next + this.window);
    for (const w of ready) w.resolve();
  }
}
