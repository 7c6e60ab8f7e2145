import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { MultiplyBeta, PixelShuffle2x, PixelShuffle3x, PixelShuffle4x } from '../custom-layers.js';

/** A 1×1 convolution's weights: `kernel[i][o]` from input channel i to output channel o. */
export interface Conv1x1 {
  readonly kernel: number[][];
  readonly bias: number[];
}

/** Deterministic weights that spread values over a range wider than the output's, so clamping shows. */
export function conv1x1(outChannels: number): Conv1x1 {
  const kernel = [0, 1, 2].map((i) => Array.from({ length: outChannels }, (_, o) => Math.sin(1 + i * 7 + o * 3) * 8));
  const bias = Array.from({ length: outChannels }, (_, o) => Math.cos(o) * 0.5);
  return { kernel, bias };
}

/** Writes `model` as model.json + one .bin shard in a fresh folder (what the TF.js converter does). */
export async function saveToFolder(model: tfl.LayersModel): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'upframe-tfjs-synthetic-'));
  await model.save({
    async save(artifacts: tf.io.ModelArtifacts) {
      const parts = Array.isArray(artifacts.weightData) ? artifacts.weightData : [artifacts.weightData!];
      writeFileSync(join(dir, 'weights.bin'), Buffer.concat(parts.map((p) => Buffer.from(p))));
      const manifest = [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }];
      // Wrapped in model_config like the converter's output for the catalog's Keras models.
      const modelTopology = { keras_version: '2.10.0', backend: 'tensorflow', model_config: artifacts.modelTopology };
      writeFileSync(join(dir, 'model.json'), JSON.stringify({ format: 'layers-model', modelTopology, weightsManifest: manifest }));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    },
  });
  return join(dir, 'model.json');
}

/**
 * input → Conv2D 1×1 (3 → 3·s² channels) → MultiplyBeta → PixelShuffle{s}x: an esrgan-thick
 * upsampling tail in miniature, saved to disk. Returns the model.json path and its weights.
 */
export async function buildShuffleModel(scale: 2 | 3 | 4): Promise<{ file: string; weights: Conv1x1 }> {
  // Building initialises weights, which needs some tfjs backend; leave an active one alone.
  if (!(tf.engine() as { backendName?: string | null }).backendName) {
    await import('@tensorflow/tfjs-backend-cpu');
    await tf.setBackend('cpu');
  }
  const weights = conv1x1(3 * scale * scale);
  const input = tfl.input({ shape: [null, null, 3] as unknown as number[], name: 'LR' });
  const conv = tfl.layers.conv2d({ filters: 3 * scale * scale, kernelSize: 1, name: 'tail_conv' });
  const Shuffle = { 2: PixelShuffle2x, 3: PixelShuffle3x, 4: PixelShuffle4x }[scale];
  const output = new Shuffle({ name: 'shuffle' }).apply(new MultiplyBeta({ name: 'beta' }).apply(conv.apply(input))) as tfl.SymbolicTensor;
  const model = tfl.model({ inputs: input, outputs: output });
  conv.setWeights([tf.tensor4d(weights.kernel.flat(), [1, 1, 3, 3 * scale * scale]), tf.tensor1d(weights.bias)]);
  const file = await saveToFolder(model);
  model.dispose();
  return { file, weights };
}

/**
 * What the synthetic model computes, written out by hand: conv, times beta, then TF's
 * depth_to_space (DCR order: output (y·s+i, x·s+j, c) takes input channel (i·s + j)·C + c).
 */
export function expectedShuffle(pixels: Float32Array, width: number, height: number, scale: number, w: Conv1x1, beta: number): Float32Array {
  const out = new Float32Array(width * scale * height * scale * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const px = pixels.subarray((y * width + x) * 3, (y * width + x) * 3 + 3);
      for (let i = 0; i < scale; i++) {
        for (let j = 0; j < scale; j++) {
          for (let c = 0; c < 3; c++) {
            const o = (i * scale + j) * 3 + c;
            const v = (w.bias[o]! + px[0]! * w.kernel[0]![o]! + px[1]! * w.kernel[1]![o]! + px[2]! * w.kernel[2]![o]!) * beta;
            out[((y * scale + i) * width * scale + x * scale + j) * 3 + c] = v;
          }
        }
      }
    }
  }
  return out;
}
