import { selectionDetails } from './auto-backend.js';
import type { BufferPool } from './buffer-pool.js';
import type { DedupeStrategy } from './contracts/dedupe-strategy.js';
import type { FrameSink, SinkResult } from './contracts/frame-sink.js';
import type { FrameSource, SourceInfo } from './contracts/frame-source.js';
import type { InferenceBackend } from './contracts/inference-backend.js';
import { cancelledError, SequenceValidationError, StageError, tagPluginError, UpframeError, type PipelineStage } from './errors.js';
import { runFrameFlow, type FlowProgress } from './frame-flow.js';
import { FrameLossPolicy } from './frame-loss.js';
import { silentLogger, type Logger } from './logger.js';
import { checkInputPixels, checkOutputPixels } from './pixel-limits.js';
import { planRun, type PlanRequest, type RunPlan } from './pipeline-plan.js';
import { emptyReport, reportError, type RunReport } from './run-report.js';
import { describeSetting, OomRecovery } from './oom-recovery.js';
import { rangeIndices } from './timestamp-gaps.js';
import { channelsOf, layoutOf, sampleDepthOf } from './frame.js';
import { depthWarnings, takes16 } from './stage-depths.js';

export interface PipelineProgress extends FlowProgress {
  /** Expected frame count when the source knows it. */
  readonly total?: number;
  readonly elapsedSeconds: number;
  readonly fps: number;
}

export interface PipelineOptions extends PlanRequest {
  readonly source: FrameSource;
  readonly backend: InferenceBackend;
  readonly sink: FrameSink;
  readonly dedupe?: DedupeStrategy;
  readonly signal?: AbortSignal;
  readonly logger?: Logger;
  readonly pool?: BufferPool;
  /** Largest input frame in pixels (outputs: 4 ×); default DEFAULT_MAX_PIXELS. Checked from the header. */
  readonly maxPixels?: number;
  /** Directory for caches (dedupe decisions). */
  readonly cacheDir?: string;
  /** Called once the input is probed and the plan is made, before the first frame. */
  readonly onStart?: (info: SourceInfo, plan: RunPlan) => void;
  readonly onProgress?: (progress: PipelineProgress) => void;
  /** Paths for the report (defaults to the source's path and the sink's result). */
  readonly input?: string;
  readonly output?: string;
  /**
   * Carry on when the decoder loses frames of a damaged input: each lost range becomes a warning
   * and an entry of `report.frames.damaged`, and the output keeps the gap in its timing (no frame
   * is invented). Off by default: the run then fails with INPUT_DAMAGED at the first lost range.
   */
  readonly acceptDamaged?: boolean;
  /** Smallest tile the out-of-memory recovery halves down to (default MIN_RECOVERY_TILE). */
  readonly minTile?: number;
  /**
   * Stop after frame `endFrame - 1`: one part of a distributed job. Its first frame is the sink's
   * `committedFrames()`, reached as a resume is (the source seeks, earlier frames are skipped).
   */
  readonly endFrame?: number;
}

/** A failed run: the typed error plus the report filled up to the failure. */
export class PipelineRunError extends StageError {
  constructor(readonly original: StageError, readonly report: RunReport) {
    super(original.stage, original.frameIndex, original.plugin, original.cause);
    this.name = 'PipelineRunError';
  }
}

/**
 * Run one input through source → dedupe → backend → sink and return the report. Owns every
 * stage's lifecycle: initializes them, and disposes all of them however the run ends; on
 * failure the sink is aborted so no half-written output is left under the final name.
 */
export async function runPipeline(o: PipelineOptions): Promise<RunReport> {
  const started = performance.now();
  const logger = o.logger ?? silentLogger;
  const signal = o.signal ?? new AbortController().signal;
  const report = emptyReport(o.input ?? '', o.output ?? '');
  let sinkOpened = false;
  let loss: FrameLossPolicy | undefined;
  let recovery: OomRecovery | undefined;
  /** Frames handed to the sink; they count as written only once the sink has committed them. */
  let encoded = 0;
  /** Every warning goes into the report and is logged once, when it happens. */
  const warn = (message: string) => {
    report.warnings.push(message);
    logger.warn(message);
  };
  const step = async <T>(stage: PipelineStage, plugin: string | undefined, fn: () => Promise<T> | T): Promise<T> => {
    if (signal.aborted) throw new StageError(stage, undefined, plugin, cancelledError(signal.reason));
    try {
      return await fn();
    } catch (error) {
      throw error instanceof StageError ? error : new StageError(stage, undefined, plugin, plugin ? tagPluginError(plugin, error) : error);
    }
  };
  try {
    // The model loads while the input is probed: neither needs the other, and both take long on
    // long inputs and large models. A failure of the input is still the one reported, once the
    // model has settled (a backend is never disposed halfway through loading).
    const backendReady = step('infer', o.backend.name, () => o.backend.initialize(signal));
    backendReady.catch(() => undefined);
    const info = await (async () => {
      await step('decode', o.source.name, () => o.source.initialize?.(signal));
      const opened = await step('decode', o.source.name, () => o.source.open(signal));
      await step('decode', o.source.name, () => checkInputPixels(opened, o.maxPixels));
      return opened;
    })().catch(async (error: unknown) => {
      await backendReady.catch(() => undefined);
      throw error;
    });
    for (const w of info.warnings ?? []) warn(w);
    report.input = o.input ?? info.path;
    await backendReady;
    const init = o.backend.info();
    report.backend = { name: o.backend.name, device: init.device, provider: init.provider, ...(init.precision ? { precision: init.precision } : {}) };
    report.model = { ...init.model };
    for (const w of init.warnings) warn(`${o.backend.name}: ${w}`);
    await step('infer', o.backend.name, () => checkOutputPixels(info, o.backend.scale, o.maxPixels));
    const plan = planRun(info, o.backend, o);
    for (const r of plan.reasons) logger.debug(r);
    // Allocation failures shrink the batch, then the tile, and the same frames are retried.
    const adaptive = new OomRecovery({ backend: o.backend, batch: plan.batch, tile: plan.tile, overlap: plan.overlap, pool: o.pool, minTile: o.minTile, onRecovered: warn });
    recovery = adaptive;
    report.details = { ...selectionDetails(o.backend), plan: { batch: plan.batch, tile: plan.tile ?? null, overlap: plan.overlap, inFlight: plan.inFlight, window: plan.window, reasons: plan.reasons } };
    if (o.dedupe) {
      const d = o.dedupe;
      await step('dedupe', d.name, () => d.initialize?.(signal));
      const model = `${o.backend.name}:${init.model.id}:${init.precision ?? ''}:${init.device}`;
      await step('dedupe', d.name, () => d.begin?.({ source: info, cacheDir: o.cacheDir, model, infer: (images, indices) => adaptive.run(images, indices, signal) }));
    }
    await step('encode', o.sink.name, () => o.sink.initialize?.(signal));
    const scale = o.backend.scale;
    for (const w of depthWarnings(info, { backend: { name: o.backend.name, sampleDepths: o.backend.capabilities().sampleDepths }, dedupe: o.dedupe, sink: o.sink })) warn(w);
    const layout = takes16(o.sink) ? info.layout : layoutOf(channelsOf(info.layout));
    const inference = { device: init.device, scale, ...(init.flopsPerInputPixel ? { flopsPerInputPixel: init.flopsPerInputPixel } : {}) };
    await step('encode', o.sink.name, () => o.sink.open({ source: info, width: info.width * scale, height: info.height * scale, layout, inference }, signal));
    sinkOpened = true;
    const resumed = o.sink.committedFrames?.() ?? 0;
    if (resumed > 0) o.source.startAt?.(resumed);
    o.onStart?.(info, plan);
    loss = new FrameLossPolicy(info, o.acceptDamaged ?? false, warn);

    const flow = await runFrameFlow({
      source: o.source,
      dedupe: o.dedupe,
      backend: o.backend,
      infer: (images, indices, s) => adaptive.run(images, indices, s),
      sink: o.sink,
      batch: plan.batch,
      inFlight: plan.inFlight,
      window: plan.window,
      signal,
      pool: o.pool,
      gaps: loss.gaps,
      skipBefore: resumed,
      endBefore: o.endFrame,
      onDamaged: loss.onDamaged,
      onWritten: (p) => {
        encoded = p.done;
        const elapsedSeconds = (performance.now() - started) / 1000;
        // `done` counts the resumed frames too, so progress and ETA describe the whole output.
        o.onProgress?.({ ...p, done: p.done + resumed, total: info.frameCount, elapsedSeconds, fps: p.done / Math.max(elapsedSeconds, 1e-6) });
      },
    });
    recordRecovery(report, adaptive);
    report.frames = { total: flow.decoded, inferred: flow.inferred, duplicates: flow.duplicates, written: 0, missing: [], ...(resumed > 0 ? { resumed: flow.skipped, computed: flow.decoded - flow.skipped, decoded: o.source.framesDecoded ?? flow.delivered } : {}) };
    report.timings.stages = flow.stageSeconds;
    report.details = { ...report.details, batches: { calls: flow.batches, planned: plan.batch, meanFrames: flow.batches ? Math.round((100 * flow.inferred) / flow.batches) / 100 : 0 } };
    if (o.endFrame === undefined) loss.checkCount(flow.decoded);
    else if (flow.decoded !== o.endFrame) {
      throw new StageError('decode', flow.decoded, o.source.name, new UpframeError('INPUT_DAMAGED', `${info.path}: the input ended at frame ${flow.decoded}, before frame ${o.endFrame - 1}, the last of this part`, { file: info.path }));
    }
    recordDamage(report, loss);
    if (o.dedupe?.end) await step('dedupe', o.dedupe.name, () => o.dedupe?.end?.());
    if (o.dedupe?.stats) report.details = { ...report.details, dedupe: o.dedupe.stats() };
    const result = await step('encode', o.sink.name, () => o.sink.close());
    sinkOpened = false;
    report.frames.written = result.framesWritten ?? flow.written;
    report.output = o.output ?? result.output;
    if (result.notes?.length) report.details = { ...report.details, sink: result.notes };
    for (const w of result.warnings ?? []) warn(w);
    if (result.replaced) report.details = { ...report.details, replaced: result.replaced };
    report.details = { ...report.details, depth: depthDetails(info, layout, result) };
    report.timings.totalSeconds = (performance.now() - started) / 1000;
    return report;
  } catch (error) {
    const stageError = error instanceof StageError ? error : new StageError('validate', undefined, undefined, error);
    if (error instanceof SequenceValidationError) report.frames.missing = [...error.missing];
    if (loss) recordDamage(report, loss);
    if (recovery) recordRecovery(report, recovery);
    // Nothing is kept of a failed run (the sink removes its output), so nothing counts as written.
    report.frames.written = 0;
    if (encoded > 0) report.frames.encoded = encoded;
    reportError(report, stageError);
    // A failed `auto` choice has no plan yet; its attempts say why every candidate failed.
    report.details = { ...selectionDetails(o.backend), ...report.details };
    if (sinkOpened) await o.sink.abort(stageError).catch((e) => logger.warn(`could not clean up output: ${String(e)}`));
    report.timings.totalSeconds = (performance.now() - started) / 1000;
    throw new PipelineRunError(stageError, report);
  } finally {
    for (const stage of [o.source, o.dedupe, o.backend, o.sink]) {
      await stage?.dispose().catch((e) => logger.warn(`dispose of ${stage.name} failed: ${String(e)}`));
    }
  }
}

/** Bit depth and chroma in and out, for the report (`details.depth`). */
function depthDetails(info: SourceInfo, layout: ReturnType<typeof layoutOf>, result: SinkResult): Record<string, unknown> {
  return {
    input: { bitDepth: info.bitDepth ?? 8, chroma: info.chroma, pixelFormat: info.pixelFormat },
    frames: { layout, bitsPerSample: sampleDepthOf(layout) },
    output: result.stored ?? { bitsPerSample: sampleDepthOf(layout) },
  };
}

/** Damaged ranges found so far go into the report, and their frames into `missing`. */
function recordDamage(report: RunReport, loss: FrameLossPolicy): void {
  if (loss.ranges.length === 0) return;
  report.frames.damaged = [...loss.ranges];
  report.frames.missing = rangeIndices(loss.ranges);
}

/** Out-of-memory recoveries, if any, go into the report's details with the setting the run ended at. */
function recordRecovery(report: RunReport, recovery: OomRecovery): void {
  if (recovery.downgrades.length === 0) return;
  const downgrades = recovery.downgrades.map((d) => ({ frame: d.frame, from: describeSetting(d.from), to: describeSetting(d.to) }));
  report.details = { ...report.details, outOfMemory: { downgrades, finalSetting: describeSetting(recovery.current) } };
}
