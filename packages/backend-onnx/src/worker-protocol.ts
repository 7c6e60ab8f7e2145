import { UpframeError, isUpframeError, type ErrorCode, type SampleDepth } from '@upframe/core';
import type { ExecutionPlan } from './execution-providers.js';
import type { ModelSpec } from './model-spec.js';

/** Messages between the backend and its inference worker (see onnx-worker.ts). */
export interface RunRequest {
  readonly type: 'run';
  readonly id: number;
  readonly width: number;
  readonly height: number;
  /** Bits per sample of every image (16: little-endian samples); 8 when absent. */
  readonly depth?: SampleDepth;
  readonly images: Uint8Array[];
}

export interface SerializedError {
  readonly code?: ErrorCode;
  readonly message: string;
  readonly hint?: string;
  readonly file?: string;
}

export type WorkerReply =
  | { readonly type: 'ready'; readonly spec: ModelSpec; readonly plan: ExecutionPlan; readonly warnings: string[]; readonly pixelsInGraph: boolean }
  | { readonly type: 'failed'; readonly error: SerializedError }
  | { readonly type: 'result'; readonly id: number; readonly width: number; readonly height: number; readonly depth?: SampleDepth; readonly images: Uint8Array[] }
  | { readonly type: 'error'; readonly id: number; readonly error: SerializedError }
  | { readonly type: 'released' };

/** Errors cross the thread boundary as plain data; the typed code and hint must survive. */
export function serializeError(error: unknown): SerializedError {
  if (isUpframeError(error)) return { code: error.code, message: error.message, hint: error.hint, file: error.file };
  return { message: error instanceof Error ? error.message : String(error) };
}

export function deserializeError(e: SerializedError): UpframeError {
  return new UpframeError(e.code ?? 'INFERENCE_FAILED', e.message, { hint: e.hint, file: e.file });
}
