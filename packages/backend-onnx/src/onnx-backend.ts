import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { TENSOR_LAYOUTS, TOKENS, UpframeError, cancelledError, type BackendCapabilities, type BackendInitInfo, type BackendOptions, type Image, type InferenceBackend, type Logger, type TensorLayout } from '@upframe/core';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { inject, injectable } from 'tsyringe';
import { validateBatch } from './batch-validation.js';
import { BufferPool } from './buffer-pool.js';
import { prepareCatalogModel } from './catalog-model-loader.js';
import { probeCudaEnvironment } from './cuda-probe.js';
import { planExecution, type ExecutionPlan } from './execution-providers.js';
import { resolveCacheDir } from './model-cache.js';
import type { ModelSpec } from './model-spec.js';
import { createPixelCodec, type PixelCodec, type TensorData } from './pixel-codec.js';
import { createSession } from './session-factory.js';
import { readUserModelHints } from './user-model-hints.js';
import { describeUserModel } from './user-onnx-model.js';

type Ort = typeof import('onnxruntime-node');

/** Batches larger than this bring no speed-up on CPU (see README) and only cost memory. */
const DEFAULT_MAX_BATCH = 8;

interface Loaded {
  readonly ort: Ort;
  readonly session: InferenceSession;
  readonly spec: ModelSpec;
  readonly codec: PixelCodec;
  readonly pool: BufferPool<TensorData>;
  readonly info: BackendInitInfo;
}

async function importOrt(): Promise<Ort> {
  try {
    return await import('onnxruntime-node');
  } catch (error) {
    throw new UpframeError('BACKEND_INIT_FAILED', `cannot load onnxruntime-node: ${(error as Error).message}`, {
      cause: error,
      hint: 'Reinstall it (npm rebuild onnxruntime-node); it ships native binaries for linux x64/arm64, macOS and Windows.',
    });
  }
}

const providerLabel = (plan: ExecutionPlan) => `onnxruntime-node ${typeof plan.providers[0] === 'string' ? plan.providers[0] : plan.providers[0]!.name}`;

/** Runs super-resolution models on onnxruntime-node: catalog models converted from Keras, or user `.onnx` files. */
@injectable()
export class OnnxBackend implements InferenceBackend {
  readonly name = 'onnx';
  private loaded?: Loaded;
  private loading?: Promise<Loaded>;

  constructor(
    @inject(TOKENS.BackendOptions) private readonly options: BackendOptions,
    @inject(TOKENS.Logger) private readonly logger: Logger,
  ) {}

  private get extra(): Readonly<Record<string, unknown>> {
    return this.options.extra ?? {};
  }

  capabilities(): BackendCapabilities {
    const requested = Number(this.extra.maxBatch ?? DEFAULT_MAX_BATCH);
    const fixed = this.loaded?.spec.fixedBatch;
    return {
      devices: ['cpu', 'cuda'],
      modelFormats: ['onnx', 'tfjs-layers'],
      layouts: TENSOR_LAYOUTS,
      maxBatch: fixed ?? (Number.isInteger(requested) && requested > 0 ? requested : DEFAULT_MAX_BATCH),
      fp16: true,
    };
  }

  get scale(): number {
    return this.ready().spec.scale;
  }

  info(): BackendInitInfo {
    return this.ready().info;
  }

  async initialize(signal?: AbortSignal): Promise<void> {
    if (this.loaded) return;
    this.loading ??= this.load(signal).finally(() => (this.loading = undefined));
    this.loaded = await this.loading;
  }

  private async load(signal?: AbortSignal): Promise<Loaded> {
    const ort = await importOrt();
    if (signal?.aborted) throw cancelledError(signal.reason);
    const { model, device = 'auto', threads = availableParallelism() } = this.options;
    const plan = planExecution(device, probeCudaEnvironment(), { tensorrt: this.extra.tensorrt === true });
    const warnings = [...plan.warnings];
    let spec: ModelSpec;
    let created;
    if (/\.onnx$/i.test(model)) {
      const file = resolve(model);
      if (!existsSync(file)) throw new UpframeError('MODEL_NOT_FOUND', `model file ${file} does not exist`, { file });
      const hints = await readUserModelHints(file, this.extra);
      created = await createSession(ort, file, plan, threads, file);
      const session = created.session;
      spec = await describeUserModel(ort, session, file, hints).catch(async (error: unknown) => {
        await session.release();
        throw error;
      });
    } else {
      const started = performance.now();
      const prepared = await prepareCatalogModel(model, resolveCacheDir(this.options.cacheDir), this.ioLayout());
      const where = typeof prepared.model === 'string' ? prepared.model : 'memory';
      const took = (performance.now() - started).toFixed(0);
      this.logger.debug(`onnx: ${model} ${prepared.cacheHit ? 'taken from the ONNX cache' : 'converted to ONNX'} (${took} ms, ${where})`);
      warnings.push(...prepared.warnings);
      created = await createSession(ort, prepared.model, plan, threads, model);
      spec = prepared.spec;
    }
    warnings.push(...created.warnings);
    warnings.forEach((w) => this.logger.warn(`onnx: ${w}`));
    const makeBuffer = (n: number): TensorData => (spec.inputDtype === 'float32' ? new Float32Array(n) : new Uint16Array(n));
    return {
      ort,
      session: created.session,
      spec,
      codec: createPixelCodec(spec.layout, spec.inputDtype, spec.outputDtype, spec.inputRange, spec.outputRange),
      pool: new BufferPool(makeBuffer),
      info: {
        device: created.plan.device,
        provider: providerLabel(created.plan),
        model: { id: spec.id, scale: spec.scale },
        warnings,
        bytesPerInputPixel: spec.bytesPerInputPixel,
      },
    };
  }

  /** Layout of the converted graph's input/output; NCHW measured faster on onnxruntime CPU (README). */
  private ioLayout(): TensorLayout {
    const layout = this.extra.ioLayout ?? 'nchw';
    if (!TENSOR_LAYOUTS.includes(layout as TensorLayout)) throw new UpframeError('USAGE', `backend option ioLayout must be one of ${TENSOR_LAYOUTS.join(', ')}`);
    return layout as TensorLayout;
  }

  private ready(): Loaded {
    if (!this.loaded) throw new UpframeError('INTERNAL', 'onnx backend used before initialize() finished');
    return this.loaded;
  }

  async run(images: readonly Image[], signal?: AbortSignal): Promise<Image[]> {
    const { ort, session, spec, codec, pool } = this.ready();
    if (signal?.aborted) throw cancelledError(signal.reason);
    const { width, height } = validateBatch(images, this.capabilities().maxBatch, spec);
    const batch = spec.fixedBatch ?? images.length;
    const buffer = pool.acquire(batch * 3 * width * height);
    // A fixed-batch model gets zeros in the unused slots; a reused buffer may hold old pixels there.
    if (batch > images.length) buffer.fill(0, images.length * 3 * width * height);
    codec.encode(images, buffer);
    const dims = spec.layout === 'nchw' ? [batch, 3, height, width] : [batch, height, width, 3];
    let output: Tensor;
    try {
      const feeds = { [spec.inputName]: new ort.Tensor(spec.inputDtype, buffer as Float32Array, dims) };
      output = (await session.run(feeds))[spec.outputName]!;
    } catch (error) {
      const why = (error instanceof Error ? error.message : String(error)).split('\n')[0];
      const code = /dimension|shape/i.test(why ?? '') ? 'MODEL_INPUT_MISMATCH' : 'INFERENCE_FAILED';
      throw new UpframeError(code, `${spec.id} failed on a batch of ${images.length} ${width}×${height} images: ${why}`, { cause: error });
    } finally {
      pool.release(buffer);
    }
    if (signal?.aborted) throw cancelledError(signal.reason);
    const [oh, ow] = spec.layout === 'nchw' ? output.dims.slice(2) : output.dims.slice(1, 3);
    if (oh !== height * spec.scale || ow !== width * spec.scale) {
      throw new UpframeError('MODEL_INPUT_MISMATCH', `${spec.id} turned a ${width}×${height} input into ${ow}×${oh}, not the ${spec.scale}x it was set up for`, {
        hint: 'Check "scale" (and "layout") in the model descriptor or backend options.',
      });
    }
    const data = output.data instanceof Uint16Array || output.data instanceof Float32Array ? output.data : Float32Array.from(output.data as ArrayLike<number>);
    return codec.decode(data, images.length, height * spec.scale, width * spec.scale);
  }

  async dispose(): Promise<void> {
    const loaded = this.loaded ?? (await this.loading?.catch(() => undefined));
    this.loaded = undefined;
    await loaded?.session.release();
  }
}
