// Small ONNX models built with upframe's own protobuf writer, for the user-model tests.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeModel, type OnnxElemType } from '@upframe/model-ncnn';
import { attr, OnnxGraphBuilder } from '@upframe/model-ncnn';

type Shape = readonly (number | string)[];

function model(b: OnnxGraphBuilder, out: string, elemType: OnnxElemType, shape: Shape): Uint8Array {
  b.output(out, elemType, shape);
  return encodeModel(b.build({ irVersion: 8, opset: 17, producerName: 'upframe tests', producerVersion: '1' }));
}

const resize = (b: OnnxGraphBuilder, x: string, s: number) =>
  b.node('Resize', [x, '', b.floats('scales', [1, 1, s, s])], [attr.string('mode', 'nearest'), attr.string('coordinate_transformation_mode', 'asymmetric'), attr.string('nearest_mode', 'floor')]);

/** PRelu slopes of the {@link preluShuffle} model, per channel. */
export const PRELU_SLOPES = [0.5, 0.25, 0.125];

/**
 * NCHW, dynamic sizes, 2x: sub-pixel (i, j) of each output 2×2 block holds, by k = 2i + j:
 * 0 → PRelu(x − 0.5, slope[c]) + 0.5, 1 → x, 2 → 1 − x, 3 → 0.2·x.
 */
export function preluShuffle(): Uint8Array {
  const b = new OnnxGraphBuilder('prelu-shuffle');
  const x = b.input('image', 'float32', ['N', 3, 'H', 'W']);
  const half = b.floats('half', [0.5], []);
  const y = b.node('Add', [b.node('PRelu', [b.node('Sub', [x, half]), b.initializer('slope', [3, 1, 1], new Float32Array(PRELU_SLOPES))]), half]);
  const inv = b.node('Sub', [b.floats('one', [1], []), x]);
  const fifth = b.node('Mul', [x, b.floats('fifth', [0.2], [])]);
  const cat = b.node('Concat', [y, x, inv, fifth], [attr.int('axis', 1)]);
  const out = b.node('DepthToSpace', [cat], [attr.int('blocksize', 2), attr.string('mode', 'DCR')], 'upscaled');
  return model(b, out, 'float32', ['N', 3, 'OH', 'OW']);
}

/** float16 in and out, NCHW, 2x: even output columns repeat x, odd ones hold 1 − x. */
export function float16Columns(): Uint8Array {
  const b = new OnnxGraphBuilder('fp16');
  const x = b.node('Cast', [b.input('image', 'float16', ['N', 3, 'H', 'W'])], [attr.int('to', 1)]);
  const inv = b.node('Sub', [b.floats('one', [1], []), x]);
  const cat = b.node('Concat', [x, inv, x, inv], [attr.int('axis', 1)]);
  const out = b.node('Cast', [b.node('DepthToSpace', [cat], [attr.int('blocksize', 2), attr.string('mode', 'DCR')])], [attr.int('to', 10)], 'upscaled');
  return model(b, out, 'float16', ['N', 3, 'OH', 'OW']);
}

/** NHWC in and out, 3x nearest-neighbour. */
export function nhwcNearest3x(): Uint8Array {
  const b = new OnnxGraphBuilder('nhwc');
  const x = b.node('Transpose', [b.input('image', 'float32', ['N', 'H', 'W', 3])], [attr.ints('perm', [0, 3, 1, 2])]);
  const out = b.node('Transpose', [resize(b, x, 3)], [attr.ints('perm', [0, 2, 3, 1])], 'upscaled');
  return model(b, out, 'float32', ['N', 'OH', 'OW', 3]);
}

/** Static [1, 3, 8, 8] → [1, 3, 16, 16]: x · 0.5, nearest 2x. */
export function fixedHalf(): Uint8Array {
  const b = new OnnxGraphBuilder('fixed');
  const x = b.input('image', 'float32', [1, 3, 8, 8]);
  const out = resize(b, b.node('Mul', [x, b.floats('half', [0.5], [])]), 2);
  return model(b, out, 'float32', [1, 3, 16, 16]);
}

/** Every dimension symbolic, so the layout cannot be told from the shape; NCHW nearest 2x. */
export function symbolicNearest2x(): Uint8Array {
  const b = new OnnxGraphBuilder('symbolic');
  const out = resize(b, b.input('image', 'float32', ['N', 'C', 'H', 'W']), 2);
  return model(b, out, 'float32', ['N', 'C', 'OH', 'OW']);
}

/** uint8 input: not something upframe feeds. */
export function uint8Input(): Uint8Array {
  const b = new OnnxGraphBuilder('uint8');
  const out = b.node('Cast', [b.input('image', 'uint8', ['N', 3, 'H', 'W'])], [attr.int('to', 1)]);
  return model(b, out, 'float32', ['N', 3, 'H', 'W']);
}

export async function writeModel(dir: string, name: string, bytes: Uint8Array): Promise<string> {
  const file = join(dir, `${name}.onnx`);
  await writeFile(file, bytes);
  return file;
}
