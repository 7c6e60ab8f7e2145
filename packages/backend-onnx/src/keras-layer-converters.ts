import { appendActivation } from './keras-activations.js';
import { convertConv2D, convertDepthwiseConv2D } from './keras-conv-layers.js';
import { only, pair, type LayerContext, type LayerConverter } from './keras-layer-context.js';
import { attr } from '@upframe/model-ncnn';

/** NHWC axis (Keras, rank 4) → NCHW axis (ONNX). */
function nchwAxis(ctx: LayerContext, axis: unknown): number {
  const a = typeof axis === 'number' ? (axis < 0 ? axis + 4 : axis) : 3;
  const mapped = [0, 2, 3, 1][a];
  return mapped ?? ctx.unsupported(`axis ${String(axis)}`);
}

/** Keras merge layers; `variadic` is the ONNX op for more than two inputs, if there is one. */
function merge(binary: string, variadic?: string): LayerConverter {
  return (ctx) => {
    const n = ctx.inputs.length;
    if (n < 2 || (n > 2 && !variadic)) ctx.unsupported(`${n} inputs`);
    // Two-input Add stays "Add" so onnxruntime can fuse it into the preceding Conv.
    const name = ctx.b.node(n === 2 ? binary : variadic!, ctx.inputs.map((v) => v.name), [], ctx.layer.name);
    return { name, channels: Math.max(...ctx.inputs.map((v) => v.channels)), scale: ctx.inputs[0]!.scale };
  };
}

const identity: LayerConverter = (ctx) => only(ctx);

const activation: LayerConverter = (ctx) => {
  const x = only(ctx);
  const name = String(ctx.layer.config.activation ?? 'linear');
  const out = appendActivation(ctx.b, x.name, name, ctx.layer.name);
  return out === undefined ? ctx.unsupported(`activation "${name}"`) : { ...x, name: out };
};

const leakyRelu: LayerConverter = (ctx) => {
  const x = only(ctx);
  // Keras 2 / tfjs call the slope `alpha` (default 0.3); Keras 3 calls it `negative_slope`.
  const alpha = Number(ctx.layer.config.alpha ?? ctx.layer.config.negative_slope ?? 0.3);
  return { ...x, name: ctx.b.node('LeakyRelu', [x.name], [attr.float('alpha', alpha)], ctx.layer.name) };
};

const elu: LayerConverter = (ctx) => {
  const x = only(ctx);
  return { ...x, name: ctx.b.node('Elu', [x.name], [attr.float('alpha', Number(ctx.layer.config.alpha ?? 1))], ctx.layer.name) };
};

const relu: LayerConverter = (ctx) => {
  const x = only(ctx);
  const { max_value: max, negative_slope: slope, threshold } = ctx.layer.config;
  if ((slope ?? 0) !== 0 || (threshold ?? 0) !== 0) ctx.unsupported('ReLU with negative_slope or threshold');
  if (max === null || max === undefined) return { ...x, name: ctx.b.node('Relu', [x.name], [], ctx.layer.name) };
  const bounds = [ctx.b.floats(`${ctx.layer.name}_min`, [0], []), ctx.b.floats(`${ctx.layer.name}_max`, [Number(max)], [])];
  return { ...x, name: ctx.b.node('Clip', [x.name, ...bounds], [], ctx.layer.name) };
};

const prelu: LayerConverter = (ctx) => {
  const x = only(ctx);
  const alpha = ctx.weight('alpha');
  // Per-channel slopes ([1, 1, C] with shared_axes [1, 2]) become a [C, 1, 1] NCHW slope.
  if (alpha.data.length !== x.channels) ctx.unsupported('PReLU without shared_axes [1, 2] (per-pixel slopes)');
  const slope = ctx.b.initializer(`${ctx.layer.name}_slope`, [x.channels, 1, 1], alpha.data);
  return { ...x, name: ctx.b.node('PRelu', [x.name, slope], [], ctx.layer.name) };
};

const concatenate: LayerConverter = (ctx) => {
  const axis = nchwAxis(ctx, ctx.layer.config.axis ?? -1);
  if (axis !== 1) ctx.unsupported(`concatenation along a spatial axis`);
  const name = ctx.b.node('Concat', ctx.inputs.map((v) => v.name), [attr.int('axis', axis)], ctx.layer.name);
  return { name, channels: ctx.inputs.reduce((n, v) => n + v.channels, 0), scale: ctx.inputs[0]!.scale };
};

const upSampling2D: LayerConverter = (ctx) => {
  const x = only(ctx);
  const [sh, sw] = pair(ctx.layer.config.size, 2);
  const interpolation = ctx.layer.config.interpolation ?? 'nearest';
  if (sh !== sw) ctx.unsupported(`non-square size [${sh}, ${sw}]`);
  if (interpolation !== 'nearest' && interpolation !== 'bilinear') ctx.unsupported(`interpolation "${String(interpolation)}"`);
  if ((ctx.layer.config.data_format ?? 'channels_last') !== 'channels_last') ctx.unsupported('data_format channels_first');
  // tfjs resizes with alignCorners = false and halfPixelCenters = false: ONNX "asymmetric", nearest rounding down.
  const scales = ctx.b.floats(`${ctx.layer.name}_scales`, [1, 1, sh, sw]);
  const attrs = [
    attr.string('mode', interpolation === 'nearest' ? 'nearest' : 'linear'),
    attr.string('coordinate_transformation_mode', 'asymmetric'),
    attr.string('nearest_mode', 'floor'),
  ];
  return { name: ctx.b.node('Resize', [x.name, '', scales], attrs, ctx.layer.name), channels: x.channels, scale: x.scale * sh };
};

/** UpscalerJS `PixelShuffleNx`: tf.depthToSpace(x, N, 'NHWC'), which is ONNX DepthToSpace in DCR mode. */
function pixelShuffle(block: number): LayerConverter {
  return (ctx) => {
    const x = only(ctx);
    if (x.channels % (block * block) !== 0) ctx.unsupported(`${x.channels} channels are not a multiple of ${block * block}`);
    const attrs = [attr.int('blocksize', block), attr.string('mode', 'DCR')];
    return { name: ctx.b.node('DepthToSpace', [x.name], attrs, ctx.layer.name), channels: x.channels / (block * block), scale: x.scale * block };
  };
}

/** UpscalerJS `MultiplyBeta`: x * beta; beta is in the layer config (0.2 in every published model, also the source's constant). */
const multiplyBeta: LayerConverter = (ctx) => {
  const x = only(ctx);
  const beta = Number(ctx.layer.config.beta ?? 0.2);
  return { ...x, name: ctx.b.node('Mul', [x.name, ctx.b.floats(`${ctx.layer.name}_beta`, [beta], [])], [], ctx.layer.name) };
};

const CONVERTERS: Readonly<Record<string, LayerConverter>> = {
  Conv2D: convertConv2D,
  DepthwiseConv2D: convertDepthwiseConv2D,
  Activation: activation,
  ReLU: relu,
  LeakyReLU: leakyRelu,
  ELU: elu,
  PReLU: prelu,
  Concatenate: concatenate,
  Add: merge('Add', 'Sum'),
  Multiply: merge('Mul'),
  Maximum: merge('Max', 'Max'),
  Minimum: merge('Min', 'Min'),
  Average: merge('Mean', 'Mean'),
  UpSampling2D: upSampling2D,
  MultiplyBeta: multiplyBeta,
  Dropout: identity,
  AlphaDropout: identity,
  GaussianNoise: identity,
  GaussianDropout: identity,
};

/** Keras classes the converter maps, for messages. */
export const SUPPORTED_LAYER_CLASSES = [...Object.keys(CONVERTERS), 'InputLayer', 'PixelShuffle<N>x'];

export function converterFor(className: string): LayerConverter | undefined {
  const shuffle = /^PixelShuffle(\d+)x$/.exec(className);
  if (shuffle) return pixelShuffle(Number(shuffle[1]));
  return CONVERTERS[className];
}
