import { resolve } from 'node:path';
import { inject, injectable } from 'tsyringe';
import { cancelledError, frameBytes, isUpframeError, TOKENS, UpframeError } from '@upframe/core';
import type { Frame, FrameSource, Logger, PixelLayout, SourceInfo, SourceOptions } from '@upframe/core';
import { startTool, type RunningTool } from './child-process.js';
import { decoderSecurityWarning, describeBinaries, resolveFfmpegBinaries, type FfmpegBinaries } from './ffmpeg-binaries.js';
import { canReportTimestamps, DecodedTimestamps, TIMESTAMP_FILTER } from './decoded-timestamps.js';
import { passthroughTimingArgs } from './ffmpeg-version.js';
import { probeMedia, probePacketTimes } from './ffprobe.js';
import { FrameChunker } from './frame-chunker.js';
import { FrameTimeline } from './frame-timeline.js';
import { deinterlaceFilter, detectWithIdet, parseDeinterlaceMode, perFieldTiming, scanFromFieldOrder, type ScanType } from './interlace.js';
import { assertInputFile, identityOf } from './input-file.js';
import { binaryOptions } from './stage-options.js';
import { describeVideo, pickVideoStream, type VideoProbe } from './video-probe.js';

/**
 * Decodes a video file through an ffmpeg pipe (`-f rawvideo`) straight into frames.
 *
 * Every decoded frame is emitted exactly once (`passthrough` timing: ffmpeg neither drops nor
 * duplicates) and carries the pts the decoder gave it, reported per frame on stderr (see
 * `decoded-timestamps.ts` for why the k-th probed pts is not good enough). A damaged file yields
 * the frames that decode, with gaps in their pts where frames were lost: `info.ptsOrigin` says so
 * and `info.expectedPts` lists the probed packets, so the pipeline can name the lost frames. A cut
 * file ends early; `info.frameCount` keeps the number it promised, so the count check fails loudly.
 * Streams without packet pts (raw elementary streams, AVI) get the k-th probed or synthesised pts.
 */
@injectable()
export class FfmpegSource implements FrameSource {
  readonly name = 'video';
  private probed?: VideoProbe;
  private binaries?: FfmpegBinaries;
  private readonly tools = new Set<RunningTool>();
  private decoded = 0;
  /** Global index of the next frame to yield (frames keep their index after a seek). */
  private next = 0;
  private started = false;
  /** Where a resumed run starts: frame `index`, at probed pts `pts`, reached by seeking to the keyframe at `seconds`. */
  private seek?: { index: number; pts: number; seconds: number };
  private keyframes: readonly number[] = [];
  private formatStart = 0;
  /** Each frame's pts and duration (set by open()). */
  private timeline?: FrameTimeline;
  /** The bwdif filter placed before the model (and before showinfo, so pts are the output frames'). */
  private deinterlace?: string;

  constructor(
    @inject(TOKENS.SourceOptions) private readonly options: SourceOptions,
    @inject(TOKENS.Logger) private readonly logger: Logger,
  ) {}

  /** Frames decoded so far, counting those a seek decoded only to reach its start (after the loop ends: all that could be decoded). */
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
    // The packet listing starts with the stream probe, for the first video stream: nearly always
    // the one picked, and then the two tool runs overlap instead of following each other.
    const firstVideo = probePacketTimes(binaries.ffprobe, file, 'v:0', signal);
    firstVideo.catch(() => undefined);
    const probe = await probeMedia(binaries.ffprobe, file, signal);
    const stream = pickVideoStream(probe);
    const packets = !stream
      ? { pts: [], total: 0, discarded: 0, untimed: 0 }
      : stream === probe.streams.find((s) => s.codec_type === 'video')
        ? await firstVideo
        : await probePacketTimes(binaries.ffprobe, file, stream.index, signal);
    const probed = describeVideo(file, probe, packets, identityOf(file, stats));
    if (probed.info.frameCount === 0) {
      throw new UpframeError('INPUT_INVALID', `${file}: the video stream holds no frames`, { file });
    }
    this.logger.debug(`video source: ${describeBinaries(binaries)}`);
    const security = decoderSecurityWarning(binaries.ffmpeg);
    if (security) this.logger.warn(security);
    for (const warning of probed.warnings) this.logger.warn(warning);
    const decoderPts = probed.packetPts && (await canReportTimestamps(binaries.ffmpeg));
    if (probed.packetPts && !decoderPts) this.logger.debug(`${describeBinaries(binaries)} cannot report decoded timestamps (showinfo): frames lost inside ${file} can only be counted`);
    const timed: SourceInfo = decoderPts ? { ...probed.info, ptsOrigin: 'decoder', expectedPts: probed.pts } : { ...probed.info, ptsOrigin: 'index' };
    const scan = await this.scanType(binaries, file, probe.streams.find((s) => s.index === probed.details.streamIndex)?.field_order, probed.details.streamIndex, signal);
    let info: SourceInfo = { ...timed, details: { ...timed.details, scan: scan.how, ...(this.deinterlace ? { deinterlace: this.deinterlace } : {}) }, ...(scan.notice ? { warnings: [scan.notice] } : {}) };
    let timing = { pts: probed.pts, durations: probed.durations };
    if (this.deinterlace?.includes('send_field')) {
      // One frame per field: twice the frames at twice the rate, each with its own pts.
      const fields = perFieldTiming(info.timeBase, probed.pts, probed.durations);
      const rate = info.frameRate;
      timing = fields;
      info = {
        ...info,
        timeBase: fields.timeBase,
        frameRate: rate ? { num: rate.num * 2, den: rate.den } : undefined,
        frameCount: info.frameCount === undefined ? undefined : info.frameCount * 2,
        ...(info.expectedPts ? { expectedPts: fields.pts } : {}),
      };
    }
    this.binaries = binaries;
    this.keyframes = packets.keyframePts ?? [];
    this.formatStart = Number(probe.format.start_time) || 0;
    this.probed = { ...probed, ...timing, info };
    this.timeline = new FrameTimeline(this.probed, decoderPts, this.logger);
    return info;
  }

  /**
   * A resumed run starts at frame `index`: ffmpeg seeks (`-ss` before `-i`, no accurate-seek trim)
   * to the last keyframe at or before its pts, and the frames decoded before it are dropped by
   * pts. Only where that is exact: the decoder reports pts on the probed timeline (`-copyts`
   * keeps them there, so the gap detector and the duration lookup work as for a whole run), the
   * probe listed keyframes, and no deinterlacer renumbers the frames. Otherwise this does nothing
   * and the pipeline skips the committed frames as they are decoded.
   */
  startAt(index: number): void {
    const probed = this.probed;
    if (!probed || this.started || index <= 0 || !this.timeline?.decoderPts || this.deinterlace) return;
    const target = probed.pts[index];
    if (target === undefined) return;
    const key = this.keyframes.findLast((k) => k <= target);
    if (key === undefined || key <= probed.pts[0]) return; // the first keyframe: a seek saves nothing
    const tb = probed.info.timeBase;
    // `-ss` counts from the file's start time (ffmpeg adds it), the keyframe pts from zero.
    this.seek = { index, pts: target, seconds: Math.max(0, (key * tb.num) / tb.den - this.formatStart) };
  }

  async *frames(signal?: AbortSignal): AsyncGenerator<Frame> {
    if (this.started) throw new UpframeError('USAGE', 'FfmpegSource.frames() can be iterated only once');
    this.started = true;
    await this.open(signal);
    if (this.seek) {
      const seek = this.seek;
      if ((yield* this.decode(signal, seek)) === 'done') return;
      // Nothing was yielded yet, so starting over from frame 0 is safe; the pipeline skips the committed frames.
      this.logger.warn(`${this.probed!.info.path}: seeking to frame ${seek.index} did not land on its timestamp; decoding from the start instead`);
      this.seek = undefined;
      this.timeline!.restart();
      this.next = 0;
    }
    yield* this.decode(signal);
  }

  /** One ffmpeg decode; with `seek`, ends early with 'missed' (before yielding anything) when the seek did not land on the frame's pts. */
  private async *decode(signal: AbortSignal | undefined, seek?: { index: number; pts: number; seconds: number }): AsyncGenerator<Frame, 'done' | 'missed'> {
    const { info, inputArgs, details } = this.probed!;
    const ffmpeg = this.binaries!.ffmpeg;
    const decoderPts = this.timeline!.decoderPts;
    const args = [
      '-nostdin', '-hide_banner', '-nostats', '-loglevel', decoderPts ? 'level+info' : 'error',
      ...inputArgs,
      ...(decoderPts ? ['-copyts'] : []),
      ...(seek ? ['-noaccurate_seek', '-ss', seek.seconds.toFixed(6)] : []),
      '-i', info.path,
      '-map', `0:${details.streamIndex}`,
      ...filterArgs([this.deinterlace, decoderPts ? TIMESTAMP_FILTER : undefined]),
      ...passthroughTimingArgs(ffmpeg.version),
      '-f', 'rawvideo', '-pix_fmt', RAW_PIX_FMT[info.layout],
      'pipe:1',
    ];
    if (signal?.aborted) throw cancelledError(signal.reason);
    const tool = startTool(ffmpeg.path, args, {}, 'decode');
    this.tools.add(tool);
    const reported = decoderPts ? new DecodedTimestamps(tool.child.stderr!) : undefined;
    const stderrTail = (lines?: number) => reported?.tail(lines) ?? tool.stderrTail(lines);
    const onAbort = () => void tool.kill();
    signal?.addEventListener('abort', onAbort, { once: true });
    const chunker = new FrameChunker(frameBytes(info.width, info.height, info.layout));
    /** Frames this ffmpeg has decoded: showinfo's `n`. */
    let n = 0;
    if (seek) this.next = seek.index;
    try {
      try {
        for await (const chunk of tool.child.stdout!) {
          for (const data of chunker.push(chunk as Buffer)) {
            const index = this.next;
            const timing = seek && index === seek.index ? await this.timeline!.seeked(n, reported!, signal) : await this.timeline!.of(index, n, reported, signal);
            n++;
            this.decoded++;
            if (!timing) return 'missed';
            if (seek && index === seek.index) {
              if (timing.pts > seek.pts) return 'missed';
              if (timing.pts < seek.pts) continue; // decoded only to reach the resume point
            }
            this.next++;
            yield {
              index,
              ...timing,
              timeBase: info.timeBase,
              width: info.width,
              height: info.height,
              layout: info.layout,
              data,
            };
          }
        }
      } catch (error) {
        if (isUpframeError(error) && !signal?.aborted) throw error;
        if (!signal?.aborted) throw new UpframeError('FFMPEG_FAILED', `reading decoded frames of ${info.path} failed: ${(error as Error).message}`, { file: info.path, cause: error });
      }
      const status = await tool.exited;
      if (signal?.aborted) throw cancelledError(signal.reason);
      if (status.spawnError) throw new UpframeError('FFMPEG_NOT_FOUND', `cannot run ffmpeg (${ffmpeg.path}): ${status.spawnError.message}`, { cause: status.spawnError });
      if (status.code !== 0) {
        const how = status.signal ? `was killed by ${status.signal}` : `exited with code ${status.code}`;
        throw new UpframeError('FFMPEG_FAILED', `ffmpeg ${how} while decoding ${info.path} after ${this.next} frames:\n${stderrTail()}`, { file: info.path });
      }
      if (seek && this.next === seek.index) return 'missed';
      this.reportShortfall(chunker.pending, stderrTail(5));
      return 'done';
    } finally {
      signal?.removeEventListener('abort', onAbort);
      await tool.kill();
      this.tools.delete(tool);
    }
  }

  /**
   * Interlaced or not, and the filter that deinterlaces it. A stream's field_order is trusted when
   * it says: tt/bb/tb/bt are interlaced, "progressive" is not. Only when it is missing or
   * "unknown" does idet look at the first frames. A stored "progressive" is not second-guessed:
   * idet reads fast progressive motion as combing (testsrc2 at 25 fps, progressive: 50 of 50
   * frames "TFF"), and deinterlacing a progressive video softens every moving edge of every frame,
   * a silent loss of its own. A combed file mis-tagged progressive takes `--deinterlace frame`.
   */
  private async scanType(binaries: FfmpegBinaries, file: string, fieldOrder: string | undefined, streamIndex: number, signal?: AbortSignal): Promise<{ how: string; notice?: string }> {
    const mode = parseDeinterlaceMode(this.options.extra?.deinterlace ?? 'auto');
    if (mode === 'off') return { how: `not checked (--deinterlace off)` };
    const scan: ScanType = scanFromFieldOrder(fieldOrder) ?? (await detectWithIdet(binaries.ffmpeg, file, streamIndex, signal));
    if (mode === 'auto' && !scan.interlaced) return { how: scan.how };
    const perFrame = mode === 'field' ? 'field' : 'frame';
    this.deinterlace = deinterlaceFilter(perFrame, scan);
    const why = mode === 'auto' ? `interlaced (${scan.how})` : `deinterlaced as asked (--deinterlace ${mode}; ${scan.how})`;
    return {
      how: scan.how,
      notice: `${file}: ${why}; deinterlacing with bwdif, ${perFrame === 'frame' ? 'one frame per frame (count and timestamps kept)' : 'one frame per field (twice the frame rate)'}, before upscaling; --deinterlace off keeps the fields as they are`,
    };
  }

  private reportShortfall(pendingBytes: number, stderr: string): void {
    const { info, pts } = this.probed!;
    const expected = info.frameCount ?? pts.length;
    const why = stderr ? ` ffmpeg said:\n${stderr}` : '';
    if (pendingBytes > 0) this.logger.warn(`${info.path}: decoder output ended inside a frame (${pendingBytes} stray bytes dropped).${why}`);
    if (this.next < expected) {
      this.logger.warn(`${info.path}: decoded ${this.next} of ${expected} frames; the file is truncated or damaged.${why}`);
    } else if (this.next > pts.length && !this.timeline?.decoderPts) {
      this.logger.warn(`${info.path}: decoded ${this.next} frames but probed ${pts.length} timestamps; later frames got extrapolated timestamps.`);
    }
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.tools].map((t) => t.kill()));
    this.tools.clear();
  }
}

/** ffmpeg's name for each frame layout: 16-bit samples little-endian, as core expects. */
const RAW_PIX_FMT: Readonly<Record<PixelLayout, string>> = { rgb24: 'rgb24', rgba: 'rgba', rgb48: 'rgb48le', rgba64: 'rgba64le' };

/** `-vf` with the given filters chained in order, or nothing. */
function filterArgs(filters: readonly (string | undefined)[]): string[] {
  const chain = filters.filter(Boolean);
  return chain.length ? ['-vf', chain.join(',')] : [];
}
