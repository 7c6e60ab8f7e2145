import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame } from '@upframe/core';
import { framePsnr, reusableRecall, score } from './test-support/clip-scoring.mjs';
import { CLIP_SPECS, loadClip, type LoadedClip } from './test-support/ground-truth-clips.mjs';
import { createStrategy, decideAll, testContainer } from './test-support/run-strategy.js';
import { TIME_BASE } from './test-support/synthetic-frames.js';
import { NEAR_DEFAULTS } from './near-options.js';

// Noisy lossy animation (see ground-truth-clips.mjs): testsrc2 and a soft pan held on twos or
// threes, a fade drawn on threes, under temporal noise or film grain, x264 crf 24–28. Held
// frames differ by the noise; new drawings of the soft pan and the fade differ by little.

const NOISY = CLIP_SPECS.filter((s) => s.kind === 'noisy-animation').map((s) => s.name);
/** Held on twos/threes with full-frame or soft-pan motion: where near must find the held frames. */
const ANIMATION = NOISY.filter((n) => !n.startsWith('fade'));
/** A fade whose drawings brighten the frame by ~1 level, smeared by x264 over its held frames. */
const SLOW_FADE = NOISY.filter((n) => n.startsWith('fadeSlow'));

let dir: string;
const clips = new Map<string, LoadedClip>();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'upframe-dedupe-noisy-'));
  for (let i = 0; i < NOISY.length; i += 2) {
    const batch = await Promise.all(NOISY.slice(i, i + 2).map((n) => loadClip(CLIP_SPECS.find((s) => s.name === n)!, dir)));
    for (const clip of batch) clips.set(clip.spec.name, clip);
  }
}, 300_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(name: string, options: Record<string, unknown> = {}) {
  const clip = clips.get(name)!;
  const frames: Frame[] = clip.frames.map((data, index) => ({ index, pts: index, timeBase: TIME_BASE, width: clip.width, height: clip.height, layout: 'rgb24', data }));
  const { refs, stats } = await decideAll(createStrategy(testContainer().container, 'near', options), frames);
  return { refs, stats, clip, ...score(refs, clip.held), reusable: reusableRecall(refs, clip.held, clip.frames, NEAR_DEFAULTS.psnr) };
}

describe('near on noisy lossy animation', () => {
  it('has ten noisy clips whose noise really makes held frames differ', () => {
    expect(NOISY).toHaveLength(10);
    for (const name of NOISY) {
      const clip = clips.get(name)!;
      const held = clip.held.flatMap((h, i) => (h ? [i] : []));
      expect(held.length).toBeGreaterThanOrEqual(31);
      // Almost no held frame is bit-identical to the frame before it: exact finds next to nothing.
      expect(held.filter((i) => framePsnr(clip.frames[i], clip.frames[i - 1]) === Infinity).length).toBeLessThanOrEqual(2);
    }
  });

  it.each(NOISY.filter((n) => !SLOW_FADE.includes(n)))('%s: no false duplicate, and every reused frame within the psnr floor of its reference', async (name) => {
    const r = await run(name);
    expect(r.falseDuplicates).toBe(0);
    r.refs.forEach((ref, i) => {
      if (ref >= 0) expect(framePsnr(r.clip.frames[i], r.clip.frames[ref])).toBeGreaterThanOrEqual(NEAR_DEFAULTS.psnr);
    });
  });

  // Grain at crf 28 leaves some held frames further than the floor from their reference in their
  // own pixels (39.5–40 dB): inferring them is right, so overall recall there is ~90% (89.6% with ffmpeg 4.1).
  it.each(ANIMATION)('%s: reuses ≥ 95%% of the held frames that can be reused within the floor, and ≥ 85%% of all held frames', async (name) => {
    const r = await run(name);
    expect(r.reusable.recall).toBeGreaterThanOrEqual(0.95);
    expect(r.recall).toBeGreaterThanOrEqual(0.85);
  });

  // x264 moves part of a slow fade's steps onto its held frames, so some real steps measure
  // 0.2–0.3 level: the fixed shift (0.25) already lets 3 of them through on the noise clip, all
  // far above the psnr floor. The fade allowance must not add any.
  it.each(SLOW_FADE)('%s: the fade allowance adds no false duplicate to the fixed shift, and reuses within the floor', async (name) => {
    const r = await run(name);
    const fixed = await run(name, { shiftRatio: 0 });
    expect(r.falseDuplicates).toBeLessThanOrEqual(fixed.falseDuplicates);
    expect(r.falseDuplicates).toBeLessThanOrEqual(3);
    r.refs.forEach((ref, i) => {
      if (ref >= 0) expect(framePsnr(r.clip.frames[i], r.clip.frames[ref])).toBeGreaterThanOrEqual(NEAR_DEFAULTS.psnr);
    });
  });

  it('finds more held frames of a fade drawn on threes than the fixed shift does', async () => {
    for (const name of ['fadeThrees-crf26-noise', 'fadeThrees-crf24-grain']) {
      const adaptive = await run(name);
      const fixed = await run(name, { shiftRatio: 0 });
      expect(adaptive.found).toBeGreaterThan(fixed.found);
      expect(adaptive.falseDuplicates).toBe(0);
    }
    // Under noise the fade's held frames are found (96.4% of the reusable ones, 2 drifts past the
    // allowance inferred). Under grain the block-mean rule, lifted by only dcNoise × the median
    // block SAD, still takes grain on held frames 40–42 dB from their drawing for change (59.3%).
    expect((await run('fadeThrees-crf26-noise')).reusable.recall).toBeGreaterThanOrEqual(0.95);
    expect((await run('fadeThrees-crf24-grain')).reusable.recall).toBeGreaterThanOrEqual(0.55);
  });

  it('finds more held frames of grain than the same rules without the noise lift', async () => {
    for (const name of ['twos-crf28-grain', 'threes-crf26-grain', 'panSoftTwos-crf28-grain']) {
      const adaptive = await run(name);
      const fixed = await run(name, { hiNoise: 0, dcNoise: 0 });
      expect(adaptive.found).toBeGreaterThan(fixed.found);
      expect(adaptive.falseDuplicates).toBe(0);
    }
  });

  it('without the fidelity check (psnr=0) reuses frames further than the floor from their reference', async () => {
    // The check is what keeps noise forgiven by the block rules out of the output.
    let below = 0;
    for (const name of NOISY) {
      const r = await run(name, { psnr: 0 });
      r.refs.forEach((ref, i) => {
        if (ref >= 0 && framePsnr(r.clip.frames[i], r.clip.frames[ref]) < NEAR_DEFAULTS.psnr) below++;
      });
    }
    expect(below).toBeGreaterThan(0);
  });
});
