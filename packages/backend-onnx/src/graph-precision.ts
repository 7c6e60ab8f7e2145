import type { Precision } from '@upframe/core';
import type { GraphPrecision } from '@upframe/model-ncnn';
import type { ExecutionPlan } from './execution-providers.js';

export const FP16_ON_CPU_WARNING =
  '--precision fp16 runs on CUDA only: onnxruntime\'s CPU provider has no fp16 kernels for these ops (it casts each back to fp32, slower than fp32 throughout), so the model runs in fp32';

/**
 * The precision of a converted ncnn graph for `plan`: `auto` is fp16 on CUDA (ncnn's fp16 weights
 * kept as they are) and fp32 on the CPU; `fp16` asked for on the CPU runs fp32, with a warning.
 */
export function choosePrecision(requested: Precision | undefined, plan: ExecutionPlan): { precision: GraphPrecision; warning?: string } {
  if (requested === 'fp32') return { precision: 'fp32' };
  if (plan.device.startsWith('cuda')) return { precision: 'fp16' };
  return requested === 'fp16' ? { precision: 'fp32', warning: FP16_ON_CPU_WARNING } : { precision: 'fp32' };
}
