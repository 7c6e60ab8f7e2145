import { readNcnnModel } from '../ncnn-model.js';
import { ncnnToOnnx, type NcnnConversion } from '../ncnn-to-onnx.js';
import type { Chw } from './ncnn-reference.js';
import type { NcnnModelWriter } from './ncnn-writer.js';

/** Converts the written model and runs it on onnxruntime (CPU) for one image; returns CHW output. */
export async function runConverted(model: NcnnModelWriter, input: Chw, outputBlob?: string): Promise<{ out: Chw; conversion: NcnnConversion }> {
  const conversion = ncnnToOnnx(readNcnnModel(model.param(), model.bin()), { outputBlob });
  const out = await runOnnx(conversion.onnx, input);
  return { out, conversion };
}

export async function runOnnx(onnx: Uint8Array, input: Chw): Promise<Chw> {
  const ort = await import('onnxruntime-node');
  const session = await ort.InferenceSession.create(onnx);
  try {
    const result = await session.run({ input: new ort.Tensor('float32', input.data, [1, input.c, input.h, input.w]) });
    const t = result.output!;
    const dims = t.dims.slice(1);
    const [c, h, w] = dims.length === 3 ? dims : dims.length === 2 ? [1, dims[0]!, dims[1]!] : [1, 1, dims[0]!];
    return { c: c!, h: h!, w: w!, data: t.data as Float32Array };
  } finally {
    await session.release();
  }
}

/** Largest absolute difference; throws when the shapes differ. */
export function maxDiff(a: Chw, b: Chw): number {
  if (a.c !== b.c || a.h !== b.h || a.w !== b.w) throw new Error(`shape ${a.c}x${a.h}x${a.w} vs ${b.c}x${b.h}x${b.w}`);
  let m = 0;
  for (let i = 0; i < a.data.length; i++) m = Math.max(m, Math.abs(a.data[i]! - b.data[i]!));
  return m;
}

/** Deterministic pseudo-random values in [-1, 1). */
export function noise(n: number, seed = 1): number[] {
  let s = seed >>> 0 || 1;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}
