import { ONNX_ELEM_TYPES, writeNode, writeTensor, writeValueInfo, type OnnxNode, type OnnxTensor } from './onnx-model-encoder.js';
import { ProtoWriter } from './onnx-proto-writer.js';
import { readFields, stringField } from './onnx-proto-reader.js';

/** How a model takes and gives pixels: what the JS pixel codec does today, done by the graph. */
export interface ByteIoSpec {
  readonly inputName: string;
  readonly outputName: string;
  /** Layout of the model's own input and output. */
  readonly layout: 'nchw' | 'nhwc';
  readonly inputDtype: 'float32' | 'float16';
  readonly outputDtype: 'float32' | 'float16';
  /** Model values that pixel values 0 and 255 map to. */
  readonly inputRange: readonly [number, number];
  readonly outputRange: readonly [number, number];
}

/** The wrapped graph's input: uint8 `[N, H, W, 3]`, interleaved RGB as frames are. */
export const BYTE_INPUT = 'upframe_pixels';
/** The wrapped graph's output: uint8 `[N, OH, OW, 3]`. */
export const BYTE_OUTPUT = 'upframe_pixels_out';

/** Max, Min (multidirectional broadcast) and the double kernels the prologue and epilogue use need opset 8. */
const MIN_OPSET = 8;

// Field numbers from onnx/onnx.proto3.
const MODEL_GRAPH = 7;
const MODEL_OPSET = 8;
const GRAPH_INPUT = 11;
const GRAPH_OUTPUT = 12;

const castTo = (type: keyof typeof ONNX_ELEM_TYPES) => [{ name: 'to', type: 'int' as const, value: ONNX_ELEM_TYPES[type] }];
const perm = (p: number[]) => [{ name: 'perm', type: 'ints' as const, value: p }];
const scalar = (name: string, value: number): OnnxTensor => ({ name, dims: [], elemType: 'float64', raw: new Uint8Array(new Float64Array([value]).buffer) });

/** The default domain's opset of an encoded model, or undefined when it declares none. */
export function modelOpset(model: Uint8Array): number | undefined {
  for (const f of readFields(model)) {
    if (f.field !== MODEL_OPSET || !f.payload) continue;
    const fields = readFields(f.payload);
    const domain = stringField(f.payload, 1) ?? '';
    const version = fields.find((x) => x.field === 2)?.value;
    if ((domain === '' || domain === 'ai.onnx') && version !== undefined) return Number(version);
  }
  return undefined;
}

/**
 * Nodes that turn uint8 NHWC pixels into the model's input, computed in double the way the JS
 * pixel codec computes them (`r0 + (u × (r1 − r0)) / 255`, then rounded to the input type), so a
 * float32 input is bit-identical to the codec's.
 */
function prologue(spec: ByteIoSpec, nodes: OnnxNode[], constants: OnnxTensor[]): void {
  let value = BYTE_INPUT;
  const step = (opType: string, inputs: string[], attributes?: OnnxNode['attributes']) => {
    const out = `upframe_in_${nodes.length}`;
    nodes.push({ opType, inputs, outputs: [out], name: out, ...(attributes ? { attributes } : {}) });
    value = out;
  };
  // Reorder while the samples are still bytes: a quarter of the memory traffic of a float transpose.
  if (spec.layout === 'nchw') step('Transpose', [value], perm([0, 3, 1, 2]));
  step('Cast', [value], castTo('float64'));
  const [r0, r1] = spec.inputRange;
  if (r1 - r0 !== 255) {
    constants.push(scalar('upframe_in_span', r1 - r0), scalar('upframe_in_max', 255));
    step('Mul', [value, 'upframe_in_span']);
    step('Div', [value, 'upframe_in_max']);
  }
  if (r0 !== 0) {
    constants.push(scalar('upframe_in_offset', r0));
    step('Add', [value, 'upframe_in_offset']);
  }
  nodes.push({ opType: 'Cast', inputs: [value], outputs: [spec.inputName], name: 'upframe_in_cast', attributes: castTo(spec.inputDtype) });
}

/**
 * Nodes that turn the model's output into uint8 NHWC pixels: `(v − q0) × 255 / (q1 − q0)` in
 * double, clamped to 0..255 and rounded half up, exactly as the JS codec's `toSample`.
 */
function epilogue(spec: ByteIoSpec, nodes: OnnxNode[], constants: OnnxTensor[]): void {
  let value = spec.outputName;
  const step = (opType: string, inputs: string[], attributes?: OnnxNode['attributes'], out = `upframe_out_${nodes.length}`) => {
    nodes.push({ opType, inputs, outputs: [out], name: out, ...(attributes ? { attributes } : {}) });
    value = out;
  };
  step('Cast', [value], castTo('float64'));
  const [q0, q1] = spec.outputRange;
  if (q0 !== 0) {
    constants.push(scalar('upframe_out_offset', q0));
    step('Sub', [value, 'upframe_out_offset']);
  }
  const k = 255 / (q1 - q0);
  if (k !== 1) {
    constants.push(scalar('upframe_out_gain', k));
    step('Mul', [value, 'upframe_out_gain']);
  }
  constants.push(scalar('upframe_out_half', 0.5), scalar('upframe_out_zero', 0), scalar('upframe_out_top', 255));
  step('Add', [value, 'upframe_out_half']);
  step('Max', [value, 'upframe_out_zero']);
  step('Min', [value, 'upframe_out_top']);
  step('Floor', [value]);
  if (spec.layout === 'nchw') {
    step('Cast', [value], castTo('uint8'));
    step('Transpose', [value], perm([0, 2, 3, 1]), BYTE_OUTPUT);
  } else {
    step('Cast', [value], castTo('uint8'), BYTE_OUTPUT);
  }
}

/**
 * The same model taking and giving uint8 RGB pixels: the conversions the JS pixel codec does
 * (scale, layout, rounding, clamping) run inside the graph, on onnxruntime's threads, and a
 * quarter of the bytes cross to and from the device. The encoded model is edited on the wire: the
 * original graph's bytes are kept as they are, its image input and output are replaced by
 * {@link BYTE_INPUT} and {@link BYTE_OUTPUT}, and the new nodes go before and after its own.
 * Undefined when the model's opset is below 8 or its input or output is not `spec`'s.
 */
export function withByteIo(model: Uint8Array, spec: ByteIoSpec): Uint8Array | undefined {
  const opset = modelOpset(model);
  if (opset === undefined || opset < MIN_OPSET) return undefined;
  const top = readFields(model);
  const graph = top.find((f) => f.field === MODEL_GRAPH && f.payload);
  if (!graph?.payload) return undefined;
  const graphFields = readFields(graph.payload);
  const named = (field: number, name: string) => graphFields.find((f) => f.field === field && f.payload && stringField(f.payload, 1) === name);
  const input = named(GRAPH_INPUT, spec.inputName);
  const output = named(GRAPH_OUTPUT, spec.outputName);
  if (!input || !output) return undefined;

  const before: OnnxNode[] = [];
  const after: OnnxNode[] = [];
  const constants: OnnxTensor[] = [];
  prologue(spec, before, constants);
  epilogue(spec, after, constants);
  const g = new ProtoWriter();
  // Repeated fields keep the order they appear in: prologue nodes, the model's, then the epilogue.
  before.forEach((n) => g.message(1, (w) => writeNode(w, n)));
  for (const f of graphFields) if (f !== input && f !== output) g.raw(graph.payload.subarray(f.start, f.end));
  after.forEach((n) => g.message(1, (w) => writeNode(w, n)));
  constants.forEach((t) => g.message(5, (w) => writeTensor(w, t)));
  g.message(GRAPH_INPUT, (w) => writeValueInfo(w, { name: BYTE_INPUT, elemType: 'uint8', shape: ['N', 'H', 'W', 3] }));
  g.message(GRAPH_OUTPUT, (w) => writeValueInfo(w, { name: BYTE_OUTPUT, elemType: 'uint8', shape: ['N', 'OH', 'OW', 3] }));
  const m = new ProtoWriter();
  for (const f of top) {
    if (f === graph) m.bytes(MODEL_GRAPH, g.finish());
    else m.raw(model.subarray(f.start, f.end));
  }
  return m.finish();
}
