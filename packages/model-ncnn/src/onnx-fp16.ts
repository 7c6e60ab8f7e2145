import { float32ToFloat16Bits } from './float16.js';
import { ONNX_ELEM_TYPES, type OnnxModel, type OnnxNode, type OnnxTensor } from './onnx-model-encoder.js';

// Inputs the ONNX spec types as float32 whatever the data type (Resize's roi and scales).
const FLOAT32_INPUTS: Readonly<Record<string, readonly number[]>> = { Resize: [1, 2] };
// Their outputs are sizes, not image data, even when their input is.
const SHAPE_OPS = new Set(['Shape', 'Size', 'Cast']);

function halfTensor(t: OnnxTensor, name: string): OnnxTensor {
  const src = new Float32Array(t.raw.buffer.slice(t.raw.byteOffset, t.raw.byteOffset + t.raw.byteLength));
  const bits = Uint16Array.from(src, float32ToFloat16Bits);
  return { name, dims: t.dims, elemType: 'float16', raw: new Uint8Array(bits.buffer) };
}

/**
 * The same graph computing in float16: float32 initializers on the image path become FLOAT16
 * (an ncnn fp16 weight was decoded exactly, so its half bits come back unchanged), with a Cast
 * after the input and before the output so callers still feed and read float32.
 */
export function toFloat16Graph(model: OnnxModel): OnnxModel {
  const g = model.graph;
  const input = g.inputs[0]!.name;
  const output = g.outputs[0]!.name;
  const halfInput = `${input}_fp16`;
  const halfOutput = `${output}_fp16`;
  const inits = new Map(g.initializers.map((t) => [t.name, t]));
  const data = new Set([halfInput]);
  const halves = new Map<string, OnnxTensor>();
  const kept = new Set<string>();
  const nodes: OnnxNode[] = [{ opType: 'Cast', inputs: [input], outputs: [halfInput], name: 'input_to_fp16', attributes: [{ name: 'to', type: 'int', value: ONNX_ELEM_TYPES.float16 }] }];
  for (const node of g.nodes) {
    const ins = node.inputs.map((v) => (v === input ? halfInput : v));
    const onImage = ins.some((v) => data.has(v));
    const inputs = ins.map((v, k) => {
      const t = inits.get(v);
      if (!t || t.elemType !== 'float32') return v;
      if (!onImage || FLOAT32_INPUTS[node.opType]?.includes(k)) {
        kept.add(v);
        return v;
      }
      if (!halves.has(v)) halves.set(v, halfTensor(t, `${v}_fp16`));
      return `${v}_fp16`;
    });
    const outputs = node.outputs.map((v) => (v === output ? halfOutput : v));
    if (onImage && !SHAPE_OPS.has(node.opType)) outputs.forEach((v) => data.add(v));
    nodes.push({ ...node, inputs, outputs });
  }
  nodes.push({ opType: 'Cast', inputs: [halfOutput], outputs: [output], name: 'output_to_fp32', attributes: [{ name: 'to', type: 'int', value: ONNX_ELEM_TYPES.float32 }] });
  const initializers = [...g.initializers.filter((t) => t.elemType !== 'float32' || kept.has(t.name)), ...halves.values()];
  return { ...model, docString: `${model.docString ?? ''} (float16)`.trim(), graph: { ...g, nodes, initializers } };
}

