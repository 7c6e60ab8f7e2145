import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import {
  TOKENS,
  UpframeError,
  cancelledError,
  isOutOfMemoryMessage,
  nvidiaDriverPresent,
  type BackendCapabilities,
  type BackendInitInfo,
  type BackendOptions,
  type Image,
  type InferenceBackend,
  type Logger,
} from '@upframe/core';
import { inject, injectable } from 'tsyringe';
import { MAX_BATCH, TFJS_CAPABILITIES } from './capabilities.js';
import { GPU_BATCH_CAP, probeFirstGpuBudget } from './gpu-memory.js';
import { isInstalled } from './gpu-precheck.js';
import { loadModelFile, probeModel } from './layers-model-loader.js';
import { resolveModelSource, type ModelSource } from './model-source.js';
import { checkBatch, inputTable, packBatch, toByteScale, unpackBatch } from './pixel-tensor.js';
import { defaultRuntimeCandidates } from './runtime-candidates.js';
import { selectRuntime, type LoadedRuntime, type RuntimeCandidate } from './runtime-selection.js';


interface Loaded {
  readonly model: LayersModel;
  readonly source: ModelSource;
  readonly runtime: LoadedRuntime;
  readonly table: Float32Array;
  readonly scale: number;
  readonly info: BackendInitInfo;
}

/**
 * Runs the catalog's TF.js layers models (or a user model.json) on the best TensorFlow.js
 * runtime that loads here. `extra.runtime` pins one runtime (`tfjs-node-gpu`, `tfjs-node`,
 * `wasm`, `cpu`); `extra.inputRange`/`outputRange` give a user model's value ranges.
 */
@injectable()
export class TfjsBackend implements InferenceBackend {
  readonly name = 'tfjs';
  private loaded?: Loaded;
  private loading?: Promise<Loaded>;

  constructor(
    @inject(TOKENS.BackendOptions) private readonly options: BackendOptions,
    @inject(TOKENS.Logger) private readonly logger: Logger,
  ) {}

  capabilities(): BackendCapabilities {
    return TFJS_CAPABILITIES;
  }

  get scale(): number {
    return this.ready().scale;
  }

  info(): BackendInitInfo {
    return this.ready().info;
  }

  /** The loaded tfjs model, for measurements against calling it directly. */
  get model(): LayersModel {
    return this.ready().model;
  }

  async initialize(signal?: AbortSignal): Promise<void> {
    if (this.loaded) return;
    this.loading ??= this.load(signal).finally(() => (this.loading = undefined));
    this.loaded = await this.loading;
  }

  private candidates(): RuntimeCandidate[] {
    const all = defaultRuntimeCandidates();
    const pinned = this.options.extra?.runtime;
    if (pinned === undefined) return all;
    const match = all.filter((c) => c.id === pinned);
    if (match.length === 0) {
      throw new UpframeError('USAGE', `tfjs backend option runtime must be one of ${all.map((c) => c.id).join(', ')}, got ${JSON.stringify(pinned)}`);
    }
    return match;
  }

  private async load(signal?: AbortSignal): Promise<Loaded> {
    const { model: modelOption, device } = this.options;
    const source = resolveModelSource(modelOption, this.options.extra);
    const ordinal = /^cuda:(\d+)$/.exec(device)?.[1];
    if (ordinal !== undefined && ordinal !== '0') {
      throw new UpframeError('DEVICE_UNAVAILABLE', `tfjs-node-gpu always runs on the first GPU TensorFlow sees; it cannot pick ${device}`, {
        hint: `Run with CUDA_VISIBLE_DEVICES=${ordinal} and --device cuda, or use --backend onnx --device ${device}.`,
      });
    }
    const candidates = this.candidates();
    // Started before the GPU runtime loads (see probeFirstGpuBudget), only when one may load.
    const mayUseGpu = device !== 'cpu' && candidates.some((c) => c.gpu && isInstalled(c.packageName));
    const vram = mayUseGpu ? probeFirstGpuBudget() : undefined;
    const { runtime, skipped } = await selectRuntime(candidates, device, { gpuPresent: nvidiaDriverPresent() });
    const onGpu = runtime.device.startsWith('cuda');
    const memoryBudget = onGpu ? await vram : undefined;
    if (signal?.aborted) throw cancelledError(signal.reason);
    const model = await loadModelFile(source.modelJson);
    try {
      const probe = await probeModel(model, source.modelJson);
      if (source.scale !== undefined && probe.scale !== source.scale) {
        throw new UpframeError('MODEL_INVALID', `${source.modelJson}: the catalog says ${source.id} upscales ${source.scale}x, but the model's output is ${probe.scale}x`, { file: source.modelJson });
      }
      const warnings = [...skipped, ...runtime.warnings];
      this.logger.debug(`tfjs: ${source.id} on ${runtime.provider} (${runtime.device}); ${warnings.join('; ')}`);
      return {
        model,
        source,
        runtime,
        table: inputTable(source.inputRange),
        scale: probe.scale,
        info: {
          device: runtime.device,
          provider: runtime.provider,
          model: { id: source.id, scale: probe.scale },
          warnings,
          // Input and output tensors are not in the probe's peak when the caller keeps them.
          bytesPerInputPixel: probe.bytesPerInputPixel + 4 * 3 * (1 + probe.scale * probe.scale),
          ...(memoryBudget ? { memoryBudget } : {}),
          ...(onGpu ? { batchCap: GPU_BATCH_CAP } : {}),
        },
      };
    } catch (error) {
      model.dispose();
      throw error;
    }
  }

  private ready(): Loaded {
    if (!this.loaded) throw new UpframeError('INTERNAL', 'tfjs backend used before initialize() finished');
    return this.loaded;
  }

  /**
   * One predict for the whole batch; returns the raw NHWC output. Every tensor is created and
   * freed inside one tidy, so `tf.memory().numTensors` is back to where it was afterwards.
   */
  private async predict(images: readonly Image[], signal?: AbortSignal): Promise<{ raw: Float32Array; width: number; height: number }> {
    const { model, table, scale, runtime, source } = this.ready();
    if (signal?.aborted) throw cancelledError(signal.reason);
    const { width, height } = checkBatch(images, MAX_BATCH);
    // tfjs has one active backend per process; another tfjs user may have switched it.
    if (tf.getBackend() !== runtime.tfBackend) await tf.setBackend(runtime.tfBackend);
    const input = packBatch(images, table);
    const n = images.length;
    try {
      const raw = tf.tidy(() => {
        const y = model.predict(tf.tensor4d(input, [n, height, width, 3])) as tf.Tensor;
        return y.dataSync() as Float32Array;
      });
      return { raw, width: width * scale, height: height * scale };
    } catch (error) {
      const full = (error as Error).message ?? String(error);
      const why = full.split('\n')[0];
      // Allocation failures are OUT_OF_MEMORY so the pipeline retries at a smaller batch or tile.
      throw new UpframeError(isOutOfMemoryMessage(full) ? 'OUT_OF_MEMORY' : 'INFERENCE_FAILED', `${source.id} failed on a batch of ${n} ${width}×${height} images (${runtime.provider}): ${why}`, { cause: error });
    }
  }

  async run(images: readonly Image[], signal?: AbortSignal): Promise<Image[]> {
    const { raw, width, height } = await this.predict(images, signal);
    if (signal?.aborted) throw cancelledError(signal.reason);
    // Same depth out as in: a 16-bit input comes back 16-bit, never rounded to 8 bits.
    return unpackBatch(raw, images.length, width, height, this.ready().source.outputRange, images[0]?.depth === 16 ? 16 : 8);
  }

  /**
   * Like `run`, but returns the batch's NHWC output on the 0..255 scale before rounding and
   * clamping; for parity checks and benchmarks.
   */
  async runFloat(images: readonly Image[], signal?: AbortSignal): Promise<Float32Array> {
    const { raw } = await this.predict(images, signal);
    return toByteScale(raw, this.ready().source.outputRange);
  }

  async dispose(): Promise<void> {
    const loaded = this.loaded ?? (await this.loading?.catch(() => undefined));
    this.loaded = undefined;
    loaded?.model.dispose();
  }
}
