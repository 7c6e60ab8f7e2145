// Reference outputs from TensorFlow.js itself (tfjs-layers on the pure-JS CPU backend).
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';

type LayerArgs = ConstructorParameters<typeof tfl.layers.Layer>[0] & { beta?: number };
const first = (x: tf.Tensor | tf.Tensor[]) => (Array.isArray(x) ? x[0]! : x);

/** UpscalerJS's MultiplyBeta (esrgan.js `setup`): x * beta; the published configs carry beta 0.2. */
class MultiplyBeta extends tfl.layers.Layer {
  static className = 'MultiplyBeta';
  readonly beta: number;
  constructor(args: LayerArgs) {
    super(args);
    this.beta = args.beta ?? 0.2;
  }
  override call(inputs: tf.Tensor | tf.Tensor[]) {
    return tf.mul(first(inputs), this.beta);
  }
  override getConfig() {
    return { ...super.getConfig(), beta: this.beta };
  }
}

function pixelShuffle(scale: number) {
  return class PixelShuffle extends tfl.layers.Layer {
    static className = `PixelShuffle${scale}x`;
    override computeOutputShape(s: tfl.Shape | tfl.Shape[]) {
      const shape = s as (number | null)[];
      return [shape[0]!, shape[1] && shape[1] * scale, shape[2] && shape[2] * scale, shape[3]! / (scale * scale)] as tfl.Shape;
    }
    override call(inputs: tf.Tensor | tf.Tensor[]) {
      return tf.depthToSpace(first(inputs) as tf.Tensor4D, scale, 'NHWC');
    }
  };
}

let registered = false;
function registerCustomLayers(): void {
  if (registered) return;
  registered = true;
  tf.serialization.registerClass(MultiplyBeta);
  for (const s of [2, 3, 4, 8]) tf.serialization.registerClass(pixelShuffle(s));
}

/** A tfjs `IOHandler` reading model.json and its shards from disk. */
function fileHandler(modelJson: string): tf.io.IOHandler {
  return {
    load: async () => {
      const json = JSON.parse(await readFile(modelJson, 'utf8'));
      const groups = json.weightsManifest as { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
      const shards = await Promise.all(groups.flatMap((g) => g.paths.map((p) => readFile(join(dirname(modelJson), p)))));
      const all = Buffer.concat(shards);
      return {
        modelTopology: json.modelTopology,
        format: json.format,
        weightSpecs: groups.flatMap((g) => g.weights),
        weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength),
      };
    },
  };
}

export interface TfjsReference {
  /** NHWC float input of one image → NHWC float output and its height/width. */
  predict(input: Float32Array, height: number, width: number): { data: Float32Array; height: number; width: number };
  dispose(): void;
}

export async function loadTfjsReference(modelJson: string): Promise<TfjsReference> {
  await tf.setBackend('cpu');
  registerCustomLayers();
  const model = await tfl.loadLayersModel(fileHandler(modelJson));
  return {
    predict(input, height, width) {
      return tf.tidy(() => {
        const out = model.predict(tf.tensor4d(input, [1, height, width, 3])) as tf.Tensor;
        return { data: out.dataSync() as Float32Array, height: out.shape[1]!, width: out.shape[2]! };
      });
    },
    dispose: () => model.dispose(),
  };
}
