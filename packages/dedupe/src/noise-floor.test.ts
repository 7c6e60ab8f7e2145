import { describe, expect, it } from 'vitest';
import { NoiseFloor } from './noise-floor.js';

describe('NoiseFloor', () => {
  it('gives quantiles of the block SADs, rounded down to a bin edge', () => {
    const floor = new NoiseFloor();
    for (let k = 1; k <= 100; k++) floor.add(k * 10);
    expect(floor.quantile(0.5)).toBe(496); // the 50th SAD is 500, in the bin that starts at 496
    expect(floor.quantile(0.9)).toBe(896); // the 90th is 900
    expect(floor.quantile(1)).toBe(1000);
  });

  it('is not moved by a few large blocks (local motion), and starts over on reset', () => {
    const floor = new NoiseFloor();
    for (let k = 0; k < 95; k++) floor.add(40);
    for (let k = 0; k < 5; k++) floor.add(5000);
    expect(floor.quantile(0.9)).toBe(40);
    floor.reset();
    expect(floor.quantile(0.9)).toBe(0);
    floor.add(2 * 64 * 255);
    expect(floor.quantile(0.5)).toBe(32640);
  });
});
