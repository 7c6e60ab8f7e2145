import { describe, expect, it } from 'vitest';
import { isUpframeError, TOKENS } from '@upframe/core';
import { DEDUPE_STRATEGY_NAMES } from './register.js';
import { NearDedupe } from './near-dedupe.js';
import { NEAR_DEFAULTS } from './near-options.js';
import { createStrategy, decideAll, testContainer } from './test-support/run-strategy.js';
import { frameOf, texturedPicture } from './test-support/synthetic-frames.js';

function usageError(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    expect(isUpframeError(error, 'USAGE')).toBe(true);
    return error as Error;
  }
  throw new Error('expected a USAGE error');
}

describe('register', () => {
  it('adds near, exact and off to the dedupe registry, best first, tagged with this package', () => {
    const { container } = testContainer();
    const registry = container.resolve(TOKENS.Dedupe);
    expect(registry.names()).toEqual([...DEDUPE_STRATEGY_NAMES]);
    for (const entry of registry.list()) {
      expect(entry.origin).toBe('@upframe/dedupe');
      expect(entry.description.length).toBeGreaterThan(10);
    }
  });

  it('creates a fresh instance per call, each with its own options', () => {
    const { container } = testContainer();
    const one = createStrategy(container, 'near', { hi: 500 }) as unknown as NearDedupe;
    const two = createStrategy(container, 'near') as unknown as NearDedupe;
    expect(one).not.toBe(two);
    expect(one.name).toBe('near');
    expect(one.options.hi).toBe(500);
    expect(two.options).toEqual(NEAR_DEFAULTS);
  });

  it('accepts numbers and booleans written as strings, as they come from the command line', () => {
    const { container } = testContainer();
    const s = createStrategy(container, 'near', { frac: '0.5', maxRunFrames: '10' }) as unknown as NearDedupe;
    expect(s.options).toMatchObject({ frac: 0.5, maxRunFrames: 10 });
    expect(() => createStrategy(container, 'exact', { verify: 'true' })).not.toThrow();
  });

  it('rejects unknown options and bad values with messages listing what is allowed', () => {
    const { container } = testContainer();
    const unknown = usageError(() => createStrategy(container, 'near', { hy: 3 }));
    expect(unknown.message).toContain('unknown option "hy"; allowed: hi, lo, frac, dc, dcFrac, chroma, shift, shiftRatio, shiftMax, shiftSpan, hiNoise, dcNoise, hiMax, psnr, outputSamples, outputLiftMax, maxRunFrames, maxRunSeconds');
    expect(usageError(() => createStrategy(container, 'exact', { hash: 'sha1' })).message).toContain('must be one of xxh32, md5');
    expect(usageError(() => createStrategy(container, 'near', { hi: -1 })).message).toContain('an integer from 0 to 16320');
    expect(usageError(() => createStrategy(container, 'near', { frac: 'lots' })).message).toContain('a number from 0 to 1');
    expect(usageError(() => createStrategy(container, 'exact', { verify: 'yes' })).message).toContain('true or false');
    expect(usageError(() => createStrategy(container, 'off', { hi: 1 })).message).toContain('allowed: (none)');
  });

  it('off infers every frame and counts them', async () => {
    const { container } = testContainer();
    const pic = texturedPicture(16, 16);
    const { refs, stats } = await decideAll(createStrategy(container, 'off'), [0, 1, 2].map((i) => frameOf(pic, i)));
    expect(refs).toEqual([-1, -1, -1]);
    expect(stats).toMatchObject({ strategy: 'off', frames: 3, duplicates: 0 });
  });
});
