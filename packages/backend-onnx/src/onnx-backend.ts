import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { TENSOR_LAYOUTS, TOKENS, UpframeError, cancelledError, type BackendCapabilities, type BackendInitInfo, type BackendOptions, type Image, type InferenceBackend, type Logger, type TensorLayout } from '@upframe/core';
import { inject, injectable } from 'tsyringe';
import { validateBatch } from './batch-validation.js';
import type { PreparedCatalogModel } from './catalog-model-loader.js';
import { openCatalogModel } from './catalog-model-opener.js';
import { openNcnnModel } from './ncnn-model-loader.js';
import { choosePrecision } from './graph-precision.js';
import type { GraphPrecision } from '@upframe/model-ncnn';
import { probeCudaEnvironment } from './cuda-probe.js';
import { planExecution, type ExecutionPlan } from './execution-providers.js';
import { resolveCacheDir } from './model-cache.js';
import type { ModelSpec } from './model-spec.js';
import { DEFAULT_MAX_BATCH } from './onnx-options.js';
import { importOrt, openSession, type OpenedSession, type OpenRequest } from './session-opener.js';
import type { BatchRunner } from './session-runner.js';
import { readUserModelHints } from './user-model-hints.js';
import { useWorker } from './worker-choice.js';
import { GPU_BATCH_CAP, probeVramBudget } from './vram-probe.js';
import { WorkerSession } from './worker-session.js';

interface Loaded {
  readonly runner: BatchRunner;
  readonly spec: ModelSpec;
  readonly info: BackendInitInfo;
}

/**
 * Whole frames per batch on the CPU. onnxruntime is no faster per frame at 2–8 (its threads already
 * split each frame), and through the pipeline one frame per call measured 0.90× the wall time of 4
 * (3 pairs, 160 frames at 256×144) at half the peak RSS: a shorter call lets the event loop feed the
 * encoder and read the decoder between calls (docs/benchmarks.md, "Pipeline").
 */
export const CPU_BATCH_CAP = 1;

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
      modelFormats: ['onnx', 'tfjs-layers', 'ncnn'],
      maxBatch: fixed ?? (Number.isInteger(requested) && requested > 0 ? requested : DEFAULT_MAX_BATCH),
      // Models run in float: 16-bit samples map onto the model's range and come back 16-bit.
      sampleDepths: [8, 16],
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
    const inWorker = useWorker(this.extra.worker);
    // In worker mode the native runtime loads in the worker only; this thread never needs it.
    if (!inWorker) await importOrt();
    if (signal?.aborted) throw cancelledError(signal.reason);
    const { model, device = 'auto', threads = availableParallelism() } = this.options;
    const plan = planExecution(device, probeCudaEnvironment(), { tensorrt: this.extra.tensorrt === true });
    const warnings = [...plan.warnings];
    for (const note of plan.notes ?? []) this.logger.info(`onnx: ${note}`);
    const pixelsInGraph = this.extra.pixelsInGraph !== false;
    const tuning = { spinning: this.extra.spinning === true };
    const open = async (request: OpenRequest): Promise<OpenedSession> => (inWorker ? WorkerSession.start(request) : openSession(await importOrt(), request));
    let opened: OpenedSession;
    let precision: GraphPrecision | undefined;
    if (/\.param$/i.test(model)) {
      const chosen = choosePrecision(this.options.precision, plan);
      precision = chosen.precision;
      if (chosen.warning) warnings.push(chosen.warning);
      const openPrepared = (prepared: PreparedCatalogModel) => open({ model: prepared.model, label: model, origin: 'catalog', plan, threads, spec: prepared.spec, pixelsInGraph, tuning });
      const profileId = typeof this.extra.modelProfile === 'string' ? this.extra.modelProfile : undefined;
      opened = await openNcnnModel(model, resolveCacheDir(this.options.cacheDir), profileId, openPrepared, (message) => this.logger.debug(message), precision);
    } else if (/\.onnx$/i.test(model)) {
      const file = resolve(model);
      if (!existsSync(file)) throw new UpframeError('MODEL_NOT_FOUND', `model file ${file} does not exist`, { file });
      opened = await open({ model: file, label: file, origin: 'user', plan, threads, tuning, hints: await readUserModelHints(file, this.extra) });
    } else {
      const cacheDir = resolveCacheDir(this.options.cacheDir);
      const openPrepared = (prepared: PreparedCatalogModel) => open({ model: prepared.model, label: model, origin: 'catalog', plan, threads, spec: prepared.spec, pixelsInGraph, tuning });
      opened = await openCatalogModel(model, cacheDir, this.ioLayout(), openPrepared, (message) => this.logger.debug(message));
    }
    this.logger.debug(`onnx: inference ${inWorker ? 'in a worker thread' : 'on the main thread'}, ${threads} thread(s), 8-bit pixels converted ${opened.pixelsInGraph ? 'inside the graph' : 'in JS'}`);
    warnings.push(...opened.warnings);
    // Reported through info().warnings; the pipeline shows them once.
    warnings.forEach((w) => this.logger.debug(`onnx: ${w}`));
    const spec = opened.spec;
    const onGpu = opened.plan.device.startsWith('cuda');
    // Asked after the session exists, so the model's weights are already off the free figure.
    const memoryBudget = onGpu ? await probeVramBudget(opened.plan.device) : undefined;
    return {
      runner: opened.runner,
      spec,
      info: {
        device: opened.plan.device,
        provider: providerLabel(opened.plan),
        model: { id: spec.id, scale: spec.scale, ...(spec.family ? { family: spec.family } : {}), ...(spec.files ? { files: spec.files } : {}) },
        ...(precision ? { precision } : {}),
        ...(spec.flopsPerInputPixel ? { flopsPerInputPixel: spec.flopsPerInputPixel } : {}),
        warnings,
        bytesPerInputPixel: spec.bytesPerInputPixel,
        ...(memoryBudget ? { memoryBudget } : {}),
        batchCap: onGpu ? GPU_BATCH_CAP : CPU_BATCH_CAP,
        ...(spec.tileSafe === false ? { tileSafe: false } : {}),
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
    const { runner, spec } = this.ready();
    if (signal?.aborted) throw cancelledError(signal.reason);
    const { width, height } = validateBatch(images, this.capabilities().maxBatch, spec);
    const outputs = await runner.run(images, width, height);
    if (signal?.aborted) throw cancelledError(signal.reason);
    return outputs;
  }

  async dispose(): Promise<void> {
    const loaded = this.loaded ?? (await this.loading?.catch(() => undefined));
    this.loaded = undefined;
    await loaded?.runner.release();
  }
}
