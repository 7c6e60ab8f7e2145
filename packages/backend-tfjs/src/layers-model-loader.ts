import * as tf from '@tensorflow/tfjs-core';
import { loadLayersModel, type LayersModel } from '@tensorflow/tfjs-layers';
import { UpframeError, isUpframeError } from '@upframe/core';
import { registerCustomLayers } from './custom-layers.js';
import { fileModelHandler } from './file-io-handler.js';

/** What one probe run tells about a loaded model. */
export interface ModelProbe {
  readonly scale: number;
  /** Working bytes per input pixel, measured with tf.profile on the probe. */
  readonly bytesPerInputPixel: number;
}

const PROBE_SIDE = 16;

/** Loads a layers model.json (custom esrgan layers included) from disk; typed errors on failure. */
export async function loadModelFile(modelJson: string): Promise<LayersModel> {
  registerCustomLayers();
  let model: LayersModel;
  try {
    model = await loadLayersModel(fileModelHandler(modelJson));
  } catch (error) {
    if (isUpframeError(error)) throw error;
    const why = (error as Error).message ?? String(error);
    const unknown = /Unknown layer: (\w+)/.exec(why);
    if (unknown) {
      throw new UpframeError('MODEL_UNSUPPORTED_LAYER', `${modelJson}: layer class ${unknown[1]} is not known to tfjs-layers or upframe`, {
        file: modelJson,
        cause: error,
        hint: 'upframe adds MultiplyBeta and PixelShuffle2x/3x/4x (esrgan-thick); other custom layers need a plugin backend.',
      });
    }
    throw new UpframeError('MODEL_INVALID', `${modelJson}: tfjs-layers cannot build the model: ${why.split('\n')[0]}`, { file: modelJson, cause: error });
  }
  const input = model.inputs[0]?.shape;
  if (model.inputs.length !== 1 || model.outputs.length !== 1 || input?.length !== 4 || input[3] !== 3) {
    model.dispose();
    throw new UpframeError('MODEL_INPUT_MISMATCH', `${modelJson}: expected one NHWC RGB input and one output, got inputs ${JSON.stringify(model.inputs.map((i) => i.shape))}`, { file: modelJson });
  }
  return model;
}

/** Runs the model once on a small blank image to learn its scale and working memory. */
export async function probeModel(model: LayersModel, file: string): Promise<ModelProbe> {
  const x = tf.zeros([1, PROBE_SIDE, PROBE_SIDE, 3]);
  let shape: number[] = [];
  let peakBytes: number;
  const before = tf.memory().numBytes;
  try {
    // tf.profile is the only place tfjs tracks a peak; its kernel list is not needed.
    ({ peakBytes } = await tf.profile(() => {
      tf.tidy(() => {
        shape = (model.predict(x) as tf.Tensor).shape;
      });
    }));
  } catch (error) {
    throw new UpframeError('MODEL_INVALID', `${file}: the model fails on a ${PROBE_SIDE}×${PROBE_SIDE} RGB image: ${((error as Error).message ?? String(error)).split('\n')[0]}`, { file, cause: error });
  } finally {
    x.dispose();
  }
  const scale = shape[1]! / PROBE_SIDE;
  if (shape.length !== 4 || !Number.isInteger(scale) || scale < 1 || shape[2] !== PROBE_SIDE * scale || shape[3] !== 3) {
    throw new UpframeError('MODEL_INPUT_MISMATCH', `${file}: a ${PROBE_SIDE}×${PROBE_SIDE}×3 input gives output ${JSON.stringify(shape)}, not an RGB image scaled by a whole factor`, { file });
  }
  return { scale, bytesPerInputPixel: Math.ceil(Math.max(0, peakBytes - before) / (PROBE_SIDE * PROBE_SIDE)) };
}
