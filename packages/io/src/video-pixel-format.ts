import type { SinkOpenInfo } from '@upframe/core';
import type { EncoderSettings, VideoContainer } from './encoder-args.js';
import { encoderPixelFormats } from './encoder-pixel-formats.js';
import type { ToolBinary } from './ffmpeg-binaries.js';
import { describeDepth, keepPixelFormat, type DepthTarget } from './output-pixel-format.js';
import { pixelFormatBitDepth, pixelFormatChroma } from './pixel-formats.js';

/** Encoders worth suggesting per container when the chosen one cannot keep the input's depth, best first. */
const KEEPERS: Readonly<Record<VideoContainer, readonly string[]>> = {
  mp4: ['libx264', 'libx265'],
  mov: ['prores_ks', 'libx264', 'libx265'],
  mkv: ['libx264', 'libx265', 'ffv1'],
  webm: ['libvpx-vp9'],
};

export interface VideoPixelFormat {
  readonly settings: EncoderSettings;
  /** What the output stores, for the report. */
  readonly stored: { readonly bitDepth: number; readonly chroma: string; readonly pixelFormat: string };
  readonly notes: readonly string[];
  /** One warning when the output keeps less depth or chroma than the input. */
  readonly warnings: readonly string[];
}

/**
 * The output pixel format: `--pix-fmt` when given (the user's choice wins); otherwise the one of the
 * encoder's formats that keeps the input's bit depth and chroma subsampling (see
 * `keepPixelFormat`), with one warning naming what is reduced and what keeps it when the encoder
 * cannot store them.
 */
export async function chooseVideoPixelFormat(ffmpeg: ToolBinary, container: VideoContainer, info: SinkOpenInfo, settings: EncoderSettings, explicit: boolean): Promise<VideoPixelFormat> {
  const stored = (pixelFormat: string) => ({ bitDepth: pixelFormatBitDepth(pixelFormat), chroma: pixelFormatChroma(pixelFormat), pixelFormat });
  const source = info.source;
  const target: DepthTarget = { bitDepth: source.bitDepth ?? 8, chroma: source.chroma ?? 'rgb' };
  if (explicit) return { settings, stored: stored(settings.pixelFormat), notes: [`pixel format ${settings.pixelFormat} as asked (--pix-fmt)`], warnings: [] };
  const pick = keepPixelFormat(settings.pixelFormat, target, await encoderPixelFormats(ffmpeg, settings.codec));
  const chosen = { ...settings, pixelFormat: pick.pixelFormat };
  const what = `${source.pixelFormat ? `${describeDepth(source.pixelFormat)} (${source.pixelFormat})` : `${target.bitDepth}-bit`}`;
  if (!pick.reduced) {
    const kept = pick.pixelFormat === settings.pixelFormat ? [] : [`pixel format ${pick.pixelFormat}: keeps the input's ${what}`];
    return { settings: chosen, stored: stored(pick.pixelFormat), notes: kept, warnings: [] };
  }
  const keeper = await findKeeper(ffmpeg, container, settings, target);
  const how = keeper ? `--codec ${keeper.codec} keeps it (${keeper.pixelFormat})` : `write .mkv with --codec ffv1 to keep it`;
  const warning = `${source.path} is ${what}, but ${settings.codec} stores at most ${describeDepth(pick.pixelFormat)} here: the output is reduced (${pick.reduced}, ${pick.pixelFormat}); ${how}, or choose with --pix-fmt`;
  return { settings: chosen, stored: stored(pick.pixelFormat), notes: [warning], warnings: [warning] };
}

async function findKeeper(ffmpeg: ToolBinary, container: VideoContainer, settings: EncoderSettings, target: DepthTarget): Promise<{ codec: string; pixelFormat: string } | undefined> {
  for (const codec of KEEPERS[container]) {
    if (codec === settings.codec) continue;
    const formats = await encoderPixelFormats(ffmpeg, codec);
    if (!formats) continue;
    const pick = keepPixelFormat(settings.pixelFormat, target, formats);
    if (!pick.reduced && formats.includes(pick.pixelFormat)) return { codec, pixelFormat: pick.pixelFormat };
  }
  return undefined;
}
