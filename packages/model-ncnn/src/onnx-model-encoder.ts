import { ProtoWriter } from './onnx-proto-writer.js';

/** ONNX `TensorProto.DataType` codes for the element types upframe writes. */
export const ONNX_ELEM_TYPES = { float32: 1, uint8: 2, int8: 3, int32: 6, int64: 7, float16: 10, float64: 11 } as const;
export type OnnxElemType = keyof typeof ONNX_ELEM_TYPES;

export type OnnxAttribute =
  | { readonly name: string; readonly type: 'int'; readonly value: number }
  | { readonly name: string; readonly type: 'float'; readonly value: number }
  | { readonly name: string; readonly type: 'string'; readonly value: string }
  | { readonly name: string; readonly type: 'ints'; readonly value: readonly number[] }
  | { readonly name: string; readonly type: 'floats'; readonly value: readonly number[] };

export interface OnnxNode {
  readonly opType: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly name?: string;
  readonly attributes?: readonly OnnxAttribute[];
}

export interface OnnxTensor {
  readonly name: string;
  readonly dims: readonly number[];
  readonly elemType: OnnxElemType;
  /** Little-endian element bytes (`raw_data`). */
  readonly raw: Uint8Array;
}

/** A graph input or output; a string dimension is symbolic (`N`, `H`). */
export interface OnnxValueInfo {
  readonly name: string;
  readonly elemType: OnnxElemType;
  readonly shape: readonly (number | string)[];
}

export interface OnnxGraph {
  readonly name: string;
  readonly nodes: readonly OnnxNode[];
  readonly initializers: readonly OnnxTensor[];
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
}

export interface OnnxModel {
  readonly irVersion: number;
  readonly opset: number;
  readonly producerName: string;
  readonly producerVersion: string;
  readonly docString?: string;
  readonly graph: OnnxGraph;
}

// Field numbers from onnx/onnx.proto3.
const ATTR_TYPE = { float: 1, int: 2, string: 3, floats: 6, ints: 7 } as const;

function writeAttribute(w: ProtoWriter, a: OnnxAttribute): void {
  w.string(1, a.name);
  if (a.type === 'float') w.float(2, a.value);
  else if (a.type === 'int') w.int(3, a.value);
  else if (a.type === 'string') w.string(4, a.value);
  else if (a.type === 'floats') w.packedFloats(7, a.value);
  else w.packedInts(8, a.value);
  w.int(20, ATTR_TYPE[a.type]);
}

export function writeNode(w: ProtoWriter, n: OnnxNode): void {
  n.inputs.forEach((i) => w.string(1, i));
  n.outputs.forEach((o) => w.string(2, o));
  if (n.name) w.string(3, n.name);
  w.string(4, n.opType);
  n.attributes?.forEach((a) => w.message(5, (aw) => writeAttribute(aw, a)));
}

export function writeTensor(w: ProtoWriter, t: OnnxTensor): void {
  w.packedInts(1, t.dims);
  w.int(2, ONNX_ELEM_TYPES[t.elemType]);
  w.string(8, t.name);
  w.bytes(9, t.raw);
}

export function writeValueInfo(w: ProtoWriter, v: OnnxValueInfo): void {
  w.string(1, v.name);
  w.message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.int(1, ONNX_ELEM_TYPES[v.elemType]);
      tensor.message(2, (shape) => {
        for (const d of v.shape) shape.message(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.string(2, d)));
      });
    }),
  );
}

function writeGraph(w: ProtoWriter, g: OnnxGraph): void {
  g.nodes.forEach((n) => w.message(1, (nw) => writeNode(nw, n)));
  w.string(2, g.name);
  g.initializers.forEach((t) => w.message(5, (tw) => writeTensor(tw, t)));
  g.inputs.forEach((v) => w.message(11, (vw) => writeValueInfo(vw, v)));
  g.outputs.forEach((v) => w.message(12, (vw) => writeValueInfo(vw, v)));
}

/** Serializes an ONNX model to the bytes of a `.onnx` file. */
export function encodeModel(model: OnnxModel): Uint8Array {
  const w = new ProtoWriter();
  w.int(1, model.irVersion);
  w.string(2, model.producerName);
  w.string(3, model.producerVersion);
  if (model.docString) w.string(6, model.docString);
  w.message(7, (gw) => writeGraph(gw, model.graph));
  w.message(8, (ow) => ow.string(1, '').int(2, model.opset));
  return w.finish();
}
