import type { Image, SampleDepth } from '../frame.js';
import type { Lifecycle } from './lifecycle.js';

/** Devices a backend may be asked for. `cuda:N` picks a GPU by ordinal. */
export type DeviceRequest = 'auto' | 'cpu' | 'cuda' | `cuda:${number}`;

/** Precision of the graph a backend runs: `auto` is fp16 on a GPU, fp32 on the CPU. */
export const PRECISIONS = ['auto', 'fp16', 'fp32'] as const;
export type Precision = (typeof PRECISIONS)[number];

export const TENSOR_LAYOUTS = ['nchw', 'nhwc'] as const;
export type TensorLayout = (typeof TENSOR_LAYOUTS)[number];

export interface BackendCapabilities {
  /** Devices this backend can target in principle (`cpu`, `cuda`, …), whether or not present here. */
  readonly devices: readonly string[];
  /** Model formats it runs (`onnx`, `tfjs-layers`, …). */
  readonly modelFormats: readonly string[];
  /** Largest batch it will run in one call (`Infinity` for no limit). */
  readonly maxBatch: number;
  /**
   * Sample depths `run()` takes (default `[8]`). A backend that lists 16 receives 16-bit images
   * (`depth: 16`) from sources deeper than 8 bits and must return 16-bit images for them, never
   * rounded to 8 bits. A backend that does not is given 8-bit images (rounded, with a warning to
   * the user) and its 8-bit output is widened back for the sink.
   */
  readonly sampleDepths?: readonly SampleDepth[];
}

/** What the caller asks of a backend. */
export interface BackendOptions {
  /** Catalog id (`esrgan-slim-x2`) or a path to a model file. */
  readonly model: string;
  readonly device: DeviceRequest;
  /** Compute threads; defaults to the machine's cores. */
  readonly threads?: number;
  /** Directory for converted-model caches. */
  readonly cacheDir?: string;
  /** Graph precision (`--precision`); backends that have one precision ignore it. Default `auto`. */
  readonly precision?: Precision;
  /** Free-form, backend-specific settings from the CLI or config. */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/** What a backend reports once it is initialized: where it really runs and why. */
export interface BackendInitInfo {
  /** The device actually used (`cpu`, `cuda:0`). */
  readonly device: string;
  /** Runtime / execution provider in use (`onnxruntime-node cpu`, `tfjs-node`, `wasm-simd`). */
  readonly provider: string;
  /** Model id and upscale factor; a model from the user's files may add its family and each file's sha256. */
  readonly model: {
    readonly id: string;
    readonly scale: number;
    readonly family?: string;
    readonly files?: readonly { readonly path: string; readonly sha256: string }[];
  };
  /** The precision the model computes in, where the backend chose one (`--precision`). */
  readonly precision?: Exclude<Precision, 'auto'>;
  /** Model FLOPs per input pixel, where the backend knows them (`upframe bench` reports GFLOP/s from it). */
  readonly flopsPerInputPixel?: number;
  /** Things the user should know (fallbacks taken and why). */
  readonly warnings: readonly string[];
  /** Estimated working memory per input pixel for one image, in bytes; used by the batch sizer. */
  readonly bytesPerInputPixel?: number;
  /**
   * Memory the run may plan frames and activations into on this backend's device (free VRAM
   * of its GPU, say, less headroom), and where the figure came from, for the report. Only the
   * backend knows its device; without it the planner uses half of the free system RAM.
   */
  readonly memoryBudget?: { readonly bytes: number; readonly detail: string };
  /**
   * Largest batch worth running when memory allows more (GPUs keep gaining from bigger batches
   * longer than CPUs). Without it the planner uses its CPU cap. Never above `maxBatch`.
   */
  readonly batchCap?: number;
  /**
   * `false` when the model mixes the whole frame (global pooling, squeeze-excitation): tiles would
   * differ from the whole frame, so the planner never tiles it and refuses `--tile N`.
   */
  readonly tileSafe?: boolean;
}

/**
 * An inference backend: runs a super-resolution model on batches of same-sized RGB images.
 *
 * Contract:
 * - `initialize()` loads native runtimes lazily (never at import time) and throws an
 *   `UpframeError` (`BACKEND_INIT_FAILED`, `DEVICE_UNAVAILABLE`, `MODEL_*`) that says why.
 * - `run()` receives 1..maxBatch images of identical size and depth, `channels === 3`, and resolves
 *   to the same number of images, in the same order, each `scale` times larger, `channels === 3`,
 *   at the input's depth: 8-bit values rounded and clamped to 0..255, 16-bit (only for backends
 *   whose `sampleDepths` lists 16) to 0..65535. It may be called again before earlier calls resolve
 *   (several batches in flight); it must not keep references to the input buffers after resolving.
 */
export interface InferenceBackend extends Lifecycle {
  readonly name: string;
  capabilities(): BackendCapabilities;
  initialize(signal?: AbortSignal): Promise<void>;
  /** Valid after `initialize()`. */
  info(): BackendInitInfo;
  /** Upscale factor of the loaded model; valid after `initialize()`. */
  readonly scale: number;
  run(images: readonly Image[], signal?: AbortSignal): Promise<Image[]>;
}
