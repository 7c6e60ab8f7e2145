import { describe, expect, it } from 'vitest';
import { ActivationMemory } from './activation-memory.js';

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
