import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { inject, injectable } from 'tsyringe';
import { cancelledError, TOKENS, UpframeError } from '@upframe/core';
import type { Frame, FrameSink, Logger, SinkOpenInfo, SinkOptions, SinkResult } from '@upframe/core';
import { crashPoint } from './crash-points.js';
import { guardOutput } from './output-guard.js';
import { commitFile, createWorkspace, discardWorkspace, sweepAndReport, type Workspace } from './temp-workspace.js';
import { startTool, type RunningTool } from './child-process.js';
import { encodeCommands } from './encode-command.js';
import { chooseSinkEncoder } from './encoder-choice.js';
import { encoderFailureMessage } from './encoder-exit.js';
import { diskFullFromToolOutput } from './write-errors.js';
import { containerOf, encoderSettings, VIDEO_SINK_OPTIONS, yuvColour, type VideoContainer } from './encoder-args.js';
import { describeBinaries, resolveFfmpegBinaries, type FfmpegBinaries } from './ffmpeg-binaries.js';
import type { VideoPixelFormat } from './video-pixel-format.js';
import type { ChunkedOutput } from './chunked-output.js';
import { openSinkChunks } from './sink-chunks.js';
import { PartsWriter } from './parts-writer.js';
import { planVideoEncode, type VideoEncodePlan } from './video-encode-plan.js';
import { clusterPartOf, type ClusterPartOption } from './cluster-part-option.js';
import { ClusterPartStore } from './cluster-part-store.js';
import { OwnedSelector } from './owned-selector.js';
import { binaryOptions, unknownOptions } from './stage-options.js';
import { rescale } from './timing.js';

/**
 * Encodes frames into a video file. Frames travel to ffmpeg in a NUT stream on stdin, each with its
 * own pts, so variable frame rate survives; audio, subtitles, chapters and metadata are copied from
 * the original file as a second input. Writes go to a private workspace folder (temp-workspace.ts) committed on `close()`.
 */
@injectable()
export class FfmpegSink implements FrameSink {
  readonly name = 'video';
  /** 16-bit frames reach ffmpeg as rgb48le/rgba64le, converted once, to the output pixel format. */
  readonly sampleDepths = [8, 16] as const;
  private info?: SinkOpenInfo;
  private chosen?: VideoPixelFormat;
  private container?: VideoContainer;
  private binaries?: FfmpegBinaries;
  private workspace?: Workspace;
  private replaced = 0;
  private tools: RunningTool[] = [];
  /** The encode decided at the first frame: time base, origin, encoder and join arguments. */
  private plan?: VideoEncodePlan;
  private lastPts = -Infinity;
  private written = 0;
  private adjusted = 0;
  private readonly notes: string[] = [];
  private readonly warnings: string[] = [];
  private finished = false;
  private started = false;
  private signal?: AbortSignal;
  private aborting?: Promise<void>;
  /** Set when the output is written as journaled parts (resumable); see chunked-output.ts. */
  private chunked?: ChunkedOutput;
  /** Set when this run writes one part of a cluster job (`extra.clusterPart`) into the job's journal folder. */
  private part?: ClusterPartOption;
  private partWriter?: PartsWriter;
  /** Never asked to select (a video has no image format), but ours to dispose like any sink's. */
  private readonly selector: OwnedSelector;

  constructor(
    @inject(TOKENS.SinkOptions) private readonly options: SinkOptions,
    @inject(TOKENS.Logger) private readonly logger: Logger,
  ) {
    this.selector = new OwnedSelector(options.formatSelector);
  }

  async open(info: SinkOpenInfo, signal?: AbortSignal): Promise<void> {
    const output = resolve(this.options.output);
    const container = containerOf(output);
    // Validate options before touching the disk, so a typo fails before any work.
    encoderSettings(container, info.layout, this.options.extra, { path: info.source.path, kind: info.source.kind });
    const unknown = unknownOptions(this.options.extra, VIDEO_SINK_OPTIONS);
    if (unknown.length) this.logger.warn(`video sink: ignoring unknown option(s) ${unknown.join(', ')}; known: ${VIDEO_SINK_OPTIONS.join(', ')}`);
    this.part = clusterPartOf(this.options.extra);
    // A part never touches the output path (the job's join does, once every part is committed).
    if (!this.part) await guardOutput(output, { kind: 'file', overwrite: this.options.overwrite, inputs: [info.source.path] });
    this.binaries = await resolveFfmpegBinaries(binaryOptions(this.options.extra));
    this.logger.debug(`video sink: ${describeBinaries(this.binaries)}`);
    const defaults = encoderSettings(container, info.layout, this.options.extra).settings;
    this.chosen = await chooseSinkEncoder(this.binaries.ffmpeg, output, container, info, defaults, { extra: this.options.extra, fixed: this.part !== undefined, logger: this.logger, signal });
    // Printed once by the pipeline, from the result's warnings, and kept in the report.
    this.warnings.push(...this.chosen.warnings);
    this.info = info;
    this.container = container;
    if (this.part) await ClusterPartStore.prepare(output);
    else {
      this.notes.push(...(await sweepAndReport(output, this.logger)));
      const chunks = await openSinkChunks({ output, info, container, version: this.binaries.ffmpeg.version, extra: this.options.extra, logger: this.logger, encoder: this.chosen.settings });
      this.chunked = chunks.chunked;
      this.notes.push(...chunks.notes);
      this.workspace = await createWorkspace(output);
    }
    this.signal = signal;
    signal?.addEventListener('abort', () => void this.abort(signal.reason), { once: true });
  }

  /** Frames an interrupted earlier run already committed as parts: the pipeline starts after them. */
  committedFrames(): number {
    // A cluster part starts at its first frame, reached as a resumed run's start is.
    if (this.part) return this.part.firstFrame;
    return this.chunked?.committedFrames ?? 0;
  }

  /** Starts ffmpeg at the first frame: the video's start time is needed to line it up with the audio. */
  private async start(first: Frame | undefined): Promise<void> {
    const info = this.info!;
    const container = this.container!;
    const settings = this.chosen!.settings;
    const resumed = this.chunked?.origin;
    const plan = planVideoEncode({ info, container, settings, version: this.binaries!.ffmpeg.version, extra: this.options.extra, first, originPts: this.part?.originPts, resumed, formatNotes: this.chosen!.notes });
    this.notes.push(...plan.notes);
    this.warnings.push(...plan.warnings);
    this.plan = plan;
    if (resumed) this.lastPts = this.chunked?.lastPts ?? -Infinity;
    const { timeBase, firstPts, joinArgs, videoOffsetSeconds, details, partFormat, videoArgs, timingArgs, streamArgs } = plan;
    if (this.part) {
      const store = new ClusterPartStore({ output: resolve(this.options.output), ...this.part }, { timeBase, firstPts, videoOffsetSeconds }, joinArgs);
      // One encoder run for the whole part: it is the unit a worker commits.
      this.partWriter = new PartsWriter({ ffmpeg: this.binaries!.ffmpeg.path, journal: store, nut: plan.nut, videoArgs, timingArgs, timeBase, partSeconds: Infinity, logger: this.logger, format: partFormat });
      return;
    }
    if (this.chunked) {
      return this.chunked.begin(
        { timeBase, firstPts, videoOffsetSeconds: joinArgs.videoOffsetSeconds },
        { ffmpeg: this.binaries!.ffmpeg.path, nut: plan.nut, videoArgs, timingArgs, timeBase, partSeconds: this.chunked.partSeconds, logger: this.logger, format: partFormat },
      );
    }
    const commands = encodeCommands({
      version: this.binaries!.ffmpeg.version,
      container,
      output: this.workspace!.file,
      timeBase,
      videoOffsetSeconds,
      original: details ? info.source.path : undefined,
      videoArgs,
      streamArgs,
      videoTags: details?.videoTags ?? {},
      writeColour: yuvColour(info.source.color) !== undefined,
      alphaVideo: settings.pixelFormat.startsWith('yuva'),
    });
    this.logger.debug(`video sink: ffmpeg ${commands.map((c) => c.join(' ')).join(' | ')}`);
    this.tools = commands.map((args, i) => startTool(this.binaries!.ffmpeg.path, args, { stdin: 'pipe', stdout: i < commands.length - 1 ? 'pipe' : 'ignore' }, 'encode'));
    for (let i = 1; i < this.tools.length; i++) this.tools[i - 1].child.stdout!.pipe(this.tools[i].child.stdin!);
    this.tools[0].child.stdin!.write(plan.nut.header());
  }

  async write(frame: Frame): Promise<void> {
    const info = this.info;
    if (this.signal?.aborted) throw cancelledError(this.signal.reason);
    if (!info || this.finished) throw new UpframeError('USAGE', 'FfmpegSink.write() called before open() or after close()/abort()');
    if (frame.width !== info.width || frame.height !== info.height || frame.layout !== info.layout) {
      throw new UpframeError('INTERNAL', `frame ${frame.index} is ${frame.width}x${frame.height} ${frame.layout}, but the video sink was opened for ${info.width}x${info.height} ${info.layout}`);
    }
    if (!this.started) {
      this.started = true;
      await this.start(frame);
    }
    let pts = rescale(frame.pts, frame.timeBase, this.plan!.timeBase) - this.plan!.firstPts;
    // Muxers reject repeated timestamps; nudge by one tick and say so rather than fail the run.
    if (pts <= this.lastPts) {
      pts = this.lastPts + 1;
      this.adjusted++;
    }
    this.lastPts = pts;
    if (this.partWriter) {
      await this.partWriter.write(frame.index, pts, frame.data);
      this.written++;
      return;
    }
    if (this.chunked) {
      await this.chunked.write(frame.index, pts, frame.data).catch(async (error: unknown) => {
        throw await this.chunked!.explain(error, info.source.frameCount);
      });
      this.written++;
      return;
    }
    const stdin = this.tools[0].child.stdin!;
    try {
      stdin.write(this.plan!.nut.frameHeader(pts, frame.data.length));
      // Resolve only once the pixels are in the pipe: the caller may reuse frame.data afterwards.
      await new Promise<void>((done, fail) => stdin.write(frame.data, (error) => (error ? fail(error) : done())));
    } catch (error) {
      throw await this.failure(`ffmpeg stopped accepting frames at frame ${frame.index}`, error);
    }
    this.written++;
  }

  async close(): Promise<SinkResult> {
    const output = resolve(this.options.output);
    if (this.finished) throw new UpframeError('USAGE', 'FfmpegSink.close() called twice or after abort()');
    if (this.part) return this.closePart();
    if (this.chunked) return this.closeChunked(output);
    if (this.written === 0) {
      await this.abort();
      throw new UpframeError('OUTPUT_FAILED', `no frames were written to ${output}`, { file: output });
    }
    this.tools[0].child.stdin!.end();
    const statuses = await Promise.all(this.tools.map((t) => t.exited));
    const failed = statuses.findIndex((s) => s.code !== 0);
    if (failed >= 0) throw await this.failure('ffmpeg failed while finishing the video');
    const size = (await stat(this.workspace!.file).catch(() => undefined))?.size ?? 0;
    if (size === 0) throw await this.failure('ffmpeg finished but wrote nothing');
    return this.commit(output, this.written);
  }

  /** Commits the cluster part; the output itself is written by the job's join. */
  private async closePart(): Promise<SinkResult> {
    if (!this.partWriter || this.written === 0) {
      await this.abort();
      throw new UpframeError('OUTPUT_FAILED', `no frames were written to part ${this.part!.index + 1} of ${this.options.output}`, { file: this.options.output });
    }
    await this.partWriter.finish();
    this.finished = true;
    return { output: this.options.output, framesWritten: this.written, notes: [...this.notes], warnings: [...this.warnings], stored: this.chosen?.stored };
  }

  /** Commits the last part, joins the parts into the workspace, moves the result into place, removes the journal. */
  private async closeChunked(output: string): Promise<SinkResult> {
    const chunked = this.chunked!;
    if (!this.started) {
      if (chunked.committedFrames === 0) {
        await this.abort();
        throw new UpframeError('OUTPUT_FAILED', `no frames were written to ${output}`, { file: output });
      }
      this.started = true;
      await this.start(undefined);
    }
    try {
      await chunked.join(this.binaries!.ffmpeg.path, this.binaries!.ffprobe.path, this.workspace!.file, this.plan!.joinArgs);
    } catch (error) {
      await this.abort();
      // Stopped during the join (Ctrl-C): the workspace went with the abort; the parts stay for a resume.
      if (this.signal?.aborted) throw cancelledError(this.signal.reason);
      throw await chunked.explain(error, this.info?.source.frameCount);
    }
    if (this.signal?.aborted) {
      await this.abort();
      throw cancelledError(this.signal.reason);
    }
    const result = await this.commit(output, chunked.committedFrames);
    crashPoint('output-placed');
    await chunked.remove();
    return result;
  }

  /** Moves the finished file from the workspace into place (one piece or joined parts alike) and builds the result. */
  private async commit(output: string, framesWritten: number): Promise<SinkResult> {
    this.finished = true;
    const { replaced } = await commitFile(this.workspace!, output, { overwrite: Boolean(this.options.overwrite) });
    this.replaced = replaced ? 1 : 0;
    if (this.adjusted) {
      const moved = `${this.adjusted} frame(s) had a timestamp not after the previous one and were moved one tick later`;
      this.notes.push(moved);
      this.warnings.push(moved);
    }
    return { output, framesWritten, replaced: this.replaced, notes: [...this.notes], warnings: [...this.warnings], stored: this.chosen?.stored };
  }

  /** Kill ffmpeg, remove the temporary, and build the error to throw (with ffmpeg's own words). */
  private async failure(what: string, cause?: unknown): Promise<UpframeError> {
    const statuses = await Promise.all(this.tools.map((t) => Promise.race([t.exited, sleep(2000, undefined, { ref: false })])));
    const stderr = this.tools.map((t) => t.stderrTail()).filter(Boolean).join('\n');
    // Read before abort(), which kills every stage itself.
    const stages = this.tools.map((t, i) => ({ status: statuses[i], killedByUs: t.killed }));
    const output = resolve(this.options.output);
    // Measured before abort() frees the partial output: the free space at the moment ffmpeg failed.
    const diskFull = await diskFullFromToolOutput(stderr, output);
    await this.abort();
    if (this.signal?.aborted) return cancelledError(this.signal.reason);
    if (diskFull) return diskFull;
    return new UpframeError('FFMPEG_FAILED', encoderFailureMessage({ what, output, stages, stderr, cause }), { file: output, cause });
  }

  abort(_reason?: unknown): Promise<void> {
    this.finished = true;
    // One cleanup, however many callers (signal listener, failure path, dispose) ask for it.
    this.aborting ??= (async () => {
      await Promise.all(this.tools.map((t) => t.kill()));
      await this.partWriter?.kill();
      // Committed parts stay in the journal folder for a resume; only the part being written goes.
      await this.chunked?.abort();
      await discardWorkspace(this.workspace);
    })();
    return this.aborting;
  }

  async dispose(): Promise<void> {
    try {
      if (!this.finished || this.aborting) await this.abort();
      else await Promise.all(this.tools.map((t) => t.kill()));
    } finally {
      await this.selector.dispose();
    }
  }
}
