/**
 * Reuses input tensor buffers across `run` calls. A buffer is lent out until the run that uses
 * it resolves, so batches in flight never share one. Up to `capacity` idle buffers are kept,
 * oldest dropped first, so the few tile sizes a run alternates between (full and edge tiles) hit.
 */
export class BufferPool<T extends Float32Array | Uint16Array> {
  private readonly idle: T[] = [];

  constructor(
    private readonly create: (length: number) => T,
    private readonly capacity = 4,
  ) {}

  acquire(length: number): T {
    const index = this.idle.findIndex((b) => b.length === length);
    return index >= 0 ? this.idle.splice(index, 1)[0]! : this.create(length);
  }

  release(buffer: T): void {
    this.idle.push(buffer);
    if (this.idle.length > this.capacity) this.idle.shift();
  }

  get idleCount(): number {
    return this.idle.length;
  }
}
