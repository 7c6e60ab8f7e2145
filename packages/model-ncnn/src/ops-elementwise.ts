import { attr, type OnnxGraphBuilder } from './onnx-graph-builder.js';
import type { LayerParams } from './layer-params.js';
import type { NcnnOp, NcnnShape } from './ncnn-op.js';

const same: NcnnOp['shape'] = (_p, [x]) => [x!];

/** Initializer dims for a per-channel constant (per row for 2-D, per element for 1-D blobs). */
function perChannel(shape: NcnnShape, n: number): number[] {
  if (n === 1) return [1];
  return shape.dims === 3 ? [n, 1, 1] : shape.dims === 2 ? [n, 1] : [n];
}

const unary = (opType: string, attrs: (p: LayerParams) => ReturnType<typeof attr.float>[] = () => []): NcnnOp => ({
  shape: same,
  emit: ({ b, p, inputs }) => [b.node(opType, [inputs[0]!], attrs(p), p.layer.name)],
});

const relu: NcnnOp = {
  shape: same,
  emit: ({ b, p, inputs }) => {
    const slope = p.float(0, 0);
    return [slope === 0 ? b.node('Relu', [inputs[0]!], [], p.layer.name) : b.node('LeakyRelu', [inputs[0]!], [attr.float('alpha', slope)], p.layer.name)];
  },
};

const prelu: NcnnOp = {
  readWeights: (p, reader) => ({ slope: reader.load(p.int(0, 0), 1, `layer ${p.layer.name} slopes`) }),
  shape: same,
  emit: ({ b, p, weights, inputs, inShapes }) => {
    const slope = weights.slope!.data;
    const x = inShapes[0]!;
    const channels = x.dims === 3 ? x.c : x.dims === 2 ? x.h : x.w;
    if (slope.length !== 1 && slope.length !== channels) throw p.invalid(`${slope.length} slopes for ${channels} channels`);
    return [b.node('PRelu', [inputs[0]!, b.initializer(`${p.layer.name}_slope`, perChannel(x, slope.length), slope)], [], p.layer.name)];
  },
};

const clip: NcnnOp = {
  shape: same,
  emit: ({ b, p, inputs }) => {
    const name = p.layer.name;
    return [b.node('Clip', [inputs[0]!, b.floats(`${name}_min`, [p.float(0, -Infinity)], []), b.floats(`${name}_max`, [p.float(1, Infinity)], [])], [], name)];
  },
};

/**
 * Makes a lower-rank blob broadcast the way ncnn's BinaryOp does: a 1-D blob whose length is the
 * other's channel count runs along channels, else along width; a 2-D blob fills `[c, h]`.
 */
export function alignForBroadcast(b: OnnxGraphBuilder, value: string, s: NcnnShape, other: NcnnShape): string {
  if (s.dims >= other.dims) return value;
  let axes: number[];
  if (s.dims === 1 && other.dims === 3) axes = s.w === other.c ? [2, 3] : [1, 2];
  else if (s.dims === 1) axes = s.w === other.h ? [2] : [1];
  else axes = [3];
  return b.node('Unsqueeze', [value, b.int64s(`${value}_axes`, axes)]);
}

/** The broadcast result shape, or an error naming both shapes. */
export function broadcastShape(p: LayerParams, a: NcnnShape, c: NcnnShape): NcnnShape {
  const big = a.dims >= c.dims ? a : c;
  const small = a.dims >= c.dims ? c : a;
  if (small.dims === big.dims) {
    const dim = (x: number, y: number) => {
      if (x !== y && x !== 1 && y !== 1) throw p.invalid(`cannot broadcast [${a.c},${a.h},${a.w}] with [${c.c},${c.h},${c.w}]`);
      return Math.max(x, y);
    };
    return { dims: big.dims, c: dim(a.c, c.c), h: dim(a.h, c.h), w: dim(a.w, c.w) };
  }
  return big;
}

const BINARY_OPS: Record<number, [string, boolean]> = {
  0: ['Add', false],
  1: ['Sub', false],
  2: ['Mul', false],
  3: ['Div', false],
  4: ['Max', false],
  5: ['Min', false],
  6: ['Pow', false],
  7: ['Sub', true],
  8: ['Div', true],
  9: ['Pow', true],
};

const binaryOp: NcnnOp = {
  shape: (p, inputs) => {
    if (p.int(1, 0)) return [inputs[0]!];
    if (inputs.length !== 2) throw p.invalid('needs two inputs, or with_scalar=1');
    return [broadcastShape(p, inputs[0]!, inputs[1]!)];
  },
  emit: ({ b, p, inputs, inShapes }) => {
    const kind = p.int(0, 0);
    const op = BINARY_OPS[kind];
    if (!op) throw p.unsupported(`op_type ${kind}`);
    let lhs = inputs[0]!;
    let rhs: string;
    if (p.int(1, 0)) rhs = b.floats(`${p.layer.name}_b`, [p.float(2, 0)], []);
    else {
      lhs = alignForBroadcast(b, lhs, inShapes[0]!, inShapes[1]!);
      rhs = alignForBroadcast(b, inputs[1]!, inShapes[1]!, inShapes[0]!);
    }
    const [opType, reversed] = op;
    return [b.node(opType, reversed ? [rhs, lhs] : [lhs, rhs], [], p.layer.name)];
  },
};

const eltwise: NcnnOp = {
  shape: (p, inputs) => {
    if (inputs.length < 2) throw p.invalid('needs at least two inputs');
    const first = inputs[0]!;
    if (inputs.some((s) => s.dims !== first.dims || s.c !== first.c || s.h !== first.h || s.w !== first.w)) throw p.invalid('inputs differ in shape');
    return [first];
  },
  emit: ({ b, p, inputs }) => {
    const kind = p.int(0, 1);
    const coeffs = p.array(1);
    const name = p.layer.name;
    if (kind === 0) return [inputs.slice(1).reduce((acc, x) => b.node('Mul', [acc, x]), inputs[0]!)];
    if (kind === 2) return [b.node('Max', inputs, [], name)];
    if (kind !== 1) throw p.unsupported(`op_type ${kind}`);
    if (coeffs.length !== 0 && coeffs.length !== inputs.length) throw p.invalid(`${coeffs.length} coefficients for ${inputs.length} inputs`);
    const terms = inputs.map((x, i) => (coeffs.length === 0 || coeffs[i] === 1 ? x : b.node('Mul', [x, b.floats(`${name}_coeff${i}`, [coeffs[i]!], [])])));
    return [terms.slice(1).reduce((acc, x) => b.node('Add', [acc, x]), terms[0]!)];
  },
};

const scale: NcnnOp = {
  readWeights: (p, reader) => {
    const size = p.int(0, 0);
    if (size === -233) return {};
    const out = { scale: reader.load(size, 1, `layer ${p.layer.name} scale`) };
    return p.int(1, 0) ? { ...out, bias: reader.load(size, 1, `layer ${p.layer.name} bias`) } : out;
  },
  shape: same,
  emit: ({ b, p, weights, inputs, inShapes }) => {
    const x = inShapes[0]!;
    const name = p.layer.name;
    if (p.int(0, 0) === -233) {
      if (inputs.length !== 2) throw p.invalid('scale_data_size=-233 needs the scale as a second input');
      if (p.int(1, 0)) throw p.unsupported('bias_term with the scale from a blob');
      return [b.node('Mul', [inputs[0]!, alignForBroadcast(b, inputs[1]!, inShapes[1]!, x)], [], name)];
    }
    const s = weights.scale!.data;
    let y = b.node('Mul', [inputs[0]!, b.initializer(`${name}_scale`, perChannel(x, s.length), s)]);
    if (weights.bias) y = b.node('Add', [y, b.initializer(`${name}_bias`, perChannel(x, s.length), weights.bias.data)], [], name);
    return [y];
  },
};

const batchNorm: NcnnOp = {
  readWeights: (p, reader) => {
    const n = p.int(0, 0);
    const read = (what: string) => reader.load(n, 1, `layer ${p.layer.name} ${what}`);
    return { slope: read('slope'), mean: read('mean'), variance: read('variance'), bias: read('bias') };
  },
  shape: same,
  emit: ({ b, p, weights, inputs, inShapes }) => {
    const eps = p.float(1, 0);
    const { slope, mean, variance, bias } = weights as Record<string, { data: Float32Array }>;
    const a = slope!.data.map((s, i) => s / Math.sqrt(variance!.data[i]! + eps));
    const c = bias!.data.map((v, i) => v - a[i]! * mean!.data[i]!);
    const dims = perChannel(inShapes[0]!, a.length);
    const name = p.layer.name;
    return [b.node('Add', [b.node('Mul', [inputs[0]!, b.initializer(`${name}_a`, dims, a)]), b.initializer(`${name}_b`, dims, c)], [], name)];
  },
};

export const ELEMENTWISE_OPS: Readonly<Record<string, NcnnOp>> = {
  ReLU: relu,
  PReLU: prelu,
  Sigmoid: unary('Sigmoid'),
  TanH: unary('Tanh'),
  HardSigmoid: unary('HardSigmoid', (p) => [attr.float('alpha', p.float(0, 0.2)), attr.float('beta', p.float(1, 0.5))]),
  Clip: clip,
  BinaryOp: binaryOp,
  Eltwise: eltwise,
  Scale: scale,
  BatchNorm: batchNorm,
};
