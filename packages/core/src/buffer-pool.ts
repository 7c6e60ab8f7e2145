/**
 * Reuses large byte buffers by exact size, so steady-state frame processing allocates nothing
 * and the GC has little to do. Buffers beyond `maxPerSize` are dropped on release.
 */
export class BufferPool {
  private readonly free = new Map<number, Uint8Array[]>();
  private stats = { hits: 0, misses: 0, released: 0, dropped: 0 };

  constructor(private readonly maxPerSize = 16, private readonly enabled = true) {}

  acquire(byteLength: number): Uint8Array {
    const list = this.enabled ? this.free.get(byteLength) : undefined;
    const buf = list?.pop();
    if (buf) {
      this.stats.hits++;
      return buf;
    }
    this.stats.misses++;
    return new Uint8Array(byteLength);
  }

  /** Give a buffer back. The caller must not touch it afterwards. */
  release(buffer: Uint8Array): void {
    if (!this.enabled) return;
    // Only whole, unshared buffers can be handed out again safely.
    if (buffer.byteOffset !== 0 || buffer.byteLength !== buffer.buffer.byteLength) {
      this.stats.dropped++;
      return;
    }
    let list = this.free.get(buffer.byteLength);
    if (!list) this.free.set(buffer.byteLength, (list = []));
    if (list.length >= this.maxPerSize || list.includes(buffer)) {
      this.stats.dropped++;
      return;
    }
    list.push(buffer);
    this.stats.released++;
  }

  get counters(): Readonly<{ hits: number; misses: number; released: number; dropped: number }> {
    return { ...this.stats };
  }

  clear(): void {
    this.free.clear();
  }
}
