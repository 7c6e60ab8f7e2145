// Runs a converted graph on onnxruntime directly, to compare raw floats (before rounding).
import * as ort from 'onnxruntime-node';
import type { ConvertedModel } from '../keras-to-onnx.js';

/** NHWC float input of one image → NHWC float output. */
export async function runConverted(converted: ConvertedModel, nhwc: Float32Array, height: number, width: number): Promise<{ data: Float32Array; height: number; width: number }> {
  const session = await ort.InferenceSession.create(converted.bytes, { executionProviders: ['cpu'], graphOptimizationLevel: 'all', intraOpNumThreads: 1 });
  try {
    const plane = height * width;
    const input = converted.layout === 'nhwc' ? nhwc : new Float32Array(3 * plane);
    if (converted.layout === 'nchw') for (let i = 0; i < plane; i++) for (let c = 0; c < 3; c++) input[c * plane + i] = nhwc[i * 3 + c]!;
    const dims = converted.layout === 'nchw' ? [1, 3, height, width] : [1, height, width, 3];
    const out = (await session.run({ [converted.inputName]: new ort.Tensor('float32', input, dims) }))[converted.outputName]!;
    const data = out.data as Float32Array;
    const [oh, ow] = converted.layout === 'nchw' ? [out.dims[2]!, out.dims[3]!] : [out.dims[1]!, out.dims[2]!];
    if (converted.layout === 'nhwc') return { data, height: oh, width: ow };
    const outPlane = oh * ow;
    const hwc = new Float32Array(3 * outPlane);
    for (let i = 0; i < outPlane; i++) for (let c = 0; c < 3; c++) hwc[i * 3 + c] = data[c * outPlane + i]!;
    return { data: hwc, height: oh, width: ow };
  } finally {
    await session.release();
  }
}

export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}
