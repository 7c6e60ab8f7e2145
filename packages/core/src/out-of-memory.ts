import { isUpframeError, UpframeError } from './errors.js';

/**
 * Allocation failures as the runtimes really word them (collected from their issue trackers).
 * A backend that recognises one rethrows it as `OUT_OF_MEMORY`; the pipeline then retries the
 * same frames at a smaller batch or tile instead of failing the run ({@link OomRecovery}).
 */
export const OUT_OF_MEMORY_PATTERNS: readonly RegExp[] = [
  // ONNX Runtime, CPU and CUDA arenas: "onnxruntime::BFCArena::AllocateRawInternal Failed to
  // allocate memory for requested buffer of size 285081600".
  /Failed to allocate memory for requested buffer/i,
  /BFCArena::AllocateRaw\w* Failed to allocate/i,
  // ONNX Runtime CUDA provider: "CUDA failure 2: out of memory ; GPU=0 ; …".
  /CUDA failure 2: out of memory/i,
  /cudaErrorMemoryAllocation/i,
  /CUDA error[^\n]*out of memory/i,
  /CUBLAS_STATUS_ALLOC_FAILED|CUDNN_STATUS_ALLOC_FAILED/,
  // C++ allocation failure surfacing through a native addon.
  /std::bad_alloc/,
  // TensorFlow (tfjs-node, tfjs-node-gpu): "Resource exhausted: OOM when allocating tensor with
  // shape[1,187,103,4] and type float on /job:localhost/replica:0/task:0/device:GPU:0".
  /OOM when allocating/,
  /Resource exhausted: OOM/,
  // TensorFlow.js WebGL / WASM and V8 itself.
  /Failed to allocate (?:memory|texture|buffer)/i,
  /Array buffer allocation failed/,
  /Cannot enlarge memory arrays/,
];

/** True when `message` is one of the runtimes' allocation failures. */
export function isOutOfMemoryMessage(message: string): boolean {
  return OUT_OF_MEMORY_PATTERNS.some((p) => p.test(message));
}

/**
 * True for a backend's allocation failure: an `OUT_OF_MEMORY` upframe error, or any error whose
 * message (or whose cause's message) matches {@link OUT_OF_MEMORY_PATTERNS}, so a plugin backend
 * that passes the runtime's error through unchanged is recognised too.
 */
export function isOutOfMemory(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
    if (isUpframeError(e, 'OUT_OF_MEMORY')) return true;
    const message = e instanceof Error ? e.message : typeof e === 'string' ? e : '';
    if (message && isOutOfMemoryMessage(message)) return true;
    e = e instanceof Error ? e.cause : undefined;
  }
  return false;
}

/**
 * What a backend throws for an allocation failure: `OUT_OF_MEMORY`, the runtime's first line kept
 * in the message and the original as `cause`.
 */
export function outOfMemoryError(what: string, cause: unknown): UpframeError {
  const why = (cause instanceof Error ? cause.message : String(cause)).split('\n')[0];
  return new UpframeError('OUT_OF_MEMORY', `${what}: out of memory (${why})`, { cause });
}
