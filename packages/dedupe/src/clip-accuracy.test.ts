import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame } from '@upframe/core';
import { reusableRecall, score } from './test-support/clip-scoring.mjs';
import { NEAR_DEFAULTS } from './near-options.js';
import { clipSpec, loadClip, type LoadedClip } from './test-support/ground-truth-clips.mjs';
import { createStrategy, decideAll, testContainer } from './test-support/run-strategy.js';
import { TIME_BASE } from './test-support/synthetic-frames.js';

// Ground-truth clips made with ffmpeg (lavfi → libx264 → decoded rgb24 through a pipe). Which
// frames are held is known from construction; see test-support/ground-truth-clips.mjs.

const LOSSY_ANIMATION = ['twos-crf18', 'twos-crf23', 'twos-crf28', 'threes-crf23', 'threes-crf28', 'sprite-crf23', 'sprite-crf28'];
const MOTION = ['pan-crf23', 'panHalf-crf23', 'panSoft-crf23', 'fade-crf23'];
const NAMES = ['twos-lossless', 'threes-lossless', ...LOSSY_ANIMATION, ...MOTION, 'still-crf23-noise', 'cuts-crf23'];

let dir: string;
const clips = new Map<string, LoadedClip>();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'upframe-dedupe-clips-'));
  // Two at a time: the machine may have only two cores and ffmpeg is the bottleneck.
  for (let i = 0; i < NAMES.length; i += 2) {
    const batch = await Promise.all(NAMES.slice(i, i + 2).map((n) => loadClip(clipSpec(n), dir)));
    for (const clip of batch) clips.set(clip.spec.name, clip);
  }
}, 300_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function framesOf(clip: LoadedClip): Frame[] {
  return clip.frames.map((data, index) => ({ index, pts: index, timeBase: TIME_BASE, width: clip.width, height: clip.height, layout: 'rgb24', data }));
}

async function run(strategy: string, name: string, options: Record<string, unknown> = {}) {
  const clip = clips.get(name)!;
  const { refs, stats } = await decideAll(createStrategy(testContainer().container, strategy, options), framesOf(clip));
  return { ...score(refs, clip.held), stats, reusable: reusableRecall(refs, clip.held, clip.frames, NEAR_DEFAULTS.psnr) };
}

describe('ground truth', () => {
  it('holds every second frame on twos and two of three on threes, as constructed', () => {
    expect(clips.get('twos-crf23')!.held).toEqual(Array.from({ length: 96 }, (_, i) => i % 2 === 1));
    expect(clips.get('threes-crf23')!.held).toEqual(Array.from({ length: 96 }, (_, i) => i % 3 !== 0));
    expect(clips.get('pan-crf23')!.held.some(Boolean)).toBe(false);
    expect(clips.get('still-crf23-noise')!.held.filter(Boolean).length).toBe(95);
  });
});

describe('near on lossy animation', () => {
  // A held frame further than the psnr floor from its reference is inferred by the fidelity check
  // (twos-crf28 frame 81: 39.7 dB of x264 error), so recall is required over the reusable ones.
  it.each(LOSSY_ANIMATION)('%s: finds ≥95%% of reusable held frames (≥93%% of all) with ≤1%% false duplicates', async (name) => {
    const r = await run('near', name);
    expect(r.reusable.recall).toBeGreaterThanOrEqual(0.95);
    expect(r.recall).toBeGreaterThanOrEqual(0.93);
    expect(r.falseRate).toBeLessThanOrEqual(0.01);
  });
});

describe('near on motion that must never freeze', () => {
  it.each(MOTION)('%s: at most 1%% false duplicates', async (name) => {
    const r = await run('near', name);
    expect(r.moving).toBe(95);
    expect(r.falseRate).toBeLessThanOrEqual(0.01);
  });
});

describe('near on static and cut content', () => {
  it('reuses a static noisy shot, inferring where its noise passes the psnr floor and at least once a second', async () => {
    const r = await run('near', 'still-crf23-noise');
    expect(r.reusable.recall).toBeGreaterThanOrEqual(0.95);
    expect(r.recall).toBeGreaterThanOrEqual(0.9);
    expect(r.stats.reasons?.fidelity).toBeGreaterThanOrEqual(1);
    // Each inferred frame restarts the run, so the one-second cap now forces fewer than the 3 it did alone.
    expect(r.stats.forced).toBeLessThanOrEqual(3);
    expect(r.stats.forced + (r.stats.reasons?.fidelity ?? 0)).toBe(r.held - r.found);
  });

  it('infers every cut, including one that only changes colour, and reuses the shots between', async () => {
    const r = await run('near', 'cuts-crf23');
    expect(r.falseDuplicates).toBe(0);
    expect(r.recall).toBeGreaterThanOrEqual(0.95);
    expect(r.stats.reasons?.chroma).toBeGreaterThanOrEqual(1);
  });
});

describe('exact', () => {
  it('finds every held frame of lossless clips', async () => {
    for (const name of ['twos-lossless', 'threes-lossless']) {
      const r = await run('exact', name);
      expect(r.recall).toBe(1);
      expect(r.falseDuplicates).toBe(0);
    }
  });

  it('finds few held frames once the clip is lossy, and never a false one', async () => {
    for (const name of LOSSY_ANIMATION) {
      const r = await run('exact', name);
      expect(r.recall).toBeLessThanOrEqual(0.15);
      expect(r.falseDuplicates).toBe(0);
    }
  });
});
