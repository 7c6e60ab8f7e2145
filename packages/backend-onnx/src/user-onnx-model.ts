import { basename } from 'node:path';
import { UpframeError, isUpframeError, type TensorLayout } from '@upframe/core';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { ioBytesPerInputPixel, type ModelSpec } from './model-spec.js';
import type { TensorDtype } from './pixel-codec.js';
import type { UserModelHints } from './user-model-hints.js';

type Ort = typeof import('onnxruntime-node');
type Dim = number | string;

/** Spatial sizes tried when a model's shapes do not give its scale; some models need multiples of 8..64. */
const PROBE_SIZES = [16, 64];

/** Without a graph to analyse, assume this much working memory per output pixel (a 64-channel float activation ×4). */
const DEFAULT_BYTES_PER_OUTPUT_PIXEL = 1024;

function mismatch(file: string, why: string, hint?: string, cause?: unknown): UpframeError {
  return new UpframeError('MODEL_INPUT_MISMATCH', `${file}: ${why}`, {
    file,
    cause,
    hint: hint ?? 'Describe the model in a sidecar <model>.json, e.g. { "layout": "nchw", "range": [0, 1], "scale": 4 }.',
  });
}

function tensorInfo(meta: InferenceSession.ValueMetadata | undefined, file: string, what: string): { dtype: TensorDtype; shape: readonly Dim[] } {
  if (!meta?.isTensor) throw mismatch(file, `${what} is not a tensor`);
  if (meta.type !== 'float32' && meta.type !== 'float16') throw mismatch(file, `${what} "${meta.name}" is ${meta.type}; upframe feeds float32 or float16`, 'Export the model with a float32 or float16 image input.');
  if (meta.shape.length !== 4) throw mismatch(file, `${what} "${meta.name}" has shape [${meta.shape.join(', ')}], not a 4-D image batch`);
  return { dtype: meta.type, shape: meta.shape };
}

/** NCHW when dim 1 is 3, NHWC when dim 3 is 3; a hint decides when both or neither are. */
function detectLayout(shape: readonly Dim[], hint: TensorLayout | undefined, file: string): TensorLayout {
  const nchw = shape[1] === 3;
  const nhwc = shape[3] === 3;
  const layout = hint ?? (nchw && !nhwc ? 'nchw' : nhwc && !nchw ? 'nhwc' : undefined);
  if (!layout) throw mismatch(file, `cannot tell NCHW from NHWC from the input shape [${shape.join(', ')}]`);
  const channels = layout === 'nchw' ? shape[1] : shape[3];
  if (typeof channels === 'number' && channels !== 3) throw mismatch(file, `input has ${channels} channels in ${layout} layout; upframe feeds RGB (3)`);
  return layout;
}

const spatial = (shape: readonly Dim[], layout: TensorLayout): [Dim, Dim] => (layout === 'nchw' ? [shape[2]!, shape[3]!] : [shape[1]!, shape[2]!]);

async function probeScale(ort: Ort, session: InferenceSession, file: string, layout: TensorLayout, dtype: TensorDtype, fixed?: { height: number; width: number }): Promise<number> {
  let lastError: unknown;
  for (const size of fixed ? [fixed.height] : PROBE_SIZES) {
    const [h, w] = fixed ? [fixed.height, fixed.width] : [size, size];
    const dims = layout === 'nchw' ? [1, 3, h, w] : [1, h, w, 3];
    const data = dtype === 'float32' ? new Float32Array(3 * h * w) : new Uint16Array(3 * h * w);
    try {
      const out: Tensor = (await session.run({ [session.inputNames[0]!]: new ort.Tensor(dtype, data, dims) }))[session.outputNames[0]!]!;
      const [oh, ow] = spatial(out.dims, layout) as [number, number];
      if (oh % h !== 0 || ow / w !== oh / h) throw mismatch(file, `a ${w}×${h} input gave a ${ow}×${oh} output, not a whole upscale factor`);
      return oh / h;
    } catch (error) {
      if (isUpframeError(error)) throw error;
      lastError = error;
    }
  }
  const why = lastError instanceof Error ? lastError.message : String(lastError);
  throw mismatch(file, `a probe run to find the upscale factor failed (${why})`, 'Give the scale in a sidecar <model>.json: { "scale": 4 }.', lastError);
}

/** Reads a user model's layout, dtypes, fixed sizes and scale from its session (probing when needed). */
export async function describeUserModel(ort: Ort, session: InferenceSession, file: string, hints: UserModelHints): Promise<ModelSpec> {
  if (session.inputNames.length !== 1 || session.outputNames.length < 1) {
    throw mismatch(file, `has ${session.inputNames.length} inputs; upframe runs models with one image input`);
  }
  const input = tensorInfo(session.inputMetadata[0], file, 'input');
  const output = tensorInfo(session.outputMetadata[0], file, 'output');
  const layout = detectLayout(input.shape, hints.layout, file);
  const outChannels = layout === 'nchw' ? output.shape[1] : output.shape[3];
  if (typeof outChannels === 'number' && outChannels !== 3) throw mismatch(file, `output has ${outChannels} channels; upframe expects RGB (3)`);
  const [ih, iw] = spatial(input.shape, layout);
  const [oh, ow] = spatial(output.shape, layout);
  const fixedSize = typeof ih === 'number' && typeof iw === 'number' ? { height: ih, width: iw } : undefined;
  const staticScale = fixedSize && typeof oh === 'number' && typeof ow === 'number' && oh % fixedSize.height === 0 ? oh / fixedSize.height : undefined;
  const scale = hints.scale ?? staticScale ?? (await probeScale(ort, session, file, layout, input.dtype, fixedSize));
  const range = hints.range ?? [0, 1];
  return {
    id: basename(file),
    scale,
    inputName: session.inputNames[0]!,
    outputName: session.outputNames[0]!,
    layout,
    inputDtype: input.dtype,
    outputDtype: output.dtype,
    inputRange: range,
    outputRange: hints.outputRange ?? range,
    fixedBatch: typeof input.shape[0] === 'number' ? input.shape[0] : undefined,
    fixedSize,
    bytesPerInputPixel: hints.bytesPerInputPixel ?? DEFAULT_BYTES_PER_OUTPUT_PIXEL * scale * scale + ioBytesPerInputPixel(scale),
  };
}
