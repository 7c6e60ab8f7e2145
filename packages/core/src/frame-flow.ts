import { mergeAlpha, splitAlpha } from './alpha.js';
import type { BufferPool } from './buffer-pool.js';
import type { DedupeStrategy } from './contracts/dedupe-strategy.js';
import type { FrameSink } from './contracts/frame-sink.js';
import type { FrameSource } from './contracts/frame-source.js';
import type { InferenceBackend } from './contracts/inference-backend.js';
import { cancelledError, OrderViolationError, StageError, tagPluginError, type PipelineStage } from './errors.js';
import { channelsOf, layoutOf, sampleDepthOf, type Frame, type Image } from './frame.js';
import { OrderedBuffer } from './ordered-buffer.js';
import { resizeBicubic } from './resample.js';
import { depthOf, toDepth } from './sample-depth.js';
import { frameAt8, takes16 } from './stage-depths.js';
import { BusyClock, type ReportStage } from './run-report.js';
import { SequenceTracker } from './sequence-validator.js';
import type { DamagedRange, TimestampGapDetector } from './timestamp-gaps.js';
import { Semaphore } from './util/semaphore.js';

export interface FlowProgress {
  readonly done: number;
  readonly inferred: number;
  readonly duplicates: number;
}

export interface FlowOptions {
  readonly source: FrameSource;
  readonly dedupe?: DedupeStrategy;
  readonly backend: InferenceBackend;
  readonly sink: FrameSink;
  readonly batch: number;
  readonly inFlight: number;
  readonly window: number;
  readonly signal: AbortSignal;
  readonly pool?: BufferPool;
  readonly onWritten?: (progress: FlowProgress) => void;
  /** Locates frames the decoder lost, from the pts at decoder output (early validation). */
  readonly gaps?: TimestampGapDetector;
  /** Called for each range `gaps` finds; throwing fails the run there, returning carries on. */
  readonly onDamaged?: (range: DamagedRange) => void;
  /** Frames before this index are decoded (and validated) but neither inferred nor written: a resumed run's committed frames. */
  readonly skipBefore?: number;
  /** Frames from this index on are not taken: the decoder is stopped there (one part of a distributed job). */
  readonly endBefore?: number;
  /** Runs one batch in place of `backend.run` (the pipeline's out-of-memory recovery); gets the frame indices for its messages. */
  readonly infer?: (images: readonly Image[], indices: readonly number[], signal: AbortSignal) => Promise<Image[]>;
}

export interface FlowResult {
  /** Frames of the source accounted for: those delivered, plus those before a seeked source's first frame. */
  readonly decoded: number;
  /** Frames the source delivered in this run. */
  readonly delivered: number;
  readonly inferred: number;
  readonly duplicates: number;
  readonly written: number;
  /** Frames skipped because an earlier run had committed them. */
  readonly skipped: number;
  readonly stageSeconds: Record<ReportStage, number>;
  /**
   * Batches handed to the backend. More than frames ÷ batch means batches left partly empty: the
   * window filled with frames waiting for the sink, so a batch went early.
   */
  readonly batches: number;
}

/** A frame waiting for the sink: either its own upscaled output or a pointer to its reference. */
type Pending = { frame: Frame; output: Image } | { frame: Frame; duplicateOf: number };

/**
 * The concurrent middle of a run: decode → dedupe → batch → N batches in flight → ordered
 * buffer → duplicate fill → sink. Memory is bounded by `window` frames: the decoder waits for a
 * slot, and a slot is freed only when its frame is written. The first error aborts every stage
 * and is rethrown as a `StageError` once no work is pending.
 */
export async function runFrameFlow(o: FlowOptions): Promise<FlowResult> {
  const abort = new AbortController();
  const onOuterAbort = () => fail('decode', undefined, undefined, cancelledError(o.signal.reason));
  o.signal.addEventListener('abort', onOuterAbort, { once: true });
  const slots = new Semaphore(o.window);
  const inFlight = new Semaphore(o.inFlight);
  const skip = o.skipBefore ?? 0;
  const reorder = new OrderedBuffer<Pending>({ window: o.window, start: skip });
  let early = new SequenceTracker('decoder output');
  /** Index of the source's first frame: above 0 when it seeked to a resumed run's start. */
  let first = 0;
  const final = new SequenceTracker('sink input', skip);
  const running = new Set<Promise<void>>();
  const seconds = { decode: 0, dedupe: 0, infer: 0, encode: 0 };
  const inferClock = new BusyClock();
  let failure: StageError | undefined;
  let batch: Frame[] = [];
  let inferred = 0;
  let batches = 0;
  let duplicates = 0;
  // 16-bit frames go as they are to stages that take them; the others get 8-bit copies.
  const backend16 = takes16(o.backend.capabilities());
  const dedupe16 = takes16(o.dedupe);
  const sink16 = takes16(o.sink);

  function fail(stage: PipelineStage, frame: number | undefined, plugin: string | undefined, error: unknown): void {
    if (failure) return;
    failure = error instanceof StageError ? error : new StageError(stage, frame, plugin, plugin ? tagPluginError(plugin, error) : error);
    abort.abort(failure);
    reorder.fail(failure);
    slots.failAll(failure);
    inFlight.failAll(failure);
  }

  async function runBatch(frames: Frame[]): Promise<void> {
    const images = frames.map((f) => (backend16 ? asImage(f) : asImage(frameAt8(f))));
    const split = images.map((im) => (im.channels === 4 ? splitAlpha(im, o.pool) : undefined));
    const inputs = images.map((im, k) => split[k]?.rgb ?? im);
    inferClock.start();
    try {
      const outputs = await (o.infer ? o.infer(inputs, frames.map((f) => f.index), abort.signal) : o.backend.run(inputs, abort.signal));
      if (outputs.length !== frames.length) throw new Error(`returned ${outputs.length} images for a batch of ${frames.length}`);
      inferred += frames.length;
      batches++;
      for (let k = 0; k < frames.length; k++) {
        const alpha = split[k]?.alpha;
        // The sink gets the depth it was opened for, whatever depth the backend answered in.
        const colour = toDepth(outputs[k], sink16 ? sampleDepthOf(frames[k].layout) : 8);
        const output = alpha ? mergeAlpha(colour, toDepth(resizeBicubic(alpha, colour.width, colour.height), depthOf(colour))) : colour;
        await reorder.push(frames[k].index, { frame: frames[k], output });
      }
    } catch (error) {
      fail('infer', frames[0].index, o.backend.name, error);
    } finally {
      inferClock.stop();
      if (o.pool) for (const s of split) if (s) o.pool.release(s.rgb.data);
    }
  }

  async function flush(): Promise<void> {
    if (batch.length === 0) return;
    const frames = batch;
    batch = [];
    await inFlight.acquire(abort.signal);
    const job: Promise<void> = runBatch(frames).finally(() => {
      inFlight.release();
      running.delete(job);
    });
    running.add(job);
  }

  async function decodeLoop(): Promise<number> {
    let reference = -1;
    let stage: PipelineStage = 'decode';
    let current: number | undefined;
    let stopped = false;
    const frames = o.source.frames(abort.signal)[Symbol.asyncIterator]();
    try {
      for (;;) {
        stage = 'decode';
        let t = performance.now();
        const next = await frames.next();
        seconds.decode += (performance.now() - t) / 1000;
        if (next.done) break;
        const frame = next.value;
        if (o.endBefore !== undefined && frame.index >= o.endBefore) {
          stopped = true;
          break;
        }
        current = frame.index;
        let lost: DamagedRange | undefined;
        if (early.seen === 0 && frame.index > 0 && frame.index <= skip) {
          // The source seeked to the resume point: the frames before it are committed, not lost.
          first = frame.index;
          early = new SequenceTracker('decoder output', first);
          o.gaps?.resumeAt(frame.index, frame.pts);
        } else {
          lost = o.gaps?.accept(frame.pts);
        }
        early.accept(frame.index);
        if (lost) {
          // Checked before the frame takes a slot, so a run that must fail does no more inference.
          stage = 'validate';
          o.onDamaged?.(lost);
          stage = 'decode';
        }
        if (frame.index < skip) {
          // Committed by an earlier run: not inferred or written, but dedupe still sees it (it keeps state in index order).
          stage = 'dedupe';
          t = performance.now();
          await o.dedupe?.decide(frame);
          seconds.dedupe += (performance.now() - t) / 1000;
          continue;
        }
        if (!slots.tryAcquire()) {
          await flush();
          await slots.acquire(abort.signal);
        }
        stage = 'dedupe';
        t = performance.now();
        let decision = o.dedupe ? await o.dedupe.decide(dedupe16 ? frame : frameAt8(frame)) : {};
        // After a resume the skipped frames were never inferred: a duplicate of one of them becomes
        // a duplicate of the first reference inferred since (same content), or new content itself.
        if (decision.duplicateOf !== undefined && decision.duplicateOf < skip) decision = reference >= skip ? { duplicateOf: reference } : {};
        seconds.dedupe += (performance.now() - t) / 1000;
        if (decision.duplicateOf !== undefined) {
          if (decision.duplicateOf !== reference) {
            throw new OrderViolationError(`frame ${frame.index} marked duplicate of ${decision.duplicateOf}, but the current reference is ${reference}`, frame.index);
          }
          duplicates++;
          await reorder.push(frame.index, { frame, duplicateOf: reference });
        } else {
          reference = frame.index;
          stage = 'infer';
          if (batch.length > 0 && (batch[0].width !== frame.width || batch[0].height !== frame.height)) await flush();
          batch.push(frame);
          if (batch.length >= o.batch) await flush();
        }
      }
      stage = 'infer';
      await flush();
    } catch (error) {
      const plugin = stage === 'decode' ? o.source.name : stage === 'dedupe' ? o.dedupe?.name : stage === 'infer' ? o.backend.name : undefined;
      // A damaged range is named by source frame and time; the decode index would only mislead.
      fail(stage, stage === 'validate' ? undefined : current, plugin, error);
    } finally {
      // Ending the iteration early lets the source stop its decoder.
      if (failure || stopped) await frames.return?.().catch(() => undefined);
    }
    await Promise.allSettled([...running]);
    reorder.close();
    return early.seen;
  }

  async function writeLoop(): Promise<number> {
    let refOutput: Image | undefined;
    let refIndex = -1;
    let current: number | undefined;
    try {
      for await (const { index, item } of reorder.drain()) {
        current = index;
        if ('output' in item) {
          refOutput = item.output;
          refIndex = index;
        } else if (item.duplicateOf !== refIndex || !refOutput) {
          throw new OrderViolationError(`duplicate frame ${index} refers to ${item.duplicateOf}, but the last inferred frame is ${refIndex}`, index);
        }
        const out = refOutput as Image;
        const t = performance.now();
        await o.sink.write({
          index,
          pts: item.frame.pts,
          timeBase: item.frame.timeBase,
          duration: item.frame.duration,
          width: out.width,
          height: out.height,
          layout: layoutOf(out.channels, depthOf(out)),
          data: out.data,
          sourceName: item.frame.sourceName,
        });
        seconds.encode += (performance.now() - t) / 1000;
        final.accept(index);
        slots.release();
        o.onWritten?.({ done: final.seen, inferred, duplicates });
      }
    } catch (error) {
      fail('encode', current, o.sink.name, error);
    }
    return final.seen;
  }

  try {
    const [delivered, written] = await Promise.all([decodeLoop(), writeLoop()]);
    if (failure) throw failure;
    const decoded = first + delivered;
    final.finish(decoded - skip, 'run');
    seconds.infer = inferClock.seconds;
    return { decoded, delivered, inferred, duplicates, written, skipped: Math.min(skip, decoded), stageSeconds: seconds, batches };
  } finally {
    o.signal.removeEventListener('abort', onOuterAbort);
  }
}

function asImage(f: Frame): Image {
  const depth = sampleDepthOf(f.layout);
  return { width: f.width, height: f.height, channels: channelsOf(f.layout), ...(depth === 16 ? { depth } : {}), data: f.data };
}
