import type { ColorInfo, PixelLayout, Rational, SourceInfo } from '@upframe/core';
import { layoutOf, UpframeError } from '@upframe/core';
import { medianStep } from '@upframe/core/internal';
import type { PacketTimes, ProbeResult, ProbeStream } from './ffprobe.js';
import { pixelFormatBitDepth, pixelFormatChroma, pixelFormatHasAlpha } from './pixel-formats.js';
import { frameDurations, framesMissingAtEnd, isVariableFrameRate, parseRational, reduceRational } from './timing.js';

/** A stream the video sink copies from the original file. */
export interface StreamSummary {
  readonly index: number;
  readonly codec: string;
  readonly language?: string;
  readonly title?: string;
}

/** What the video sink reads from `SourceInfo.details` (opaque to core). */
export interface VideoSourceDetails {
  readonly container: string;
  readonly streamIndex: number;
  readonly codec: string;
  /** Degrees of display rotation ffmpeg applies while decoding (0, 90, 180, 270). */
  readonly rotation: number;
  readonly sampleAspectRatio?: Rational;
  /** Earliest timestamp of any stream, in seconds: the zero point the sink keeps audio in sync against. */
  readonly formatStartSeconds: number;
  /** Duration of the last frame in `timeBase` units, so the output ends where the input does. */
  readonly lastFrameDuration?: number;
  readonly audio: readonly StreamSummary[];
  readonly subtitles: readonly StreamSummary[];
  /** Cover art: video streams flagged `attached_pic`. */
  readonly pictures?: readonly StreamSummary[];
  /** Matroska attachments (fonts, images) and data streams (timecodes), which only some containers hold. */
  readonly attachments?: readonly StreamSummary[];
  readonly dataStreams?: readonly StreamSummary[];
  readonly videoTags: Readonly<Record<string, string>>;
  /** The header promises more frames than the file holds: decoding will yield fewer than `frameCount`. */
  readonly truncated: boolean;
  readonly packetsFound: number;
}

export interface VideoProbe {
  readonly info: SourceInfo;
  readonly details: VideoSourceDetails;
  /** Sorted frame pts in `info.timeBase`, one per frame expected from the decoder. */
  readonly pts: readonly number[];
  readonly durations: readonly number[];
  /**
   * Every probed pts is a packet's own pts, so the decoder's frames carry the same values and a
   * frame it drops leaves a gap (not so for synthesised pts or AVI's dts-only packets).
   */
  readonly packetPts: boolean;
  /** Extra arguments placed before `-i` (a decoder that keeps alpha). */
  readonly inputArgs: readonly string[];
  readonly warnings: readonly string[];
}

/** Whether `details` came from this package's video source (a plugin source may call itself "video" too). */
export function isVideoSourceDetails(details: unknown): details is VideoSourceDetails {
  const d = details as Partial<VideoSourceDetails> | undefined;
  return typeof d?.streamIndex === 'number' && Array.isArray(d.audio) && Array.isArray(d.subtitles) && typeof d.formatStartSeconds === 'number';
}

/** The stream the source decodes: the default video stream, never cover art. */
export function pickVideoStream(probe: ProbeResult): ProbeStream | undefined {
  const video = probe.streams.filter((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
  return video.find((s) => s.disposition?.default) ?? video[0];
}

export function rotationOf(stream: ProbeStream): number {
  const matrix = stream.side_data_list?.find((d) => d.side_data_type === 'Display Matrix' && typeof d.rotation === 'number');
  const degrees = matrix?.rotation ?? Number(stream.tags?.rotate ?? 0);
  return (((Math.round(degrees / 90) * 90) % 360) + 360) % 360;
}

function colorOf(stream: ProbeStream): ColorInfo | undefined {
  const pick = (v?: string) => (v && v !== 'unknown' && v !== 'reserved' ? v : undefined);
  const color = { matrix: pick(stream.color_space), range: pick(stream.color_range), primaries: pick(stream.color_primaries), transfer: pick(stream.color_transfer) };
  return Object.values(color).some(Boolean) ? color : undefined;
}

function summaries(probe: ProbeResult, type: string): StreamSummary[] {
  return probe.streams
    .filter((s) => s.codec_type === type)
    .map((s) => ({ index: s.index, codec: s.codec_name ?? 'unknown', language: s.tags?.language, title: s.tags?.title }));
}

/** Turn ffprobe's answers into the source description, checking the stream can be decoded at all. */
export function describeVideo(file: string, probe: ProbeResult, packets: PacketTimes, identity: string): VideoProbe {
  const stream = pickVideoStream(probe);
  if (!stream) throw new UpframeError('INPUT_UNSUPPORTED', `${file} has no video stream`, { file, hint: 'Pass a file with a video track (audio-only files cannot be upscaled).' });
  const pixFmt = stream.pix_fmt;
  if (!pixFmt || pixFmt === 'unknown' || !stream.width || !stream.height) {
    throw new UpframeError('INPUT_UNSUPPORTED', `${file}: video stream ${stream.index} (${stream.codec_name ?? 'unknown codec'}) has no known pixel format or size; this ffmpeg cannot decode it`, {
      file,
      hint: 'Install a current ffmpeg build that supports this codec, or set FFMPEG_PATH/FFPROBE_PATH to one.',
    });
  }
  const warnings: string[] = [];
  const timeBase = reduceRational(parseRational(stream.time_base) ?? { num: 1, den: 90_000 });
  // VP8/VP9 keep alpha in a side channel that only libvpx decodes; the tag's case varies by muxer.
  const alphaMode = Object.entries(stream.tags ?? {}).find(([k]) => k.toLowerCase() === 'alpha_mode')?.[1];
  const alphaVpx = (stream.codec_name === 'vp8' || stream.codec_name === 'vp9') && alphaMode === '1';
  const bitDepth = pixelFormatBitDepth(pixFmt, stream.bits_per_raw_sample);
  // Deeper than 8 bits: 16-bit frames from the decoder on, so nothing is rounded on the way.
  const layout: PixelLayout = layoutOf(pixelFormatHasAlpha(pixFmt) || alphaVpx ? 4 : 3, bitDepth > 8 ? 16 : 8);
  const rotation = rotationOf(stream);
  const swap = rotation === 90 || rotation === 270;
  const avg = parseRational(stream.avg_frame_rate);
  const frameRate = avg ?? parseRational(stream.r_frame_rate);

  let pts = packets.pts;
  const packetPts = pts.length > 0 && packets.untimed === 0 && !packets.dtsOnly;
  if (pts.length === 0 || packets.untimed > 0) {
    // Raw elementary streams carry no timestamps: space frames evenly at the stream's rate.
    const rate = frameRate ?? { num: 25, den: 1 };
    const count = packets.total - packets.discarded;
    pts = Array.from({ length: count }, (_, i) => Math.round((i * rate.den * timeBase.den) / (rate.num * timeBase.num)));
    if (count > 0) warnings.push(`${file}: packets carry no timestamps; assuming a constant ${rate.num}/${rate.den} fps`);
  }
  const streamEnd = endPts(stream, timeBase, probe);

  // Truncation: the header promises more frames than the demuxer found, or the demuxer hit the end
  // of a cut file (then the stream's recorded end says roughly how many frames are gone).
  const headerFrames = Number(stream.nb_frames);
  const promised = Number.isInteger(headerFrames) && headerFrames > 0 ? headerFrames - packets.discarded : undefined;
  // Any demuxer error counts when the stream's recorded end lies frames beyond the last packet: a
  // Matroska file with zeroed bytes stops demuxing there ("0x00 … invalid as first byte of an EBML
  // number"), and its packet count alone would make the lost tail look like no loss at all.
  // The rate of the last few frames says how many are gone: a variable-rate stream's overall median
  // step says little about the part that was lost.
  const lostAtEnd = framesMissingAtEnd(pts.slice(-6), streamEnd);
  const cut = packets.readError !== undefined && (/prematurely|truncat|end of file|EOF|partial/i.test(packets.readError) || lostAtEnd > 0);
  const lost = cut ? Math.max(1, lostAtEnd) : 0;
  const truncated = (promised !== undefined && promised > pts.length) || cut;
  const frameCount = Math.max(pts.length + lost, promised ?? 0);
  if (truncated) {
    warnings.push(
      `${file} looks truncated or damaged (${cut ? `ffprobe: ${packets.readError}` : `the header lists ${promised} frames`}); ${pts.length} of about ${frameCount} frames are present. Frames that decode are used; the run reports the missing ones.`,
    );
  }
  // A cut file's recorded end is where the whole stream ended, not where the last present frame does.
  const durations = frameDurations(pts, packets.lastDuration, truncated ? undefined : streamEnd);

  const formatStartSeconds = Number(probe.format.start_time ?? 0) || 0;
  const details: VideoSourceDetails = {
    container: probe.format.format_name ?? 'unknown',
    streamIndex: stream.index,
    codec: stream.codec_name ?? 'unknown',
    rotation,
    sampleAspectRatio: parseRational(stream.sample_aspect_ratio?.replace(':', '/')),
    formatStartSeconds,
    lastFrameDuration: durations.at(-1),
    audio: summaries(probe, 'audio'),
    subtitles: summaries(probe, 'subtitle'),
    pictures: summaries(probe, 'video').filter((p) => probe.streams.find((s) => s.index === p.index)?.disposition?.attached_pic),
    attachments: summaries(probe, 'attachment'),
    dataStreams: summaries(probe, 'data'),
    videoTags: Object.fromEntries(Object.entries(stream.tags ?? {}).filter(([k]) => ['language', 'title'].includes(k))),
    truncated,
    packetsFound: pts.length,
  };
  const info: SourceInfo = {
    kind: 'video',
    path: file,
    width: swap ? stream.height : stream.width,
    height: swap ? stream.width : stream.height,
    layout,
    timeBase,
    frameRate,
    variableFrameRate: !((packets.corrupt || packets.readError !== undefined) && constantWithHoles(pts)) && isVariableFrameRate(pts, stream),
    frameCount,
    // Counted packets are exact, and a file cut short must fail the run rather than come out short.
    frameCountExact: truncated || (packets.untimed === 0 && pts.length > 0),
    color: colorOf(stream),
    bitDepth,
    chroma: pixelFormatChroma(pixFmt),
    pixelFormat: pixFmt,
    // A copy: an interface has no index signature, an object spread of it does.
    details: { ...details },
    identity,
  };
  const inputArgs = alphaVpx ? ['-c:v', stream.codec_name === 'vp8' ? 'libvpx' : 'libvpx-vp9'] : [];
  return { info, details, pts, durations, packetPts, inputArgs, warnings };
}

/**
 * Every step between packets is a whole number of typical steps: a constant rate with frames
 * missing. Taken as such only when the demuxer also reported damage (corrupt packets, an error),
 * because a camera that skips a frame writes the same pattern into an intact variable-rate file.
 */
function constantWithHoles(pts: readonly number[]): boolean {
  const step = medianStep(pts);
  if (!step) return false;
  return pts.slice(1).every((p, i) => {
    const k = (p - pts[i]) / step;
    return k > 0.75 && Math.abs(k - Math.round(k)) < 0.25;
  });
}

/** End of the video stream in time-base units, when the container says. */
function endPts(stream: ProbeStream, timeBase: Rational, probe: ProbeResult): number | undefined {
  const seconds = Number(stream.duration ?? NaN);
  const start = Number(stream.start_time ?? probe.format.start_time ?? 0) || 0;
  if (Number.isFinite(seconds) && seconds > 0) return Math.round(((start + seconds) * timeBase.den) / timeBase.num);
  // Matroska keeps per-track durations in a DURATION tag: the stream's end on the file timeline.
  const tag = /^(\d+):(\d+):(\d+(?:\.\d+)?)$/.exec(stream.tags?.DURATION ?? '');
  if (tag) return Math.round(((Number(tag[1]) * 3600 + Number(tag[2]) * 60 + Number(tag[3])) * timeBase.den) / timeBase.num);
  return undefined;
}
