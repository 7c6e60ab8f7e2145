import { TOKENS, cancelledError, type DeviceRequest, type Image, type InferenceBackend } from '@upframe/core';
import type { DependencyContainer } from 'tsyringe';
import { ParityAccumulator, PeakTracker, percentile } from './bench-stats.js';

export interface BenchSettings {
  /** Registered backend names in run order; every registered one when absent. */
  readonly backends?: readonly string[];
  readonly model: string;
  readonly device: DeviceRequest;
  /** Frames per batch handed to `run()`. */
  readonly batch: number;
  /** Untimed frames run first (cycling through the timed frames). */
  readonly warmup: number;
  /** Handed to backends for converted-model caches. */
  readonly cacheDir?: string;
}

export interface BenchResult {
  readonly backend: string;
  /** Runtime / execution provider the backend reported. */
  readonly runtime: string;
  readonly device: string;
  readonly initMs: number;
  readonly fps: number;
  readonly msPerFrame: { readonly p50: number; readonly p95: number };
  /** Highest process RSS seen while this backend initialised and ran (process-wide). */
  readonly peakRssMb: number;
  /** Model FLOPs per second over the timed runs, when the backend reports FLOPs per input pixel. */
  readonly gflops?: number;
  /** Against the first backend that ran; `null` for that one. PSNR is `Infinity` when identical. */
  readonly parity: { readonly against: string; readonly maxAbsDiff: number; readonly psnr: number; readonly mismatch?: string } | null;
  readonly warnings: readonly string[];
}

export interface BenchFailure {
  readonly backend: string;
  readonly stage: 'create' | 'initialize' | 'run';
  readonly code?: string;
  readonly reason: string;
}

export interface BenchRun {
  readonly results: BenchResult[];
  readonly failed: BenchFailure[];
}

export interface BenchHooks {
  readonly signal?: AbortSignal;
  /** One line per step, for progress output. */
  readonly onEvent?: (line: string) => void;
}

const RSS_SAMPLE_MS = 5;
const mb = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10;

function failure(backend: string, stage: BenchFailure['stage'], error: unknown): BenchFailure {
  const code = (error as { code?: unknown })?.code;
  return { backend, stage, code: typeof code === 'string' ? code : undefined, reason: error instanceof Error ? error.message : String(error) };
}

interface Reference {
  readonly name: string;
  readonly outputs: Image[];
}

type Outcome = { readonly result: BenchResult; readonly outputs?: Image[] } | { readonly failure: BenchFailure };

/** Initialises, warms up and times one backend; keeps its outputs when it is the reference. */
async function benchOne(name: string, backend: InferenceBackend, frames: readonly Image[], settings: BenchSettings, reference: Reference | undefined, hooks: BenchHooks): Promise<Outcome> {
  const { signal } = hooks;
  const rss = new PeakTracker();
  const sample = () => rss.sample(process.memoryUsage.rss());
  // Synchronous runtimes block the timer during a batch, so samples are also taken between batches.
  const timer = setInterval(sample, RSS_SAMPLE_MS);
  let stage: BenchFailure['stage'] = 'initialize';
  try {
    sample();
    const started = performance.now();
    await backend.initialize(signal);
    const initMs = performance.now() - started;
    const info = backend.info();
    hooks.onEvent?.(`${name}: ${info.provider} on ${info.device}, initialised in ${initMs.toFixed(0)} ms`);
    stage = 'run';
    const batch = Math.max(1, Math.min(settings.batch, backend.capabilities().maxBatch));
    const warnings = batch < settings.batch ? [...info.warnings, `batch lowered from ${settings.batch} to ${batch}, this backend's maximum`] : info.warnings;
    for (let done = 0; done < settings.warmup; done += batch) {
      const group = Array.from({ length: Math.min(batch, settings.warmup - done) }, (_, k) => frames[(done + k) % frames.length]!);
      await backend.run(group, signal);
      sample();
    }
    const perFrame: number[] = [];
    const parity = reference ? new ParityAccumulator() : undefined;
    const outputs: Image[] | undefined = reference ? undefined : [];
    let busyMs = 0;
    for (let i = 0; i < frames.length; i += batch) {
      const group = frames.slice(i, i + batch);
      const t = performance.now();
      const out = await backend.run(group, signal);
      const ms = performance.now() - t;
      sample();
      busyMs += ms;
      for (let k = 0; k < group.length; k++) perFrame.push(ms / group.length);
      out.forEach((image, k) => (parity ? parity.add(reference!.outputs[i + k]!, image) : outputs!.push(image)));
    }
    sample();
    const fps = frames.length / (busyMs / 1000);
    hooks.onEvent?.(`${name}: ${frames.length} frames, ${fps.toFixed(2)} fps`);
    return {
      outputs,
      result: {
        backend: name,
        runtime: info.provider,
        device: info.device,
        initMs,
        fps,
        msPerFrame: { p50: percentile(perFrame, 50), p95: percentile(perFrame, 95) },
        peakRssMb: mb(rss.peak),
        ...(info.flopsPerInputPixel ? { gflops: (info.flopsPerInputPixel * frames[0]!.width * frames[0]!.height * fps) / 1e9 } : {}),
        parity: parity && reference ? { against: reference.name, ...parity.result() } : null,
        warnings,
      },
    };
  } catch (error) {
    if (signal?.aborted) throw cancelledError(signal.reason);
    return { failure: failure(name, stage, error) };
  } finally {
    clearInterval(timer);
  }
}

/**
 * Runs each backend in turn on the same frames: initialise, warm up, then time `frames` in
 * batches. One at a time because RSS is process-wide. A backend that cannot be created,
 * initialised or run is listed in `failed` with its reason; the others still run.
 */
export async function runBench(container: DependencyContainer, settings: BenchSettings, frames: readonly Image[], hooks: BenchHooks = {}): Promise<BenchRun> {
  const registry = container.resolve(TOKENS.Backends);
  const names = settings.backends ?? registry.names();
  const results: BenchResult[] = [];
  const failed: BenchFailure[] = [];
  let reference: Reference | undefined;
  for (const name of names) {
    if (hooks.signal?.aborted) throw cancelledError(hooks.signal.reason);
    let backend: InferenceBackend;
    try {
      backend = registry.create(container, name, { model: settings.model, device: settings.device, cacheDir: settings.cacheDir });
    } catch (error) {
      failed.push(failure(name, 'create', error));
      continue;
    }
    try {
      const outcome = await benchOne(name, backend, frames, settings, reference, hooks);
      if ('failure' in outcome) {
        failed.push(outcome.failure);
        hooks.onEvent?.(`${name}: ${outcome.failure.stage} failed: ${outcome.failure.reason}`);
        continue;
      }
      results.push(outcome.result);
      if (!reference && outcome.outputs) reference = { name, outputs: outcome.outputs };
    } finally {
      await backend.dispose().catch(() => undefined);
    }
  }
  return { results, failed };
}
