import type { LayerParams } from './layer-params.js';
import type { NcnnOp, NcnnShape } from './ncnn-op.js';

/** ONNX Slice's "to the end". */
const END = Number.MAX_SAFE_INTEGER;
type Key = 'c' | 'h' | 'w';

/** Per-image axes of a shape in ncnn order, with their ONNX axis. */
function axesOf(s: NcnnShape): { key: Key; onnx: number }[] {
  const keys: Key[] = s.dims === 3 ? ['c', 'h', 'w'] : s.dims === 2 ? ['h', 'w'] : ['w'];
  return keys.map((key, i) => ({ key, onnx: i + 1 }));
}

/** Crop's three forms: numpy slices (9/10/11), offsets with sizes or far offsets, or the size of a reference blob. */
function mode(p: LayerParams, bottoms: number): 'slice' | 'reference' | 'offsets' {
  if (p.array(9).length && p.array(10).length) return 'slice';
  const sized = [3, 4, 5, 14, 6, 7, 8, 15].some((id) => p.int(id, 0) !== 0);
  if (!sized) {
    if (bottoms !== 2) throw p.invalid('without sizes or slices a Crop needs a reference blob as second input');
    return 'reference';
  }
  return 'offsets';
}

const offsetIds: Record<Key, [number, number, number]> = { w: [0, 3, 6], h: [1, 4, 7], c: [2, 5, 8] };

/** Resolved slice per axis: start, end (exclusive, may be negative from the end, END = to the end). */
function sliceSpec(p: LayerParams, x: NcnnShape): { key: Key; onnx: number; start: number; end: number }[] {
  const axes = axesOf(x);
  if (mode(p, 1) === 'slice') {
    const starts = p.array(9);
    const ends = p.array(10);
    const given = p.array(11);
    const which = given.length ? given.map((a) => (a < 0 ? x.dims + a : a)) : axes.map((_a, i) => i);
    if (starts.length !== which.length || ends.length !== which.length) throw p.invalid('starts, ends and axes differ in length');
    return which.map((a, i) => {
      const axis = axes[a];
      if (!axis) throw p.invalid(`axis ${given[i]} does not exist in a ${x.dims}-D blob`);
      const start = starts[i] === -233 ? 0 : starts[i]!;
      const end = ends[i] === -233 || ends[i] === 0 ? END : ends[i]!;
      return { ...axis, start, end };
    });
  }
  return axes.map((axis) => {
    const [offId, outId, off2Id] = offsetIds[axis.key];
    const off = p.int(offId, 0);
    const out = p.int(outId, 0);
    const off2 = p.int(off2Id, 0);
    if (out === -233) return { ...axis, start: off, end: off2 === 0 ? END : -off2 };
    if (off2 !== 0) throw p.unsupported('a size together with an end offset on one axis');
    return { ...axis, start: off, end: off + out };
  });
}

function clampRange(size: number, start: number, end: number): number {
  const s = start < 0 ? size + start : start;
  const e = end === END ? size : end < 0 ? size + end : Math.min(size, end);
  return e - s;
}

export const crop: NcnnOp = {
  shape: (p, inputs) => {
    const x = inputs[0]!;
    let out: NcnnShape;
    if (mode(p, inputs.length) === 'reference') {
      const r = inputs[1]!;
      out = { ...x, w: r.w, h: r.h, c: x.dims === 3 && r.dims === 3 ? r.c : x.c };
      const offW = p.int(0, 0);
      const offH = p.int(1, 0);
      if (offW + out.w > x.w || offH + out.h > x.h) throw p.invalid(`reference ${out.w}x${out.h} at +${offW}+${offH} does not fit in ${x.w}x${x.h}`);
    } else {
      const sized: NcnnShape = { ...x };
      for (const a of sliceSpec(p, x)) (sized as { [k in Key]: number })[a.key] = clampRange(x[a.key], a.start, a.end);
      out = sized;
    }
    if (out.w < 1 || out.h < 1 || out.c < 1) throw p.invalid(`crops ${x.c}x${x.h}x${x.w} to nothing`);
    return [out];
  },
  emit: ({ b, p, inputs, inShapes }) => {
    const x = inShapes[0]!;
    const name = p.layer.name;
    if (mode(p, inputs.length) === 'reference') {
      const ref = inShapes[1]!;
      const withC = x.dims === 3 && ref.dims === 3;
      const starts = withC ? [p.int(2, 0), p.int(1, 0), p.int(0, 0)] : [p.int(1, 0), p.int(0, 0)];
      const first = withC ? 1 : 2;
      const refSize = b.node('Slice', [b.node('Shape', [inputs[1]!]), b.int64s(`${name}_from`, [first]), b.int64s(`${name}_to`, [4])]);
      const starts64 = b.int64s(`${name}_starts`, starts);
      const ends = b.node('Add', [refSize, starts64]);
      const axes = withC ? [1, 2, 3] : [2, 3];
      return [b.node('Slice', [inputs[0]!, starts64, ends, b.int64s(`${name}_axes`, axes)], [], name)];
    }
    const spec = sliceSpec(p, x).filter((a) => !(a.start === 0 && a.end === END));
    if (spec.length === 0) return [inputs[0]!];
    return [
      b.node(
        'Slice',
        [
          inputs[0]!,
          b.int64s(`${name}_starts`, spec.map((a) => a.start)),
          b.int64s(`${name}_ends`, spec.map((a) => a.end)),
          b.int64s(`${name}_axes`, spec.map((a) => a.onnx)),
        ],
        [],
        name,
      ),
    ];
  },
};

export const CROP_OPS: Readonly<Record<string, NcnnOp>> = { Crop: crop };
