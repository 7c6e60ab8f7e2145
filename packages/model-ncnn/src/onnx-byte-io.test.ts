import { describe, expect, it } from 'vitest';
import { BYTE_INPUT, BYTE_OUTPUT, modelOpset, withByteIo, type ByteIoSpec } from './onnx-byte-io.js';
import { OnnxGraphBuilder } from './onnx-graph-builder.js';
import { encodeModel } from './onnx-model-encoder.js';
import { readFields, stringField } from './onnx-proto-reader.js';

function tiny(opset: number): Uint8Array {
  const b = new OnnxGraphBuilder('tiny');
  const x = b.input('image', 'float32', ['N', 3, 'H', 'W']);
  const y = b.node('Mul', [x, b.floats('two', [2], [])], [], 'upscaled');
  b.output(y, 'float32', ['N', 3, 'H', 'W']);
  return encodeModel(b.build({ irVersion: 8, opset, producerName: 'test', producerVersion: '1' }));
}

const spec: ByteIoSpec = { inputName: 'image', outputName: 'upscaled', layout: 'nchw', inputDtype: 'float32', outputDtype: 'float32', inputRange: [0, 1], outputRange: [0, 1] };

/** Graph fields of an encoded model: nodes (op types in order), initializer names, input and output names. */
function graphOf(model: Uint8Array) {
  const graph = readFields(model).find((f) => f.field === 7)!.payload!;
  const fields = readFields(graph);
  const names = (field: number, key: number) => fields.filter((f) => f.field === field).map((f) => stringField(f.payload!, key));
  return { ops: names(1, 4), initializers: names(5, 8), inputs: names(11, 1), outputs: names(12, 1) };
}

describe('withByteIo', () => {
  it('puts the conversions around the model, keeping its own nodes and weights in order', () => {
    const model = tiny(17);
    expect(modelOpset(model)).toBe(17);
    const wrapped = withByteIo(model, spec)!;
    const g = graphOf(wrapped);
    expect(g.inputs).toEqual([BYTE_INPUT]);
    expect(g.outputs).toEqual([BYTE_OUTPUT]);
    // NCHW model, 0..1 range: reorder bytes, to double, ×1 ÷255, to float; the model; then back.
    expect(g.ops).toEqual(['Transpose', 'Cast', 'Mul', 'Div', 'Cast', 'Mul', 'Cast', 'Mul', 'Add', 'Max', 'Min', 'Floor', 'Cast', 'Transpose']);
    expect(g.initializers[0]).toBe('two');
    expect(modelOpset(wrapped)).toBe(17);
  });

  it('leaves out the steps a 0..255 NHWC model does not need', () => {
    const g = graphOf(withByteIo(tiny(17), { ...spec, layout: 'nhwc', inputRange: [0, 255], outputRange: [0, 255] })!);
    expect(g.ops).toEqual(['Cast', 'Cast', 'Mul', 'Cast', 'Add', 'Max', 'Min', 'Floor', 'Cast']);
  });

  it('declines what it cannot wrap: an opset below 8, or an input or output of another name', () => {
    expect(withByteIo(tiny(7), spec)).toBeUndefined();
    expect(withByteIo(tiny(17), { ...spec, inputName: 'pixels' })).toBeUndefined();
    expect(withByteIo(tiny(17), { ...spec, outputName: 'out' })).toBeUndefined();
  });

  it('throws on bytes that are not a protobuf message', () => {
    expect(() => withByteIo(new Uint8Array([0x0a, 0x40, 1, 2]), spec)).toThrow(RangeError);
    expect(() => readFields(new Uint8Array([0x80, 0x80, 0x80]))).toThrow(/varint/);
  });
});
