import { attr, type OnnxGraphBuilder } from './onnx-graph-builder.js';
import type { LayerParams } from './layer-params.js';
import { shape1, shape3, type NcnnOp, type NcnnShape } from './ncnn-op.js';

const identity: NcnnOp = { shape: (_p, [x]) => [x!], emit: ({ inputs }) => [inputs[0]!] };

const split: NcnnOp = {
  shape: (p, [x]) => p.layer.tops.map(() => x!),
  emit: ({ p, inputs }) => p.layer.tops.map(() => inputs[0]!),
};

const dropout: NcnnOp = {
  shape: (_p, [x]) => [x!],
  emit: ({ b, p, inputs }) => {
    const scale = p.float(0, 1);
    return [scale === 1 ? inputs[0]! : b.node('Mul', [inputs[0]!, b.floats(`${p.layer.name}_scale`, [scale], [])], [], p.layer.name)];
  },
};

/** ncnn axis (per image, may be negative) → ONNX axis (after the batch axis). */
const onnxAxis = (axis: number, dims: number) => (axis < 0 ? dims + axis : axis) + 1;

const concat: NcnnOp = {
  shape: (p, inputs) => {
    const first = inputs[0]!;
    const axis = onnxAxis(p.int(0, 0), first.dims);
    const key = (s: NcnnShape) => (s.dims === 3 ? ['c', 'h', 'w'] : s.dims === 2 ? ['h', 'w'] : ['w'])[axis - 1] as 'c' | 'h' | 'w' | undefined;
    const k = key(first);
    if (!k) throw p.invalid(`axis ${p.int(0, 0)} does not exist in a ${first.dims}-D blob`);
    return [{ ...first, [k]: inputs.reduce((sum, s) => sum + s[k], 0) }];
  },
  emit: ({ b, p, inputs, inShapes }) => [b.node('Concat', inputs, [attr.int('axis', onnxAxis(p.int(0, 0), inShapes[0]!.dims))], p.layer.name)],
};

const pixelShuffle: NcnnOp = {
  shape: (p, [x]) => {
    const r = p.int(0, 1);
    if (x!.dims !== 3 || x!.c % (r * r) !== 0) throw p.invalid(`${x!.c} channels do not divide by ${r}x${r}`);
    return [shape3(x!.c / (r * r), x!.h * r, x!.w * r)];
  },
  emit: ({ b, p, inputs }) => {
    const mode = p.int(1, 0);
    if (mode !== 0 && mode !== 1) throw p.unsupported(`mode ${mode}`);
    // mode 0 takes channel p*r*r + i*r + j (PyTorch pixel_shuffle, ONNX CRD); mode 1 (i*r + j)*c + p (DCR).
    return [b.node('DepthToSpace', [inputs[0]!], [attr.int('blocksize', p.int(0, 1)), attr.string('mode', mode === 0 ? 'CRD' : 'DCR')], p.layer.name)];
  },
};

function interpSize(p: LayerParams, x: NcnnShape): [number, number] {
  const ow = p.int(4, 0);
  const oh = p.int(3, 0);
  if (ow !== 0 && oh !== 0) return [oh, ow];
  return [Math.trunc(x.h * p.float(1, 1)), Math.trunc(x.w * p.float(2, 1))];
}

/** `[N, C]` of `x` followed by `hw`, as an int64 `sizes` tensor for Resize. */
function sizesWith(b: OnnxGraphBuilder, x: string, hw: string): string {
  const nc = b.node('Slice', [b.node('Shape', [x]), b.int64s('nc_start', [0]), b.int64s('nc_end', [2])]);
  return b.node('Concat', [nc, hw], [attr.int('axis', 0)]);
}

const interp: NcnnOp = {
  shape: (p, inputs) => {
    const x = inputs[0]!;
    if (inputs.length !== 1 || p.int(5, 0)) throw p.unsupported('a size taken from another blob (dynamic_target_size)');
    if (x.dims !== 3) throw p.unsupported(`a ${x.dims}-D input`);
    const [h, w] = interpSize(p, x);
    if (h < 1 || w < 1) throw p.invalid(`resizes ${x.w}x${x.h} to nothing`);
    return [shape3(x.c, h, w)];
  },
  emit: ({ b, p, inputs }) => {
    const type = p.int(0, 0);
    const align = p.int(6, 0) === 1;
    const name = p.layer.name;
    const x = inputs[0]!;
    const fixed = p.int(4, 0) !== 0 && p.int(3, 0) !== 0;
    const hs = p.float(1, 1);
    const ws = p.float(2, 1);
    let attrs;
    if (type === 1) {
      // ncnn: in = min(floor(out * (1/scale)), size - 1) — ONNX asymmetric + floor.
      attrs = [attr.string('mode', 'nearest'), attr.string('coordinate_transformation_mode', 'asymmetric'), attr.string('nearest_mode', 'floor')];
    } else if (type === 2 || type === 3) {
      // ncnn derives the coordinate scale from the sizes (in/out), half-pixel, clamped at the border.
      attrs = [
        attr.string('mode', type === 2 ? 'linear' : 'cubic'),
        attr.string('coordinate_transformation_mode', align ? 'align_corners' : 'half_pixel'),
        attr.float('cubic_coeff_a', -0.75),
      ];
    } else throw p.unsupported(`resize_type ${type}`);
    if (fixed) return [b.node('Resize', [x, '', '', sizesWith(b, x, b.int64s(`${name}_hw`, [p.int(3, 0), p.int(4, 0)]))], attrs, name)];
    if (type === 1) return [b.node('Resize', [x, '', b.floats(`${name}_scales`, [1, 1, hs, ws])], attrs, name)];
    const hw = b.node('Cast', [b.node('Slice', [b.node('Shape', [x]), b.int64s('hw_start', [2]), b.int64s('hw_end', [4])])], [attr.int('to', 1)]);
    const scaled = b.node('Floor', [b.node('Mul', [hw, b.floats(`${name}_scale`, [hs, ws])])]);
    const sizes = sizesWith(b, x, b.node('Cast', [scaled], [attr.int('to', 7)]));
    return [b.node('Resize', [x, '', '', sizes], attrs, name)];
  },
};

const pooling: NcnnOp = {
  shape: (p, [x]) => {
    if (p.int(4, 0) !== 1) throw p.unsupported('pooling other than global (global_pooling=0)');
    if (x!.dims !== 3) throw p.unsupported(`a ${x!.dims}-D input`);
    return [shape1(x!.c)];
  },
  emit: ({ b, p, inputs }) => {
    const type = p.int(0, 0);
    if (type !== 0 && type !== 1) throw p.unsupported(`pooling_type ${type}`);
    return [b.node(type === 0 ? 'ReduceMax' : 'ReduceMean', [inputs[0]!], [attr.ints('axes', [2, 3]), attr.int('keepdims', 0)], p.layer.name)];
  },
};

function memoryShape(p: LayerParams): NcnnShape {
  const w = p.int(0, 0);
  const h = p.int(1, 0);
  const c = p.int(2, 0);
  if (p.int(11, 0)) throw p.unsupported('4-D MemoryData');
  if (c) return shape3(c, h, w);
  if (h) return { dims: 2, c: 1, h, w };
  return shape1(w || 1);
}

const memoryData: NcnnOp = {
  readWeights: (p, reader) => {
    const s = memoryShape(p);
    return { data: reader.load(s.c * s.h * s.w, 1, `layer ${p.layer.name} data`) };
  },
  shape: (p) => [memoryShape(p)],
  emit: ({ b, p, weights }) => {
    const s = memoryShape(p);
    const dims = s.dims === 3 ? [1, s.c, s.h, s.w] : s.dims === 2 ? [1, s.h, s.w] : [1, s.w];
    return [b.initializer(p.layer.name, dims, weights.data!.data)];
  },
};

export const LAYOUT_OPS: Readonly<Record<string, NcnnOp>> = {
  Split: split,
  Noop: identity,
  Dropout: dropout,
  Concat: concat,
  PixelShuffle: pixelShuffle,
  Interp: interp,
  Pooling: pooling,
  MemoryData: memoryData,
};

