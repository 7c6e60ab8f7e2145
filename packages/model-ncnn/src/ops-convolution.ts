import { attr } from './onnx-graph-builder.js';
import { emitFusedActivation } from './fused-activation.js';
import type { LayerParams } from './layer-params.js';
import type { NcnnWeightReader, NcnnWeights } from './ncnn-weight-reader.js';
import { shape3, type EmitContext, type LayerWeights, type NcnnOp, type NcnnShape } from './ncnn-op.js';

/** Kernel, stride, dilation and pads with ncnn's defaults (each falls back to its partner). */
export function convGeometry(p: LayerParams) {
  const kw = p.int(1, 0);
  const dw = p.int(2, 1);
  const sw = p.int(3, 1);
  const left = p.int(4, 0);
  const top = p.int(14, left);
  return {
    kw,
    kh: p.int(11, kw),
    dw,
    dh: p.int(12, dw),
    sw,
    sh: p.int(13, sw),
    left,
    right: p.int(15, left),
    top,
    bottom: p.int(16, top),
  };
}

/** Reads weight (flagged), bias and int8 scales in ncnn's order; `scaleCount` scales per output (or group). */
export function readConvWeights(p: LayerParams, reader: NcnnWeightReader, sizeId: number, scaleCount: number): LayerWeights {
  if (p.int(19, 0) !== 0) throw p.unsupported('dynamic_weight=1 (weights from a blob)');
  const out: Record<string, NcnnWeights> = {};
  const name = p.layer.name;
  out.weight = reader.load(p.int(sizeId, 0), 0, `layer ${name} weight`);
  if (p.int(p.layer.type === 'InnerProduct' ? 1 : 5, 0)) out.bias = reader.load(p.int(0, 0), 1, `layer ${name} bias`);
  const int8 = p.int(8, 0);
  if (int8) {
    out.int8Scales = reader.load(scaleCount, 1, `layer ${name} int8 weight scales`);
    out.bottomScale = reader.load(1, 1, `layer ${name} int8 input scale`);
    if (int8 > 100) out.topScale = reader.load(1, 1, `layer ${name} int8 output scale`);
  }
  if (out.weight.storage === 'int8' && !out.int8Scales) throw p.invalid('int8 weights without int8_scale_term (param 8) cannot be dequantised');
  return out;
}

/** Float weights; int8 ones are divided by the scale of their output channel (or group, for depthwise). */
export function floatWeights(weights: LayerWeights): Float32Array {
  const w = weights.weight!;
  if (w.storage !== 'int8') return w.data;
  const scales = weights.int8Scales!.data;
  const per = w.data.length / scales.length;
  return w.data.map((q, i) => {
    const s = scales[Math.floor(i / per)]!;
    return s === 0 ? 0 : q / s;
  });
}

function checkWeightCount(p: LayerParams, expected: number): void {
  const declared = p.int(p.layer.type === 'InnerProduct' ? 2 : 6, 0);
  if (declared !== expected) throw p.invalid(`weight_data_size is ${declared} but the input channels and kernel need ${expected}`);
}

function needs3d(p: LayerParams, s: NcnnShape): void {
  if (s.dims !== 3) throw p.unsupported(`a ${s.dims}-D input`);
}

function samePad(p: LayerParams, g: ReturnType<typeof convGeometry>): 'SAME_UPPER' | 'SAME_LOWER' | undefined {
  const pads = [g.left, g.right, g.top, g.bottom];
  if (pads.every((v) => v === -233)) return 'SAME_UPPER';
  if (pads.every((v) => v === -234)) return 'SAME_LOWER';
  if (pads.some((v) => v < 0)) throw p.unsupported(`pads ${pads.join(',')}`);
  return undefined;
}

function convolution(depthwise: boolean): NcnnOp {
  const groupsOf = (p: LayerParams) => (depthwise ? p.int(7, 1) : 1);
  return {
    readWeights: (p, reader) => readConvWeights(p, reader, 6, depthwise ? groupsOf(p) : p.int(0, 0)),
    shape: (p, [x]) => {
      needs3d(p, x!);
      const g = convGeometry(p);
      const extW = g.dw * (g.kw - 1) + 1;
      const extH = g.dh * (g.kh - 1) + 1;
      const same = samePad(p, g);
      const ow = same ? Math.ceil(x!.w / g.sw) : Math.floor((x!.w + g.left + g.right - extW) / g.sw) + 1;
      const oh = same ? Math.ceil(x!.h / g.sh) : Math.floor((x!.h + g.top + g.bottom - extH) / g.sh) + 1;
      if (ow < 1 || oh < 1) throw p.invalid(`input ${x!.w}x${x!.h} is smaller than the kernel`);
      return [shape3(p.int(0, 0), oh, ow)];
    },
    emit: ({ b, p, weights, inputs, inShapes }: EmitContext) => {
      const g = convGeometry(p);
      const groups = groupsOf(p);
      const out = p.int(0, 0);
      const inC = inShapes[0]!.c;
      if (inC % groups !== 0 || out % groups !== 0) throw p.invalid(`group ${groups} does not divide ${inC} inputs and ${out} outputs`);
      checkWeightCount(p, out * (inC / groups) * g.kh * g.kw);
      const name = p.layer.name;
      const w = b.initializer(`${name}_weight`, [out, inC / groups, g.kh, g.kw], floatWeights(weights));
      const ins = [inputs[0]!, w];
      if (weights.bias) ins.push(b.initializer(`${name}_bias`, [out], weights.bias.data));
      const same = samePad(p, g);
      const padValue = p.float(18, 0);
      const attrs = [attr.ints('kernel_shape', [g.kh, g.kw]), attr.ints('strides', [g.sh, g.sw]), attr.ints('dilations', [g.dh, g.dw]), attr.int('group', groups)];
      if (same && padValue !== 0) throw p.unsupported('"same" padding with a non-zero pad_value');
      if (same) attrs.push(attr.string('auto_pad', same));
      else if (padValue !== 0) {
        ins[0] = b.node('Pad', [ins[0]!, b.int64s(`${name}_pads`, [0, 0, g.top, g.left, 0, 0, g.bottom, g.right]), b.floats(`${name}_pad_value`, [padValue], [])], [attr.string('mode', 'constant')]);
      } else attrs.push(attr.ints('pads', [g.top, g.left, g.bottom, g.right]));
      return [emitFusedActivation(b, p, b.node('Conv', ins, attrs, `${name}_conv`))];
    },
  };
}

function deconvolution(depthwise: boolean): NcnnOp {
  const groupsOf = (p: LayerParams) => (depthwise ? p.int(7, 1) : 1);
  const outputPad = (p: LayerParams) => {
    const right = p.int(18, 0);
    return { right, bottom: p.int(19, right) };
  };
  return {
    readWeights: (p, reader) => {
      if (p.int(8, 0)) throw p.unsupported('int8 deconvolution');
      return readConvWeights(p, reader, 6, 0);
    },
    shape: (p, [x]) => {
      needs3d(p, x!);
      const g = convGeometry(p);
      if ([g.left, g.right, g.top, g.bottom].some((v) => v < 0) || p.int(20, 0) > 0 || p.int(21, 0) > 0) {
        throw p.unsupported('output_w/output_h or "same" pads');
      }
      const op = outputPad(p);
      const ow = (x!.w - 1) * g.sw + g.dw * (g.kw - 1) + 1 + op.right - g.left - g.right;
      const oh = (x!.h - 1) * g.sh + g.dh * (g.kh - 1) + 1 + op.bottom - g.top - g.bottom;
      if (ow < 1 || oh < 1) throw p.invalid(`input ${x!.w}x${x!.h} gives no output`);
      return [shape3(p.int(0, 0), oh, ow)];
    },
    emit: ({ b, p, weights, inputs, inShapes }) => {
      const g = convGeometry(p);
      const groups = groupsOf(p);
      const out = p.int(0, 0);
      const inC = inShapes[0]!.c;
      if (inC % groups !== 0 || out % groups !== 0) throw p.invalid(`group ${groups} does not divide ${inC} inputs and ${out} outputs`);
      const outPer = out / groups;
      const inPer = inC / groups;
      const k = g.kh * g.kw;
      checkWeightCount(p, out * inPer * k);
      // ncnn: [group][out/g][in/g][k]; ONNX ConvTranspose: [in][out/g][k] with in = group-major.
      const src = weights.weight!.data;
      const dst = new Float32Array(src.length);
      for (let gi = 0; gi < groups; gi++)
        for (let o = 0; o < outPer; o++)
          for (let i = 0; i < inPer; i++) {
            const from = ((gi * outPer + o) * inPer + i) * k;
            const to = ((gi * inPer + i) * outPer + o) * k;
            dst.set(src.subarray(from, from + k), to);
          }
      const name = p.layer.name;
      const ins = [inputs[0]!, b.initializer(`${name}_weight`, [inC, outPer, g.kh, g.kw], dst)];
      if (weights.bias) ins.push(b.initializer(`${name}_bias`, [out], weights.bias.data));
      const op = outputPad(p);
      const y = b.node(
        'ConvTranspose',
        ins,
        [
          attr.ints('kernel_shape', [g.kh, g.kw]),
          attr.ints('strides', [g.sh, g.sw]),
          attr.ints('dilations', [g.dh, g.dw]),
          attr.int('group', groups),
          attr.ints('pads', [g.top, g.left, g.bottom, g.right]),
          attr.ints('output_padding', [op.bottom, op.right]),
        ],
        `${name}_deconv`,
      );
      return [emitFusedActivation(b, p, y)];
    },
  };
}

const innerProduct: NcnnOp = {
  readWeights: (p, reader) => readConvWeights(p, reader, 2, p.int(0, 0)),
  shape: (p) => [{ dims: 1, c: 1, h: 1, w: p.int(0, 0) }],
  emit: ({ b, p, weights, inputs, inShapes }) => {
    const x = inShapes[0]!;
    const inCount = x.dims === 1 ? x.w : x.dims === 2 ? x.h * x.w : x.c * x.h * x.w;
    const out = p.int(0, 0);
    checkWeightCount(p, out * inCount);
    const name = p.layer.name;
    const flat = x.dims === 1 ? inputs[0]! : b.node('Flatten', [inputs[0]!], [attr.int('axis', 1)]);
    const ins = [flat, b.initializer(`${name}_weight`, [out, inCount], floatWeights(weights))];
    if (weights.bias) ins.push(b.initializer(`${name}_bias`, [out], weights.bias.data));
    return [emitFusedActivation(b, p, b.node('Gemm', ins, [attr.int('transB', 1)], `${name}_gemm`))];
  },
};

export const CONVOLUTION_OPS: Readonly<Record<string, NcnnOp>> = {
  Convolution: convolution(false),
  ConvolutionDepthWise: convolution(true),
  Deconvolution: deconvolution(false),
  DeconvolutionDepthWise: deconvolution(true),
  InnerProduct: innerProduct,
};
