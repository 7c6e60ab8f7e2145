import { describe, expect, it } from 'vitest';
import { ActivationMemory } from './activation-memory.js';
import { BufferPool } from './buffer-pool.js';

describe('BufferPool', () => {
  it('lends a buffer to one user at a time and reuses it after release', () => {
    const pool = new BufferPool((n) => new Float32Array(n), 2);
    const a = pool.acquire(4);
    const b = pool.acquire(4);
    expect(b).not.toBe(a);
    pool.release(a);
    expect(pool.acquire(4)).toBe(a);
    expect(pool.acquire(8)).not.toBe(b);
  });

  it('keeps at most `capacity` idle buffers, dropping the oldest', () => {
    const pool = new BufferPool((n) => new Float32Array(n), 2);
    const [a, b, c] = [pool.acquire(1), pool.acquire(2), pool.acquire(3)];
    [a, b, c].forEach((x) => pool.release(x));
    expect(pool.idleCount).toBe(2);
    expect(pool.acquire(1)).not.toBe(a);
    expect(pool.acquire(3)).toBe(c);
  });
});

describe('ActivationMemory', () => {
  it('counts values alive at the same time', () => {
    const m = new ActivationMemory();
    m.step('in', 12, []);
    m.step('a', 100, ['in']); // in + a = 112, then in dies
    m.step('b', 50, ['a']); // a + b = 150, a stays for c
    m.step('c', 10, ['a', 'b']); // a + b + c = 160
    expect(m.peak(['c'])).toBe(160);
  });
});
