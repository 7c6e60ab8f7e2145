import type { Frame, Rational, SinkOpenInfo, SinkOptions } from '@upframe/core';
import { isAnimationDetails } from './animation-probe.js';
import { encoderSettings, videoEncodeArgs, yuvColour, type EncoderSettings, type VideoContainer } from './encoder-args.js';
import { passthroughTimingArgs, versionAtLeast, type FfmpegVersion } from './ffmpeg-version.js';
import type { JoinCommandInput } from './join-parts.js';
import { NutWriter } from './nut-writer.js';
import type { StreamOrigin } from './part-journal.js';
import { MATROSKA_PARTS, NUT_PARTS, type PartFormat } from './parts-writer.js';
import { streamMapArgs } from './stream-mapping.js';
import { reduceRational, rescale, secondsOf } from './timing.js';
import { isVideoSourceDetails, type VideoSourceDetails } from './video-probe.js';

export interface VideoEncodePlanInput {
  readonly info: SinkOpenInfo;
  readonly container: VideoContainer;
  /** The encoder settings chosen for the source (pixel format and all). */
  readonly settings: EncoderSettings;
  readonly version: FfmpegVersion;
  readonly extra: SinkOptions['extra'];
  /** The first frame, or none when every frame was committed by an interrupted run. */
  readonly first: Frame | undefined;
  /** A cluster part's timeline starts at the input's frame 0 (this pts), as a local run's does. */
  readonly originPts?: number;
  /** A resumed run keeps the timeline its first run set up from frame 0. */
  readonly resumed?: StreamOrigin;
  /** What choosing the pixel format had to say, placed after the encoder's own notes. */
  readonly formatNotes: readonly string[];
}

/** Everything the video sink needs to start its encoder(s), decided at the first frame. */
export interface VideoEncodePlan {
  readonly timeBase: Rational;
  /** Input pts of output pts 0. */
  readonly firstPts: number;
  /** The video's offset against the original's other streams, in seconds. */
  readonly videoOffsetSeconds: number;
  readonly joinArgs: Omit<JoinCommandInput, 'list' | 'output'>;
  readonly videoArgs: readonly string[];
  /** ffmpeg's timing arguments for an encoder fed NUT in `timeBase` (every pts kept). */
  readonly timingArgs: readonly string[];
  readonly streamArgs: readonly string[];
  readonly details?: VideoSourceDetails;
  readonly nut: NutWriter;
  readonly partFormat: PartFormat;
  readonly notes: readonly string[];
  readonly warnings: readonly string[];
}

export function planVideoEncode(o: VideoEncodePlanInput): VideoEncodePlan {
  const { info, container, settings, first } = o;
  const details = info.source.kind === 'video' && isVideoSourceDetails(info.source.details) ? info.source.details : undefined;
  const { notes } = encoderSettings(container, info.layout, o.extra);
  const video = videoEncodeArgs({ settings, container, width: info.width, height: info.height, color: yuvColour(info.source.color), variableFrameRate: info.source.variableFrameRate, legacyFfmpeg: !versionAtLeast(o.version, 5, 0) });
  const streams = details ? streamMapArgs(container, details, settings) : { args: [], notes: [], warnings: [] };
  let timeBase = first ? reduceRational(first.timeBase) : (o.resumed?.timeBase ?? { num: 1, den: 1 });
  let firstPts = first ? (o.originPts ?? first.pts) : 0;
  let videoOffsetSeconds = details && first ? secondsOf(firstPts, timeBase) - zeroPointSeconds(container, details) : 0;
  if (o.resumed) ({ timeBase, firstPts, videoOffsetSeconds } = o.resumed);
  const joinArgs = {
    videoOffsetSeconds,
    original: details ? info.source.path : undefined,
    streamArgs: streams.args,
    videoTags: details?.videoTags ?? {},
    movFlags: (container === 'mp4' || container === 'mov') && yuvColour(info.source.color) !== undefined ? ['-movflags', '+write_colr'] : [],
    alphaVideo: settings.pixelFormat.startsWith('yuva'),
  };
  const nut = new NutWriter({ width: info.width, height: info.height, layout: info.layout, timeBase, frameRate: lastFrameRate(info, details, timeBase), sampleAspectRatio: details?.sampleAspectRatio });
  return {
    timeBase,
    firstPts,
    videoOffsetSeconds,
    joinArgs,
    videoArgs: video.args,
    timingArgs: [...passthroughTimingArgs(o.version), '-enc_time_base:v', `${timeBase.num}:${timeBase.den}`],
    streamArgs: streams.args,
    details,
    nut,
    partFormat: container === 'mkv' || container === 'webm' ? MATROSKA_PARTS : NUT_PARTS,
    notes: [...notes, ...o.formatNotes, ...video.notes, ...streams.notes],
    warnings: [...video.warnings, ...streams.warnings],
  };
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
