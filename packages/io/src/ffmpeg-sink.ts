import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { inject, injectable } from 'tsyringe';
import { cancelledError, TOKENS, UpframeError } from '@upframe/core';
import type { Frame, FrameSink, Logger, Rational, SinkOpenInfo, SinkOptions, SinkResult } from '@upframe/core';
import { crashPoint } from './crash-points.js';
import { guardOutput } from './output-guard.js';
import { commitFile, createWorkspace, discardWorkspace, sweepAndReport, type Workspace } from './temp-workspace.js';
import { startTool, type RunningTool } from './child-process.js';
import { encodeCommands } from './encode-command.js';
import { checkEncoderSettings } from './encoder-check.js';
import { encoderFailureMessage } from './encoder-exit.js';
import { diskFullFromToolOutput } from './write-errors.js';
import { passthroughTimingArgs, versionAtLeast } from './ffmpeg-version.js';
import { containerOf, encoderSettings, VIDEO_SINK_OPTIONS, videoEncodeArgs, yuvColour, type VideoContainer } from './encoder-args.js';
import { describeBinaries, resolveFfmpegBinaries, type FfmpegBinaries } from './ffmpeg-binaries.js';
import { NutWriter } from './nut-writer.js';
import { chooseVideoPixelFormat, type VideoPixelFormat } from './video-pixel-format.js';
import { ChunkedOutput, DEFAULT_PART_SECONDS, encoderJournalSettings } from './chunked-output.js';
import type { JoinCommandInput } from './join-parts.js';
import { MATROSKA_PARTS, NUT_PARTS, PartsWriter } from './parts-writer.js';
import { clusterPartOf, type ClusterPartOption } from './cluster-part-option.js';
import { ClusterPartStore } from './cluster-part-store.js';
import { OwnedSelector } from './owned-selector.js';
import { binaryOptions, isBoolean, isNumber, optionOf, unknownOptions } from './stage-options.js';
import { streamMapArgs } from './stream-mapping.js';
import { reduceRational, rescale, secondsOf } from './timing.js';
import { isVideoSourceDetails, type VideoSourceDetails } from './video-probe.js';
import { isAnimationDetails } from './animation-probe.js';

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
  private nut?: NutWriter;
  private timeBase: Rational = { num: 1, den: 1 };
  private firstPts?: number;
  private lastPts = -Infinity;
  private written = 0;
  private adjusted = 0;
  private readonly notes: string[] = [];
  private readonly warnings: string[] = [];
  private finished = false;
  private started = false;
  private chunkSeconds = DEFAULT_PART_SECONDS;
  private joinArgs: Omit<JoinCommandInput, 'list' | 'output'> = { videoOffsetSeconds: 0, streamArgs: [], videoTags: {}, movFlags: [] };
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
    this.chosen = await chooseVideoPixelFormat(this.binaries.ffmpeg, container, info, defaults, this.options.extra?.pixelFormat !== undefined);
    await checkEncoderSettings(this.binaries.ffmpeg, output, container, info, this.options.extra, signal, this.chosen.settings);
    // Printed once by the pipeline, from the result's warnings, and kept in the report.
    this.warnings.push(...this.chosen.warnings);
    this.info = info;
    this.container = container;
    if (this.part) await ClusterPartStore.prepare(output);
    else {
      this.notes.push(...(await sweepAndReport(output, this.logger)));
      this.chunked = await this.openChunked(output, info);
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

  /**
   * Journaled parts for a video input on ffmpeg 5.0+ unless `partSeconds` is 0. A sequence input
   * has no single file to identify, and older ffmpeg needs a remux stage per part; both are written
   * in one piece, as before.
   */
  private async openChunked(output: string, info: SinkOpenInfo): Promise<ChunkedOutput | undefined> {
    const extra = this.options.extra ?? {};
    const partSeconds = optionOf(extra, 'partSeconds', 'a number of seconds (0: one piece)', isNumber) ?? DEFAULT_PART_SECONDS;
    const fresh = optionOf(extra, 'fresh', 'true or false', isBoolean) ?? false;
    if (partSeconds <= 0) return undefined;
    this.chunkSeconds = partSeconds;
    if (info.source.kind !== 'video') return undefined;
    if (!versionAtLeast(this.binaries!.ffmpeg.version, 5, 0)) {
      const note = `written in one piece, so an interrupted run starts over: resumable parts need ffmpeg 5.0 or later (this is ${this.binaries!.ffmpeg.version.raw})`;
      this.logger.info(note);
      this.notes.push(note);
      return undefined;
    }
    const encoder = encoderSettings(this.container!, info.layout, extra).settings;
    // The caller's pixel-affecting settings (model, backend, dedupe…), compared as text on a resume.
    const given = extra.journalSettings;
    const caller = typeof given === 'object' && given !== null ? Object.fromEntries(Object.entries(given).map(([k, v]) => [k, String(v)])) : {};
    const settings = { ...caller, ...encoderJournalSettings(encoder), output };
    const chunked = await ChunkedOutput.open({ output, input: info.source.path, settings, partSeconds, fresh, logger: this.logger });
    this.notes.push(...chunked.notes);
    const message = chunked.resumeMessage(info.source);
    if (message) {
      this.logger.info(message);
      this.notes.push(message);
    }
    return chunked;
  }

  /** Starts ffmpeg at the first frame: the video's start time is needed to line it up with the audio. */
  private async start(first: Frame | undefined): Promise<void> {
    const info = this.info!;
    const container = this.container!;
    const details = info.source.kind === 'video' && isVideoSourceDetails(info.source.details) ? info.source.details : undefined;
    const { notes } = encoderSettings(container, info.layout, this.options.extra);
    const settings = this.chosen!.settings;
    const video = videoEncodeArgs({ settings, container, width: info.width, height: info.height, color: yuvColour(info.source.color), variableFrameRate: info.source.variableFrameRate, legacyFfmpeg: !versionAtLeast(this.binaries!.ffmpeg.version, 5, 0) });
    const streams = details ? streamMapArgs(container, details, settings) : { args: [], notes: [], warnings: [] };
    this.notes.push(...notes, ...this.chosen!.notes, ...video.notes, ...streams.notes);
    this.warnings.push(...video.warnings, ...streams.warnings);

    // Without a frame (every part was committed before an interruption) the journal's origin is used below.
    this.timeBase = first ? reduceRational(first.timeBase) : (this.chunked?.origin?.timeBase ?? { num: 1, den: 1 });
    // A cluster part's timeline starts at the input's frame 0, as the local run's does.
    this.firstPts = first ? (this.part?.originPts ?? first.pts) : 0;
    const videoOffsetSeconds = details && first ? secondsOf(this.firstPts, this.timeBase) - zeroPointSeconds(container, details) : 0;
    this.joinArgs = {
      videoOffsetSeconds,
      original: details ? info.source.path : undefined,
      streamArgs: streams.args,
      videoTags: details?.videoTags ?? {},
      movFlags: (container === 'mp4' || container === 'mov') && yuvColour(info.source.color) !== undefined ? ['-movflags', '+write_colr'] : [],
      alphaVideo: settings.pixelFormat.startsWith('yuva'),
    };
    // A resumed run keeps the timeline the first run set up from its frame 0.
    const origin = this.chunked?.origin;
    if (origin) {
      this.timeBase = origin.timeBase;
      this.firstPts = origin.firstPts;
      this.joinArgs = { ...this.joinArgs, videoOffsetSeconds: origin.videoOffsetSeconds };
      this.lastPts = this.chunked?.lastPts ?? -Infinity;
    }
    this.nut = new NutWriter({
      width: info.width,
      height: info.height,
      layout: info.layout,
      timeBase: this.timeBase,
      frameRate: lastFrameRate(info, details, this.timeBase),
      sampleAspectRatio: details?.sampleAspectRatio,
    });
    const partFormat = container === 'mkv' || container === 'webm' ? MATROSKA_PARTS : NUT_PARTS;
    if (this.part) {
      const origin = { timeBase: this.timeBase, firstPts: this.firstPts, videoOffsetSeconds };
      const store = new ClusterPartStore({ output: resolve(this.options.output), ...this.part }, origin, this.joinArgs);
      const timingArgs = [...passthroughTimingArgs(this.binaries!.ffmpeg.version), '-enc_time_base:v', `${this.timeBase.num}:${this.timeBase.den}`];
      // One encoder run for the whole part: it is the unit a worker commits.
      this.partWriter = new PartsWriter({ ffmpeg: this.binaries!.ffmpeg.path, journal: store, nut: this.nut, videoArgs: video.args, timingArgs, timeBase: this.timeBase, partSeconds: Infinity, logger: this.logger, format: partFormat });
      return;
    }
    if (this.chunked) {
      const timingArgs = [...passthroughTimingArgs(this.binaries!.ffmpeg.version), '-enc_time_base:v', `${this.timeBase.num}:${this.timeBase.den}`];
      return this.chunked.begin(
        { timeBase: this.timeBase, firstPts: this.firstPts, videoOffsetSeconds: this.joinArgs.videoOffsetSeconds },
        { ffmpeg: this.binaries!.ffmpeg.path, nut: this.nut, videoArgs: video.args, timingArgs, timeBase: this.timeBase, partSeconds: this.chunkSeconds, logger: this.logger, format: partFormat },
      );
    }
    const commands = encodeCommands({
      version: this.binaries!.ffmpeg.version,
      container,
      output: this.workspace!.file,
      timeBase: this.timeBase,
      videoOffsetSeconds,
      original: details ? info.source.path : undefined,
      videoArgs: video.args,
      streamArgs: streams.args,
      videoTags: details?.videoTags ?? {},
      writeColour: yuvColour(info.source.color) !== undefined,
      alphaVideo: settings.pixelFormat.startsWith('yuva'),
    });
    this.logger.debug(`video sink: ffmpeg ${commands.map((c) => c.join(' ')).join(' | ')}`);
    this.tools = commands.map((args, i) => startTool(this.binaries!.ffmpeg.path, args, { stdin: 'pipe', stdout: i < commands.length - 1 ? 'pipe' : 'ignore' }, 'encode'));
    for (let i = 1; i < this.tools.length; i++) this.tools[i - 1].child.stdout!.pipe(this.tools[i].child.stdin!);
    this.tools[0].child.stdin!.write(this.nut.header());
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
    let pts = rescale(frame.pts, frame.timeBase, this.timeBase) - this.firstPts!;
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
      stdin.write(this.nut!.frameHeader(pts, frame.data.length));
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
      await chunked.join(this.binaries!.ffmpeg.path, this.binaries!.ffprobe.path, this.workspace!.file, this.joinArgs);
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
    const statuses = await Promise.all(this.tools.map((t) => Promise.race([t.exited, delay(2000).then(() => undefined)])));
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

/**
 * Where ffmpeg's output timeline puts the original's zero: it shifts the original so its earliest
 * timestamp becomes 0, and the video is offset to match. A Matroska/WebM file that starts before
 * zero (Opus's codec delay: audio at -6.5 ms) is the exception: the muxer and demuxer move the
 * audio back by the codec delay on their own, so subtracting the negative start too would put the
 * video that much late (it was +7 ms).
 */
function zeroPointSeconds(container: VideoContainer, details: VideoSourceDetails): number {
  const matroska = container === 'webm' || container === 'mkv';
  return matroska && details.formatStartSeconds < 0 ? 0 : details.formatStartSeconds;
}

function delay(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms).unref());
}

/**
 * The rate ffmpeg uses for the duration of the last frame: the source's own last-frame duration
 * when it is variable-rate, else its frame rate; a sequence without timing falls back to 25 fps.
 */
function lastFrameRate(info: SinkOpenInfo, details: VideoSourceDetails | undefined, timeBase: Rational): Rational {
  // An animation's last frame lasts its own delay, in the same time base as its pts.
  const animation = isAnimationDetails(info.source.details) ? rescale(info.source.details.lastFrameDuration, info.source.timeBase, timeBase) : undefined;
  const last = details?.lastFrameDuration ?? animation;
  if (info.source.variableFrameRate && last && last > 0) return reduceRational({ num: timeBase.den, den: last * timeBase.num });
  return info.source.frameRate ?? { num: 25, den: 1 };
}
