import { describe, expect, it } from 'vitest';
import { ProtoWriter } from './onnx-proto-writer.js';
import { encodeModel } from './onnx-model-encoder.js';
import { OnnxGraphBuilder, attr } from './onnx-graph-builder.js';

const bytes = (w: ProtoWriter) => Array.from(w.finish());

describe('ProtoWriter', () => {
  it('writes varints, including 64-bit negatives as ten bytes', () => {
    expect(bytes(new ProtoWriter().varint(1))).toEqual([1]);
    expect(bytes(new ProtoWriter().varint(300))).toEqual([0xac, 0x02]);
    expect(bytes(new ProtoWriter().varint(2 ** 35))).toEqual([0x80, 0x80, 0x80, 0x80, 0x80, 0x01]);
    expect(bytes(new ProtoWriter().varint(-1))).toEqual([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
  });

  it('tags fields with their wire type', () => {
    expect(bytes(new ProtoWriter().int(3, 150))).toEqual([0x18, 0x96, 0x01]);
    expect(bytes(new ProtoWriter().string(2, 'hi'))).toEqual([0x12, 2, 0x68, 0x69]);
    expect(bytes(new ProtoWriter().float(2, 1))).toEqual([0x15, 0, 0, 0x80, 0x3f]);
    expect(bytes(new ProtoWriter().packedInts(8, [1, -1]))).toEqual([0x42, 11, 1, ...Array(9).fill(0xff), 1]);
    expect(bytes(new ProtoWriter().message(7, (w) => w.int(1, 5)))).toEqual([0x3a, 2, 0x08, 5]);
  });

  it('grows past its first buffer', () => {
    const big = new Uint8Array(10_000).fill(7);
    const out = new ProtoWriter().bytes(9, big).finish();
    expect(out.length).toBe(10_000 + 3);
    expect(out[out.length - 1]).toBe(7);
  });
});

describe('ONNX encoding', () => {
  it('produces a model onnxruntime loads and runs', async () => {
    const b = new OnnxGraphBuilder('tiny');
    const x = b.input('x', 'float32', ['N', 2]);
    const y = b.node('LeakyRelu', [b.node('Add', [x, b.floats('bias', [1, -5])])], [attr.float('alpha', 0.5)], 'y');
    b.output(y, 'float32', ['N', 2]);
    const ort = await import('onnxruntime-node');
    const session = await ort.InferenceSession.create(encodeModel(b.build({ irVersion: 8, opset: 17, producerName: 't', producerVersion: '1' })));
    const out = await session.run({ x: new ort.Tensor('float32', Float32Array.from([1, 1, 2, 2]), [2, 2]) });
    expect(Array.from(out.y!.data as Float32Array)).toEqual([2, -2, 3, -1.5]);
    await session.release();
  });
});
