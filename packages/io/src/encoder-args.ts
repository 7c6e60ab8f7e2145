import { extname } from 'node:path';
import { hasAlpha, UpframeError } from '@upframe/core';
import type { ColorInfo, PixelLayout, SourceKind } from '@upframe/core';
import { checkCrf } from './crf-range.js';
import { chromaEvenness, isYuvFormat, pixelFormatHasAlpha } from './pixel-formats.js';
import { isBoolean, isNumber, isString, isStringArray, optionOf } from './stage-options.js';

export const VIDEO_CONTAINERS = ['mp4', 'mkv', 'webm', 'mov'] as const;
export type VideoContainer = (typeof VIDEO_CONTAINERS)[number];

/** Keys of `SinkOptions.extra` the video sink understands. */
export const VIDEO_SINK_OPTIONS = ['codec', 'crf', 'preset', 'pixelFormat', 'encoderArgs', 'audio', 'subtitles', 'dropAlpha', 'ffmpegPath', 'ffprobePath', 'partSeconds', 'fresh', 'journalSettings', 'clusterPart'] as const;

export function containerOf(output: string): VideoContainer {
  const ext = extname(output).slice(1).toLowerCase();
  if ((VIDEO_CONTAINERS as readonly string[]).includes(ext)) return ext as VideoContainer;
  throw new UpframeError('USAGE', `cannot write video to "${output}": unknown extension ".${ext}"; use one of ${VIDEO_CONTAINERS.map((c) => `.${c}`).join(', ')}`, { file: output });
}

export interface EncoderSettings {
  readonly codec: string;
  readonly crf?: number;
  readonly preset?: string;
  readonly pixelFormat: string;
  /** Extra encoder arguments, placed last so they override the defaults. */
  readonly encoderArgs: readonly string[];
  readonly audio: boolean;
  readonly subtitles: boolean;
}

/** Where transparency survives for this kind of input, and the flag that drops it: the hint of every refusal to lose alpha. */
export function keepAlphaHint(sourceKind?: SourceKind): string {
  const elsewhere = sourceKind === 'animation' ? ', or an animation: .png (APNG), .webp, .gif (1-bit alpha)' : ', or a folder of .png or .webp frames';
  return (
    `To keep it, write .webm or .mkv (VP9 with alpha), .mov (ProRes 4444), .mkv with --codec ffv1 --pix-fmt yuva420p${elsewhere}. ` +
    'To drop it, pass --alpha drop (flattens onto --background, default #ffffff).'
  );
}

/**
 * Per-container defaults, with `extra` on top. RGBA frames get an alpha-capable codec where the
 * container has one; where the chosen codec or pixel format would lose the alpha, it is refused
 * (naming `source`, the input) unless `dropAlpha` says to discard it.
 */
export function encoderSettings(container: VideoContainer, layout: PixelLayout, extra: Readonly<Record<string, unknown>> = {}, source?: { path: string; kind?: SourceKind }): { settings: EncoderSettings; notes: string[] } {
  const notes: string[] = [];
  const codec = optionOf(extra, 'codec', 'an ffmpeg encoder name', isString);
  const pixelFormat = optionOf(extra, 'pixelFormat', 'an ffmpeg pixel format name', isString);
  const crf = optionOf(extra, 'crf', 'a number (lower is better quality)', isNumber);
  const preset = optionOf(extra, 'preset', 'an encoder preset name', isString);
  const encoderArgs = optionOf(extra, 'encoderArgs', 'an array of strings', isStringArray) ?? [];
  const audio = optionOf(extra, 'audio', 'true or false', isBoolean) ?? true;
  const subtitles = optionOf(extra, 'subtitles', 'true or false', isBoolean) ?? true;
  const dropAlpha = optionOf(extra, 'dropAlpha', 'true or false', isBoolean) ?? false;
  const what = source ? `${source.path} has transparency` : 'the frames have transparency';
  const refusal = (why: string) => new UpframeError('USAGE', `${what}, which ${why}`, { file: source?.path, hint: keepAlphaHint(source?.kind) });

  let defaults: { codec: string; crf?: number; preset?: string; pixelFormat: string };
  const alpha = hasAlpha(layout);
  if (alpha && !dropAlpha && container !== 'mp4') {
    defaults = container === 'mov' ? { codec: 'prores_ks', pixelFormat: 'yuva444p10le' } : { codec: 'libvpx-vp9', crf: 31, pixelFormat: 'yuva420p' };
    notes.push(`alpha kept: ${defaults.codec} ${defaults.pixelFormat}`);
  } else if (alpha && !dropAlpha && !codec && !pixelFormat) {
    throw refusal('no MP4 video codec here can store');
  } else {
    defaults = container === 'webm' ? { codec: 'libvpx-vp9', crf: 31, pixelFormat: 'yuv420p' } : { codec: 'libx264', crf: 18, preset: 'medium', pixelFormat: 'yuv420p' };
    if (alpha && dropAlpha) notes.push('alpha dropped as requested (dropAlpha)');
  }
  const finalPixelFormat = pixelFormat ?? defaults.pixelFormat;
  if (alpha && !dropAlpha && !pixelFormatHasAlpha(finalPixelFormat)) {
    throw refusal(`pixel format ${finalPixelFormat} cannot store`);
  }
  const chosenCodec = codec ?? defaults.codec;
  const sameCodec = chosenCodec === defaults.codec;
  const crfNote = checkCrf(chosenCodec, crf);
  if (crfNote) notes.push(crfNote);
  return {
    settings: {
      codec: chosenCodec,
      crf: crf ?? (sameCodec ? defaults.crf : undefined),
      preset: preset ?? (sameCodec ? defaults.preset : undefined),
      pixelFormat: pixelFormat ?? defaults.pixelFormat,
      encoderArgs,
      audio,
      subtitles,
    },
    notes,
  };
}

/**
 * The colour description that applies to the YUV output. An RGB source (PNG, FFV1 RGB) reports the
 * `gbr` matrix and full range, which describe RGB storage, not how to convert to YUV: drop those.
 */
export function yuvColour(color: ColorInfo | undefined): ColorInfo | undefined {
  if (!color) return undefined;
  const rgb = color.matrix === 'gbr' || color.matrix === 'rgb';
  const kept = { ...color, matrix: rgb ? undefined : color.matrix, range: rgb ? undefined : color.range };
  return Object.values(kept).some(Boolean) ? kept : undefined;
}

const SCALE_MATRIX: Readonly<Record<string, string>> = {
  bt709: 'bt709',
  smpte170m: 'bt601',
  bt470bg: 'bt601',
  smpte240m: 'smpte240m',
  fcc: 'fcc',
  bt2020nc: 'bt2020',
  bt2020c: 'bt2020',
};

export interface VideoEncodeInput {
  readonly settings: EncoderSettings;
  readonly container: VideoContainer;
  readonly width: number;
  readonly height: number;
  readonly color?: ColorInfo;
  readonly variableFrameRate: boolean;
  /** ffmpeg before 5.0, which mistimes the first B-frames when it shifts Matroska timestamps. */
  readonly legacyFfmpeg: boolean;
}

/** Why B-frames would break timing for this output, if they would. */
function bFramesUnsafe(input: VideoEncodeInput): string | undefined {
  const mov = input.container === 'mp4' || input.container === 'mov';
  // MP4/MOV store decode times, and with B-frames those run ahead of variable presentation times,
  // which cuts the last frames off the track's duration. Without B-frames dts = pts exactly.
  if (input.variableFrameRate && mov) return 'variable frame timing in MP4/MOV is only exact without them';
  if (input.legacyFfmpeg && !mov) return 'ffmpeg before 5.0 shifts the first B-frames of Matroska/WebM out of time';
  return undefined;
}

/** Filters, codec options and colour tags for the video stream. */
export function videoEncodeArgs(input: VideoEncodeInput): { args: string[]; notes: string[]; warnings: string[] } {
  const { settings, width, height, color } = input;
  const notes: string[] = [];
  const warnings: string[] = [];
  const filters: string[] = [];
  const pix = settings.pixelFormat;

  // 4:2:0 and 4:2:2 need even sizes; pad one black row/column rather than crop real pixels away.
  const even = chromaEvenness(pix);
  const padW = even.evenWidth && width % 2 === 1 ? width + 1 : width;
  const padH = even.evenHeight && height % 2 === 1 ? height + 1 : height;
  if (padW !== width || padH !== height) {
    filters.push(`pad=${padW}:${padH}:0:0`);
    const padded = `padded ${width}x${height} to ${padW}x${padH} with a black ${padW !== width ? 'column' : 'row'}${padW !== width && padH !== height ? ' and row' : ''} on the right/bottom edge: ${pix} needs even dimensions; pass --pix-fmt yuv444p to keep the exact size`;
    notes.push(padded);
    warnings.push(padded);
  }
  // RGB→YUV uses BT.601 unless told otherwise; use the source's matrix so colours do not shift.
  const matrix = color?.matrix ? SCALE_MATRIX[color.matrix] : undefined;
  if (isYuvFormat(pix) && (matrix || color?.range)) {
    const opts = [matrix && `out_color_matrix=${matrix}`, color?.range && `out_range=${color.range === 'pc' ? 'pc' : 'tv'}`].filter(Boolean);
    filters.push(`scale=${opts.join(':')}`);
  }
  filters.push(`format=${pix}`);

  // Stream-specific (v:0): cover art copied alongside is a video stream too, and must not be filtered.
  const args = ['-filter:v:0', filters.join(','), '-c:v:0', settings.codec, '-pix_fmt:v:0', pix];
  const vpx = settings.codec.startsWith('libvpx');
  if (settings.crf !== undefined) args.push('-crf', String(settings.crf));
  if (vpx && settings.crf !== undefined) args.push('-b:v', '0');
  if (settings.preset !== undefined) args.push('-preset', settings.preset);
  if (settings.codec === 'prores_ks') args.push('-profile:v', pix.startsWith('yuva') ? '4444' : 'hq');
  if (vpx && pix.startsWith('yuva')) args.push('-auto-alt-ref', '0');
  const noBFrames = bFramesUnsafe(input);
  if (noBFrames && /264|265|hevc/.test(settings.codec)) {
    args.push('-bf', '0');
    notes.push(`B-frames disabled: ${noBFrames}`);
  }
  if (color?.matrix) args.push('-colorspace', color.matrix);
  if (color?.primaries) args.push('-color_primaries', color.primaries);
  if (color?.transfer) args.push('-color_trc', color.transfer);
  if (color?.range) args.push('-color_range', color.range);
  args.push(...settings.encoderArgs);
  return { args, notes, warnings };
}
