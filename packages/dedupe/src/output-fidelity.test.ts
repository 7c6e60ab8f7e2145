import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DedupeContext, Image } from '@upframe/core';
import { createStrategy, contextFor, decideAll, testContainer } from './test-support/run-strategy.js';
import { addNoise, frameOf, texturedPicture } from './test-support/synthetic-frames.js';

const base = texturedPicture(64, 48, 1);
const near = (options: Record<string, unknown> = {}) => createStrategy(testContainer().container, 'near', options);

/**
 * A stand-in model: 2× nearest-neighbour of a 3×3 box blur (`smooth`: grain comes out weaker, as
 * with a denoising upscaler) or of an unsharp mask (`sharpen`: grain comes out stronger).
 */
function model(kind: 'smooth' | 'sharpen') {
  const calls: number[][] = [];
  const infer = async (images: readonly Image[], indices: readonly number[]): Promise<Image[]> => {
    calls.push([...indices]);
    return images.map((img) => {
      const { width: w, height: h, data } = img;
      const out = new Uint8Array(w * h * 12);
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          for (let c = 0; c < 3; c++) {
            let sum = 0;
            for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) sum += data[(Math.min(h - 1, Math.max(0, y + dy)) * w + Math.min(w - 1, Math.max(0, x + dx))) * 3 + c];
            const v = kind === 'smooth' ? sum / 9 : 2 * data[(y * w + x) * 3 + c] - sum / 9;
            const q = Math.max(0, Math.min(255, Math.round(v)));
            for (let k = 0; k < 4; k++) out[((2 * y + (k >> 1)) * 2 * w + 2 * x + (k & 1)) * 3 + c] = q;
          }
        }
      }
      return { width: 2 * w, height: 2 * h, channels: 3, depth: 8, data: out };
    });
  };
  return { infer, calls, images: () => calls.reduce((n, c) => n + c.length, 0) };
}

const withModel = (m: ReturnType<typeof model>, name = 'stand-in', extra: Parameters<typeof contextFor>[1] = {}): DedupeContext => ({ ...contextFor(base, extra), infer: m.infer, model: name });

// Uniform ±5 noise on RGB, a new draw per frame: ~38.9 dB from the clean frame, just under the
// 40 dB floor, while every block rule lets it through (grain on a held drawing).
const grainy = (n: number) => [frameOf(base, 0), ...Array.from({ length: n }, (_, i) => frameOf(addNoise(base, 5, 100 + i), i + 1))];

describe('near: frames just under the fidelity floor, judged by the run\'s model', () => {
  it('a model that smooths grain: the samples are reused because their outputs are within the floor, then the learned lift decides alone', async () => {
    const m = model('smooth');
    const { refs, stats } = await decideAll(near(), grainy(6), withModel(m));
    expect(refs).toEqual([-1, 0, 0, 0, 0, 0, 0]);
    // Three samples: the reference and the first candidate together, then one candidate each (the reference's output is kept).
    expect(m.calls).toEqual([[0, 1], [2], [3]]);
    expect(stats.outputCheck).toEqual({ samples: 3, liftDb: 3, reused: 3 });
    expect(stats.reasons?.fidelity).toBe(0);
  });

  it('a model that sharpens grain: nothing under the floor is reused, and the model is asked no more than the samples', async () => {
    const m = model('sharpen');
    const { refs, stats } = await decideAll(near(), grainy(6), withModel(m));
    expect(refs).toEqual([-1, -1, -1, -1, -1, -1, -1]);
    expect(m.images()).toBeLessThanOrEqual(2 * 3);
    // Each refused frame becomes the reference, and two grainy frames are further apart than the
    // window (~36 dB): only the first candidate is close enough to be asked about.
    expect(stats.outputCheck?.samples).toBe(1);
    expect(stats.outputCheck?.liftDb).toBeLessThan(0);
    expect(stats.reasons?.fidelity).toBe(6);
  });

  it('frames further under the floor than outputLiftMax are inferred without asking the model', async () => {
    const m = model('smooth');
    // ±8: ~34 dB, more than 3 dB under the floor.
    const frames = [frameOf(base, 0), frameOf(addNoise(base, 8, 11), 1)];
    const { refs, stats } = await decideAll(near(), frames, withModel(m));
    expect(refs).toEqual([-1, -1]);
    expect(m.calls).toEqual([]);
    expect(stats.outputCheck).toEqual({ samples: 0, liftDb: null, reused: 0 });
    // A wider window lets the model judge it.
    expect((await decideAll(near({ outputLiftMax: 8 }), frames, withModel(model('smooth')))).refs).toEqual([-1, 0]);
  });

  it('without a model (or with outputSamples=0) the floor decides alone, as before', async () => {
    const alone = await decideAll(near(), grainy(3), contextFor(base));
    expect(alone.refs).toEqual([-1, -1, -1, -1]);
    expect(alone.stats.outputCheck).toBeUndefined();
    const m = model('smooth');
    const off = await decideAll(near({ outputSamples: 0 }), grainy(3), withModel(m));
    expect(off.refs).toEqual([-1, -1, -1, -1]);
    expect(m.calls).toEqual([]);
  });

  it('decisions are the same on every run, and cached decisions are kept per model', async () => {
    const first = await decideAll(near(), grainy(8), withModel(model('smooth')));
    const second = await decideAll(near(), grainy(8), withModel(model('smooth')));
    expect(second.refs).toEqual(first.refs);
    const cacheDir = mkdtempSync(join(tmpdir(), 'upframe-near-model-'));
    try {
      const cache = { cacheDir, identity: '/clips/test.mkv|123456|1700000000000', frameCount: 5 };
      await decideAll(near(), grainy(4), withModel(model('smooth'), 'model A', cache));
      const again = await decideAll(near(), grainy(4), withModel(model('smooth'), 'model A', cache));
      expect(again.stats.cache).toBe('loaded');
      const other = model('sharpen');
      const otherModel = await decideAll(near(), grainy(4), withModel(other, 'model B', cache));
      expect(otherModel.stats.cache).not.toBe('loaded');
      expect(otherModel.refs).toEqual([-1, -1, -1, -1, -1]);
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });
});
