import { resolve } from 'node:path';
import { inject, injectable } from 'tsyringe';
import { cancelledError, frameBytes, TOKENS, UpframeError } from '@upframe/core';
import type { Frame, FrameSource, Logger, SourceInfo, SourceOptions } from '@upframe/core';
import { startTool, type RunningTool } from './child-process.js';
import { decoderSecurityWarning, describeBinaries, resolveFfmpegBinaries, type FfmpegBinaries } from './ffmpeg-binaries.js';
import { passthroughTimingArgs } from './ffmpeg-version.js';
import { probeMedia, probePacketTimes } from './ffprobe.js';
import { FrameChunker } from './frame-chunker.js';
import { assertInputFile, identityOf } from './input-file.js';
import { binaryOptions } from './stage-options.js';
import { describeVideo, pickVideoStream, type VideoProbe } from './video-probe.js';

/**
 * Decodes a video file through an ffmpeg pipe (`-f rawvideo`) straight into frames.
 *
 * Every decoded frame is emitted exactly once (`passthrough` timing: ffmpeg neither drops nor
 * duplicates) and carries the pts of its packet from the probe. A damaged or cut file yields the
 * frames that decode and then ends; `info.frameCount` keeps the number the file promised, so the
 * pipeline's count check fails loudly instead of writing a short video silently.
 */
@injectable()
export class FfmpegSource implements FrameSource {
  readonly name = 'video';
  private readonly options: SourceOptions;
  private probed?: VideoProbe;
  private binaries?: FfmpegBinaries;
  private readonly tools = new Set<RunningTool>();
  private decoded = 0;
  private started = false;

  constructor(
    @inject(TOKENS.StageOptions) options: Readonly<Record<string, unknown>>,
    @inject(TOKENS.Logger) private readonly logger: Logger,
  ) {
    this.options = options as unknown as SourceOptions;
  }

  /** Frames decoded so far (after the loop ends: all that could be decoded). */
  get framesDecoded(): number {
    return this.decoded;
  }

  /** The binaries in use, once opened (for reports). */
  get ffmpegBinaries(): FfmpegBinaries | undefined {
    return this.binaries;
  }

  async open(signal?: AbortSignal): Promise<SourceInfo> {
    if (this.probed) return this.probed.info;
    const file = resolve(this.options.input);
    const stats = await assertInputFile(file);
    const binaries = await resolveFfmpegBinaries(binaryOptions(this.options.extra));
    const probe = await probeMedia(binaries.ffprobe, file, signal);
    const stream = pickVideoStream(probe);
    const packets = stream
      ? await probePacketTimes(binaries.ffprobe, file, stream.index, signal)
      : { pts: [], total: 0, discarded: 0, untimed: 0 };
    const probed = describeVideo(file, probe, packets, identityOf(file, stats));
    if (probed.info.frameCount === 0) {
      throw new UpframeError('INPUT_INVALID', `${file}: the video stream holds no frames`, { file });
    }
    this.logger.debug(`video source: ${describeBinaries(binaries)}`);
    const security = decoderSecurityWarning(binaries.ffmpeg);
    if (security) this.logger.warn(security);
    for (const warning of probed.warnings) this.logger.warn(warning);
    this.binaries = binaries;
    this.probed = probed;
    return probed.info;
  }

  async *frames(signal?: AbortSignal): AsyncGenerator<Frame> {
    if (this.started) throw new UpframeError('USAGE', 'FfmpegSource.frames() can be iterated only once');
    this.started = true;
    await this.open(signal);
    const { info, pts, durations, inputArgs, details } = this.probed!;
    const ffmpeg = this.binaries!.ffmpeg;
    const args = [
      '-nostdin', '-hide_banner', '-loglevel', 'error',
      ...inputArgs,
      '-i', info.path,
      '-map', `0:${details.streamIndex}`,
      ...passthroughTimingArgs(ffmpeg.version),
      '-f', 'rawvideo', '-pix_fmt', info.layout === 'rgba' ? 'rgba' : 'rgb24',
      'pipe:1',
    ];
    if (signal?.aborted) throw cancelledError(signal.reason);
    const tool = startTool(ffmpeg.path, args);
    this.tools.add(tool);
    const onAbort = () => void tool.kill();
    signal?.addEventListener('abort', onAbort, { once: true });
    const chunker = new FrameChunker(frameBytes(info.width, info.height, info.layout));
    const lastDuration = durations.at(-1) ?? 1;
    try {
      try {
        for await (const chunk of tool.child.stdout!) {
          for (const data of chunker.push(chunk as Buffer)) {
            const index = this.decoded;
            const known = index < pts.length;
            const framePts = known ? pts[index] : pts.at(-1)! + (index - pts.length + 1) * lastDuration;
            this.decoded++;
            yield {
              index,
              pts: framePts,
              timeBase: info.timeBase,
              duration: known ? durations[index] : lastDuration,
              width: info.width,
              height: info.height,
              layout: info.layout,
              data,
            };
          }
        }
      } catch (error) {
        if (!signal?.aborted) throw new UpframeError('FFMPEG_FAILED', `reading decoded frames of ${info.path} failed: ${(error as Error).message}`, { file: info.path, cause: error });
      }
      const status = await tool.exited;
      if (signal?.aborted) throw cancelledError(signal.reason);
      if (status.spawnError) throw new UpframeError('FFMPEG_NOT_FOUND', `cannot run ffmpeg (${ffmpeg.path}): ${status.spawnError.message}`, { cause: status.spawnError });
      if (status.code !== 0) {
        const how = status.signal ? `was killed by ${status.signal}` : `exited with code ${status.code}`;
        throw new UpframeError('FFMPEG_FAILED', `ffmpeg ${how} while decoding ${info.path} after ${this.decoded} frames:\n${tool.stderrTail()}`, { file: info.path });
      }
      this.reportShortfall(chunker.pending, tool.stderrTail(5));
    } finally {
      signal?.removeEventListener('abort', onAbort);
      await tool.kill();
      this.tools.delete(tool);
    }
  }

  private reportShortfall(pendingBytes: number, stderr: string): void {
    const { info, pts } = this.probed!;
    const expected = info.frameCount ?? pts.length;
    const why = stderr ? ` ffmpeg said:\n${stderr}` : '';
    if (pendingBytes > 0) this.logger.warn(`${info.path}: decoder output ended inside a frame (${pendingBytes} stray bytes dropped).${why}`);
    if (this.decoded < expected) {
      this.logger.warn(`${info.path}: decoded ${this.decoded} of ${expected} frames; the file is truncated or damaged.${why}`);
    } else if (this.decoded > pts.length) {
      this.logger.warn(`${info.path}: decoded ${this.decoded} frames but probed ${pts.length} timestamps; later frames got extrapolated timestamps.`);
    }
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.tools].map((t) => t.kill()));
    this.tools.clear();
  }
}
