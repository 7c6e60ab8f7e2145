export type PooledArray = Uint8Array | Uint16Array | Float32Array;

/**
 * Reuses large typed arrays by exact length, so steady-state frame processing allocates
 * nothing and the GC has little to do. Arrays beyond `maxPerSize` per length are dropped on
 * release. Byte frames by default; pass `create` for tensors (`n => new Float32Array(n)`).
 */
export class BufferPool<T extends PooledArray = Uint8Array> {
  private readonly free = new Map<number, T[]>();
  private stats = { hits: 0, misses: 0, released: 0, dropped: 0 };

  constructor(
    private readonly maxPerSize = 16,
    private readonly enabled = true,
    private readonly create: (length: number) => T = (length) => new Uint8Array(length) as T,
  ) {}

  acquire(length: number): T {
    const list = this.enabled ? this.free.get(length) : undefined;
    const buf = list?.pop();
    if (buf) {
      this.stats.hits++;
      return buf;
    }
    this.stats.misses++;
    return this.create(length);
  }

  /** Give an array back. The caller must not touch it afterwards. */
  release(buffer: T): void {
    if (!this.enabled) return;
    // Only whole, unshared buffers can be handed out again safely.
    if (buffer.byteOffset !== 0 || buffer.byteLength !== buffer.buffer.byteLength) {
      this.stats.dropped++;
      return;
    }
    let list = this.free.get(buffer.length);
    if (!list) this.free.set(buffer.length, (list = []));
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
