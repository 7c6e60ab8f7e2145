import { UpframeError } from '@upframe/core';
import type { InferenceSession } from 'onnxruntime-node';
import type { ExecutionPlan } from './execution-providers.js';

type Ort = typeof import('onnxruntime-node');

export interface CreatedSession {
  readonly session: InferenceSession;
  /** The plan that worked (the CPU fallback when CUDA failed under `auto`). */
  readonly plan: ExecutionPlan;
  readonly warnings: readonly string[];
}

/** Who gave the model; it decides the advice when onnxruntime rejects it. */
export type ModelOrigin = 'catalog' | 'user';

/**
 * A user can fix their own file; a catalog model's ONNX is upframe's conversion, which the user
 * never saw, so pointing them at "the file" would send them looking for something they do not have.
 */
export const LOAD_HINTS: Readonly<Record<ModelOrigin, string>> = {
  user: 'Check that the file is a complete ONNX model (opset 7 or newer) that onnxruntime supports.',
  catalog: 'upframe made this ONNX file itself by converting a catalog model; it is not a file you gave. Please report this with the model id and the upframe version; meanwhile --backend tfjs runs catalog models without converting them.',
};

/** onnxruntime's words for bytes that are not an ONNX model, whichever provider was asked to load them. */
const UNPARSABLE = /protobuf parsing failed/i;

const message = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0];

/** How onnxruntime's own threads behave. */
export interface SessionTuning {
  /**
   * Let idle intra-op threads spin waiting for work (onnxruntime's default). Off by default: the
   * decoder, the encoder and the pipeline's own thread share the cores, and a spinning thread takes
   * their time. Measured on 2 cores with other work running: the same CLI run used 13% less CPU
   * and took 15% less wall time with spinning off; on a quiet machine the wall time was within
   * noise (docs/benchmarks.md, "Pipeline").
   */
  readonly spinning?: boolean;
}

async function open(ort: Ort, model: string | Uint8Array, plan: ExecutionPlan, threads: number, tuning: SessionTuning): Promise<InferenceSession> {
  const spin = tuning.spinning === true ? '1' : '0';
  const options: InferenceSession.SessionOptions = {
    executionProviders: plan.providers as InferenceSession.ExecutionProviderConfig[],
    intraOpNumThreads: threads,
    // One model, one stream of batches: parallelism comes from inside each operator.
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    // On CPU the memory pattern costs memory and buys no speed: after the first run onnxruntime
    // allocates one block for the whole recorded pattern on top of what the arena already holds,
    // so batched 320-px tiles of esrgan-slim-x2 peaked at ~3.5 KB per input pixel instead of the
    // ~2 KB the planner budgets (1.59 GB vs 0.96 GB peak RSS on a 2000×1500 image, equal wall
    // time; docs/benchmarks.md, "Big images"). The arena stays: without it the same run took 4-7×
    // as long.
    enableMemPattern: plan.device !== 'cpu',
    // onnxruntime's warnings (unused initializers, EP placement) are noise at a terminal.
    logSeverityLevel: 3,
    extra: { session: { intra_op: { allow_spinning: spin }, inter_op: { allow_spinning: spin } } },
  };
  return typeof model === 'string' ? ort.InferenceSession.create(model, options) : ort.InferenceSession.create(model, options);
}

/**
 * Opens an onnxruntime session following `plan`. A GPU failure under `auto` falls back to the
 * CPU with a warning; under an explicit `cuda` it is `DEVICE_UNAVAILABLE`. A CPU failure, or
 * bytes no provider can parse, mean the model itself cannot be loaded: `MODEL_INVALID` naming
 * `label`, with advice for whoever gave the model (`origin`).
 */
export async function createSession(ort: Ort, model: string | Uint8Array, plan: ExecutionPlan, threads: number, label: string, origin: ModelOrigin, tuning: SessionTuning = {}): Promise<CreatedSession> {
  try {
    return { session: await open(ort, model, plan, threads, tuning), plan, warnings: [] };
  } catch (error) {
    // A corrupt model under --device cuda is not a CUDA problem: its CUDA hint would mislead.
    if (plan.device === 'cpu' || UNPARSABLE.test(message(error) ?? '')) {
      throw new UpframeError('MODEL_INVALID', `onnxruntime cannot load ${label}: ${message(error)}`, {
        cause: error,
        file: typeof model === 'string' ? model : undefined,
        hint: LOAD_HINTS[origin],
      });
    }
    const why = `onnxruntime could not start ${plan.device} (${message(error)})`;
    if (!plan.fallback) {
      throw new UpframeError('DEVICE_UNAVAILABLE', `device ${plan.device} is unavailable: ${why}`, {
        cause: error,
        hint: 'The CUDA provider needs CUDA 12 and cuDNN 9 libraries on the library path (LD_LIBRARY_PATH) and a working nvidia-smi; or use --device cpu.',
      });
    }
    const fallback = await createSession(ort, model, plan.fallback, threads, label, origin, tuning);
    return { ...fallback, warnings: [`CUDA skipped, running on CPU: ${why}.`, ...fallback.warnings] };
  }
}
