import type { Rational } from '@upframe/core';
import type { VideoContainer } from './encoder-args.js';
import { needsRemuxStage, passthroughTimingArgs, type FfmpegVersion } from './ffmpeg-version.js';

export interface EncodeCommandInput {
  readonly version: FfmpegVersion;
  readonly container: VideoContainer;
  /** Where ffmpeg writes (the temporary path). */
  readonly output: string;
  /** Time base of the NUT pts on stdin; also the encoder's, so no timestamp is rounded. */
  readonly timeBase: Rational;
  /** Seconds to shift the piped video by, so it lines up with the original's audio. */
  readonly videoOffsetSeconds: number;
  /** The original file, when there is one to take audio, subtitles and metadata from. */
  readonly original?: string;
  readonly videoArgs: readonly string[];
  readonly streamArgs: readonly string[];
  readonly videoTags: Readonly<Record<string, string>>;
  readonly writeColour: boolean;
  /** The video is encoded with an alpha plane (VP9 yuva420p). */
  readonly alphaVideo?: boolean;
}

const COMMON = ['-nostdin', '-hide_banner', '-loglevel', 'error'];

/**
 * The ffmpeg command lines that turn NUT frames on stdin into the output: one process on ffmpeg
 * 5.0+, two piped processes (encode to Matroska, then remux) on older builds, whose CLI leaves
 * encoded packets without durations. Each array is one process's arguments; stage n's stdout feeds
 * stage n+1's stdin.
 */
export function encodeCommands(input: EncodeCommandInput): string[][] {
  const { version, container, timeBase } = input;
  const timing = [...passthroughTimingArgs(version), '-enc_time_base:v', `${timeBase.num}:${timeBase.den}`];
  const offset = Math.abs(input.videoOffsetSeconds) >= 1e-6 ? ['-itsoffset', input.videoOffsetSeconds.toFixed(6)] : [];
  const originalInput = input.original ? ['-i', input.original] : [];
  const metadata = input.original ? ['-map_metadata', '1', '-map_chapters', '1'] : [];
  const tags = Object.entries(input.videoTags).flatMap(([k, v]) => ['-metadata:s:v:0', `${k}=${v}`]);
  const movFlags = (container === 'mp4' || container === 'mov') && input.writeColour ? ['-movflags', '+write_colr'] : [];
  const muxing = ['-max_muxing_queue_size', '4096', ...movFlags, '-y', input.output];

  if (!needsRemuxStage(version)) {
    return [[...COMMON, ...offset, '-f', 'nut', '-i', 'pipe:0', ...originalInput, '-map', '0:v:0', ...input.streamArgs, ...metadata, ...tags, ...input.videoArgs, ...timing, ...muxing]];
  }
  const encode = [...COMMON, '-f', 'nut', '-i', 'pipe:0', '-map', '0:v:0', ...input.videoArgs, ...timing, '-f', 'matroska', 'pipe:1'];
  // A stream copy loses the encoder's "VP9 with alpha" flag; the alpha data itself travels along.
  const alphaTag = input.alphaVideo ? ['-metadata:s:v:0', 'alpha_mode=1'] : [];
  const remux = [...COMMON, ...offset, '-f', 'matroska', '-i', 'pipe:0', ...originalInput, '-map', '0:v:0', '-c:v', 'copy', ...input.streamArgs, ...metadata, ...tags, ...alphaTag, ...muxing];
  return [encode, remux];
}
