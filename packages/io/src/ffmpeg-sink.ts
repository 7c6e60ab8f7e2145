import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { inject, injectable } from 'tsyringe';
import { cancelledError, TOKENS, UpframeError } from '@upframe/core';
import type { Frame, FrameSink, Logger, Rational, SinkOpenInfo, SinkOptions, SinkResult } from '@upframe/core';
import { guardOutput } from './output-guard.js';
import { commitFile, createWorkspace, discardWorkspace, sweepAndReport, type Workspace } from './temp-workspace.js';
import { startTool, type RunningTool } from './child-process.js';
import { encodeCommands } from './encode-command.js';
import { checkEncoderSettings } from './encoder-check.js';
import { encoderFailureMessage } from './encoder-exit.js';
import { diskFullFromToolOutput } from './write-errors.js';
import { versionAtLeast } from './ffmpeg-version.js';
import { containerOf, encoderSettings, VIDEO_SINK_OPTIONS, videoEncodeArgs, yuvColour, type VideoContainer } from './encoder-args.js';
import { describeBinaries, resolveFfmpegBinaries, type FfmpegBinaries } from './ffmpeg-binaries.js';
import { NutWriter } from './nut-writer.js';
import { OwnedSelector } from './owned-selector.js';
import { binaryOptions, unknownOptions } from './stage-options.js';
import { streamMapArgs } from './stream-mapping.js';
import { reduceRational, rescale, secondsOf } from './timing.js';
import { isVideoSourceDetails, type VideoSourceDetails } from './video-probe.js';

/**
 * Encodes frames into a video file. Frames travel to ffmpeg in a NUT stream on stdin, each with its
 * own pts, so variable frame rate survives; audio, subtitles, chapters and metadata are copied from
 * the original file as a second input. Writes go to a private workspace folder (temp-workspace.ts) committed on `close()`.
 */
@injectable()
export class FfmpegSink implements FrameSink {
  readonly name = 'video';
  private info?: SinkOpenInfo;
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
  private signal?: AbortSignal;
  private aborting?: Promise<void>;
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
    encoderSettings(container, info.layout, this.options.extra);
    const unknown = unknownOptions(this.options.extra, VIDEO_SINK_OPTIONS);
    if (unknown.length) this.logger.warn(`video sink: ignoring unknown option(s) ${unknown.join(', ')}; known: ${VIDEO_SINK_OPTIONS.join(', ')}`);
    await guardOutput(output, { kind: 'file', overwrite: this.options.overwrite, inputs: [info.source.path] });
    this.binaries = await resolveFfmpegBinaries(binaryOptions(this.options.extra));
    this.logger.debug(`video sink: ${describeBinaries(this.binaries)}`);
    await checkEncoderSettings(this.binaries.ffmpeg, output, container, info, this.options.extra, signal);
    this.info = info;
    this.container = container;
    this.notes.push(...(await sweepAndReport(output, this.logger)));
    this.workspace = await createWorkspace(output);
    this.signal = signal;
    signal?.addEventListener('abort', () => void this.abort(signal.reason), { once: true });
  }

  /** Starts ffmpeg at the first frame: the video's start time is needed to line it up with the audio. */
  private start(first: Frame): void {
    const info = this.info!;
    const container = this.container!;
    const details = info.source.kind === 'video' && isVideoSourceDetails(info.source.details) ? info.source.details : undefined;
    const { settings, notes } = encoderSettings(container, info.layout, this.options.extra);
    const video = videoEncodeArgs({ settings, container, width: info.width, height: info.height, color: yuvColour(info.source.color), variableFrameRate: info.source.variableFrameRate, legacyFfmpeg: !versionAtLeast(this.binaries!.ffmpeg.version, 5, 0) });
    const streams = details ? streamMapArgs(container, details, settings) : { args: [], notes: [], warnings: [] };
    this.notes.push(...notes, ...video.notes, ...streams.notes);
    this.warnings.push(...video.warnings, ...streams.warnings);

    this.timeBase = reduceRational(first.timeBase);
    this.firstPts = first.pts;
    this.nut = new NutWriter({
      width: info.width,
      height: info.height,
      layout: info.layout,
      timeBase: this.timeBase,
      frameRate: lastFrameRate(info, details, this.timeBase),
      sampleAspectRatio: details?.sampleAspectRatio,
    });
    const commands = encodeCommands({
      version: this.binaries!.ffmpeg.version,
      container,
      output: this.workspace!.file,
      timeBase: this.timeBase,
      videoOffsetSeconds: details ? secondsOf(first.pts, this.timeBase) - zeroPointSeconds(container, details) : 0,
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
    if (this.tools.length === 0) this.start(frame);
    let pts = rescale(frame.pts, frame.timeBase, this.timeBase) - this.firstPts!;
    // Muxers reject repeated timestamps; nudge by one tick and say so rather than fail the run.
    if (pts <= this.lastPts) {
      pts = this.lastPts + 1;
      this.adjusted++;
    }
    this.lastPts = pts;
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
    this.finished = true;
    const { replaced } = await commitFile(this.workspace!, output, { overwrite: Boolean(this.options.overwrite) });
    this.replaced = replaced ? 1 : 0;
    if (this.adjusted) {
      const moved = `${this.adjusted} frame(s) had a timestamp not after the previous one and were moved one tick later`;
      this.notes.push(moved);
      this.warnings.push(moved);
    }
    return { output, framesWritten: this.written, replaced: this.replaced, notes: [...this.notes], warnings: [...this.warnings] };
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
  const last = details?.lastFrameDuration;
  if (info.source.variableFrameRate && last && last > 0) return reduceRational({ num: timeBase.den, den: last * timeBase.num });
  return info.source.frameRate ?? { num: 25, den: 1 };
}
