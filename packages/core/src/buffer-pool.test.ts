import { describe, expect, it } from 'vitest';
import { BufferPool } from './buffer-pool.js';

describe('BufferPool', () => {
  it('hands a released buffer back for the same size and allocates for others', () => {
    const pool = new BufferPool(2);
    const a = pool.acquire(100);
    pool.release(a);
    expect(pool.acquire(100)).toBe(a);
    expect(pool.acquire(100)).not.toBe(a);
    expect(pool.acquire(50).byteLength).toBe(50);
    expect(pool.counters).toMatchObject({ hits: 1, misses: 3 });
  });

  it('keeps at most maxPerSize buffers per size and never the same buffer twice', () => {
    const pool = new BufferPool(1);
    const a = pool.acquire(10);
    const b = pool.acquire(10);
    pool.release(a);
    pool.release(a);
    pool.release(b);
    expect(pool.counters).toMatchObject({ released: 1, dropped: 2 });
  });

  it('drops views into larger buffers, which could alias live data', () => {
    const pool = new BufferPool();
    const big = new Uint8Array(100);
    pool.release(big.subarray(10, 20));
    expect(pool.acquire(10)).not.toBe(big);
    expect(pool.counters.dropped).toBe(1);
  });

  it('can be disabled (the perf benchmark compares both)', () => {
    const pool = new BufferPool(4, false);
    const a = pool.acquire(8);
    pool.release(a);
    expect(pool.acquire(8)).not.toBe(a);
  });
});

describe('BufferPool of tensors', () => {
  it('pools Float32Arrays by element length', () => {
    const pool = new BufferPool<Float32Array>(2, true, (n) => new Float32Array(n));
    const a = pool.acquire(12);
    expect(a).toBeInstanceOf(Float32Array);
    expect(a.length).toBe(12);
    pool.release(a);
    expect(pool.acquire(12)).toBe(a);
    expect(pool.acquire(3)).not.toBe(a);
  });
});
