import { appendActivation } from './keras-activations.js';
import { only, pair, type LayerContext, type Value } from './keras-layer-context.js';
import { attr } from '@upframe/model-ncnn';

/** HWIO (Keras) → OIHW (ONNX). */
function kernelToOihw(data: Float32Array, kh: number, kw: number, cin: number, cout: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < cin; i++)
        for (let o = 0; o < cout; o++) out[((o * cin + i) * kh + y) * kw + x] = data[((y * kw + x) * cin + i) * cout + o]!;
  return out;
}

function paddingAttrs(ctx: LayerContext, k: [number, number], dilation: [number, number], strides: [number, number]) {
  const padding = ctx.layer.config.padding ?? 'valid';
  if (padding === 'valid') return [attr.ints('pads', [0, 0, 0, 0])];
  if (padding !== 'same') return ctx.unsupported(`padding "${String(padding)}" (only "same" and "valid" are mapped)`);
  // TF "same" puts the odd pixel of padding at the end, like ONNX SAME_UPPER. With stride 1 the
  // padding does not depend on the input size, so write it explicitly.
  if (strides[0] !== 1 || strides[1] !== 1) return [attr.string('auto_pad', 'SAME_UPPER')];
  const total = k.map((kk, i) => (kk - 1) * dilation[i]!);
  const before = total.map((t) => Math.floor(t / 2));
  return [attr.ints('pads', [before[0]!, before[1]!, total[0]! - before[0]!, total[1]! - before[1]!])];
}

function checkChannelsLast(ctx: LayerContext): void {
  const format = ctx.layer.config.data_format ?? 'channels_last';
  if (format !== 'channels_last') ctx.unsupported(`data_format "${String(format)}" (only channels_last is mapped)`);
}

function finishConv(ctx: LayerContext, x: Value, weights: string, cout: number, groups: number, kh: number, kw: number, cinPerGroup: number): Value {
  const { b, layer } = ctx;
  const strides = pair(layer.config.strides, 1);
  const dilation = pair(layer.config.dilation_rate, 1);
  const inputs = [x.name, weights];
  if (layer.config.use_bias !== false && ctx.hasWeight('bias')) inputs.push(b.initializer(`${layer.name}_b`, [cout], ctx.weight('bias').data));
  const conv = b.node(
    'Conv',
    inputs,
    [
      attr.ints('kernel_shape', [kh, kw]),
      attr.ints('strides', strides),
      attr.ints('dilations', dilation),
      attr.int('group', groups),
      ...paddingAttrs(ctx, [kh, kw], dilation, strides),
    ],
    layer.name,
  );
  const scale = x.scale / strides[0];
  ctx.addFlops(2 * kh * kw * cinPerGroup * cout * scale * scale);
  const activation = String(layer.config.activation ?? 'linear');
  const out = appendActivation(b, conv, activation, layer.name);
  if (out === undefined) ctx.unsupported(`activation "${activation}"`);
  return { name: out, channels: cout, scale };
}

export function convertConv2D(ctx: LayerContext): Value {
  checkChannelsLast(ctx);
  const x = only(ctx);
  const kernel = ctx.weight('kernel');
  const [kh, kw, cinPerGroup, cout] = kernel.shape as [number, number, number, number];
  const groups = Number(ctx.layer.config.groups ?? 1);
  const w = ctx.b.initializer(`${ctx.layer.name}_w`, [cout, cinPerGroup, kh, kw], kernelToOihw(kernel.data, kh, kw, cinPerGroup, cout));
  return finishConv(ctx, x, w, cout, groups, kh, kw, cinPerGroup);
}

export function convertDepthwiseConv2D(ctx: LayerContext): Value {
  checkChannelsLast(ctx);
  const x = only(ctx);
  const kernel = ctx.weight('depthwise_kernel');
  const [kh, kw, cin, mult] = kernel.shape as [number, number, number, number];
  // TF orders depthwise outputs as channel * multiplier + m, which is ONNX's grouped-conv order.
  const w = ctx.b.initializer(`${ctx.layer.name}_w`, [cin * mult, 1, kh, kw], kernelToOihw(kernel.data, kh, kw, 1, cin * mult));
  return finishConv(ctx, x, w, cin * mult, cin, kh, kw, 1);
}
