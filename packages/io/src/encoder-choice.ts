import { availableParallelism } from 'node:os';
import { isUpframeError, type Logger, type SinkOpenInfo, type SinkOptions } from '@upframe/core';
import { checkEncoderSettings } from './encoder-check.js';
import type { EncoderSettings, VideoContainer } from './encoder-args.js';
import type { ToolBinary } from './ffmpeg-binaries.js';
import { chooseVideoPixelFormat, type VideoPixelFormat } from './video-pixel-format.js';

/** x264/x265 presets `auto` chooses from, fastest first; never slower than x264's own default. */
export const AUTO_PRESETS = ['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium'] as const;
type AutoPreset = (typeof AUTO_PRESETS)[number];

/**
 * libx264 CPU-seconds per output megapixel at crf 18, 4:2:0 8-bit, from RGB frames (the sink's
 * input), measured on the reference 2-core VM (docs/benchmarks.md, "Encoder presets"). At crf 18
 * every preset gave the same quality within 0.1 dB PSNR and 0.005 SSIM; slower ones mostly save bits.
 */
export const X264_SECONDS_PER_MPX: Readonly<Record<AutoPreset, number>> = { ultrafast: 0.013, superfast: 0.022, veryfast: 0.028, faster: 0.05, fast: 0.063, medium: 0.071 };
/** x265 costs several times x264 at the same preset name (ffmpeg's own guidance); an estimate, not measured here. */
const X265_FACTOR = 4;
/** Convolution FLOPs one CPU-second of onnxruntime ran on the same machine (esrgan-slim-x2, 445,088 FLOP per input pixel). */
export const CPU_FLOP_PER_SECOND = 124e9;
/** An assumption for CUDA devices (no GPU was at hand to measure): what a current data-centre GPU sustains on these models. */
export const GPU_FLOP_PER_SECOND = 20e12;
/**
 * On a CPU run the encoder takes its time from inference: `auto` allows it this share of the
 * model's CPU time (a few percent, the slowdown a user would not notice).
 */
export const CPU_ENCODE_SHARE = 0.05;

export interface PresetChoice {
  readonly preset: string;
  readonly reason: string;
}

/**
 * The slowest preset that keeps up with inference. On the CPU, encoder and model share the cores:
 * the encoder may cost at most {@link CPU_ENCODE_SHARE} of the model's CPU time. On a GPU, the
 * cores are the encoder's: it must encode a frame within the time the GPU takes to make one.
 * Undefined when the model's cost is unknown (no FLOPs reported): the encoder's default stays.
 */
export function autoPreset(codec: string, inference: SinkOpenInfo['inference'], cores: number): PresetChoice | undefined {
  if (!inference?.flopsPerInputPixel) return undefined;
  const factor = codec === 'libx265' ? X265_FACTOR : 1;
  const cost = (p: AutoPreset) => X264_SECONDS_PER_MPX[p] * factor;
  const flopsPerOutputMpx = (inference.flopsPerInputPixel / (inference.scale * inference.scale)) * 1e6;
  if (inference.device.startsWith('cuda')) {
    // Wall seconds per output megapixel: the GPU's estimate against the encoder spread over the cores.
    const gpuSeconds = flopsPerOutputMpx / GPU_FLOP_PER_SECOND;
    const preset = AUTO_PRESETS.filter((p) => cost(p) / cores <= gpuSeconds).at(-1);
    return preset
      ? { preset, reason: `${preset}: the slowest that keeps up with the GPU (estimated) on ${cores} core(s)` }
      : { preset: AUTO_PRESETS[0], reason: `${AUTO_PRESETS[0]}: the fastest, and it may still not keep up with the GPU on ${cores} core(s)` };
  }
  const modelSeconds = flopsPerOutputMpx / CPU_FLOP_PER_SECOND;
  const preset = AUTO_PRESETS.filter((p) => cost(p) <= modelSeconds * CPU_ENCODE_SHARE).at(-1) ?? AUTO_PRESETS[0];
  return { preset, reason: `${preset}: the encoder takes ~${Math.max(1, Math.round((100 * cost(preset)) / modelSeconds))}% of the model's CPU time` };
}

export interface EncoderChoice {
  readonly settings: EncoderSettings;
  readonly notes: string[];
  readonly warnings: string[];
}

const NVENC_PIXEL_FORMATS = new Set(['yuv420p', 'nv12']);

/**
 * The encoder a run gets when the user named none. With CUDA inference and an ffmpeg whose NVENC
 * works (checked by encoding one tiny frame, remembered per binary), H.264 goes to the GPU's
 * encoder, keeping the CPU free; otherwise libx264/libx265 get the `auto` preset. Settings the
 * user gave are kept as given, and a cluster part (`fixed`) keeps the encoder's defaults, so every
 * worker of a job encodes alike whatever its device.
 */
export async function chooseVideoEncoder(
  ffmpeg: ToolBinary,
  output: string,
  container: VideoContainer,
  info: SinkOpenInfo,
  settings: EncoderSettings,
  given: { readonly codec: boolean; readonly preset: string | undefined; readonly fixed: boolean },
  cores: number,
  signal?: AbortSignal,
): Promise<EncoderChoice> {
  const notes: string[] = [];
  const warnings: string[] = [];
  const device = info.inference?.device ?? 'cpu';
  if (!given.codec && !given.fixed && device.startsWith('cuda') && container !== 'webm' && NVENC_PIXEL_FORMATS.has(settings.pixelFormat)) {
    // cq plays crf's part: constant quality, no bitrate target.
    const nvenc: EncoderSettings = { ...settings, codec: 'h264_nvenc', crf: undefined, preset: 'p5', encoderArgs: ['-rc', 'vbr', '-cq', String(settings.crf ?? 18), '-b:v', '0', ...settings.encoderArgs] };
    try {
      await checkEncoderSettings(ffmpeg, output, container, info, undefined, signal, nvenc);
      notes.push(`video encoder h264_nvenc (inference on ${device}; the GPU's encoder keeps the CPU free); --codec libx264 encodes on the CPU`);
      return { settings: nvenc, notes, warnings };
    } catch (error) {
      if (isUpframeError(error, 'CANCELLED')) throw error;
      const why = (error instanceof Error ? error.message : String(error)).split('\n').filter((l) => l.trim()).slice(-1)[0];
      warnings.push(`NVENC is not usable here (${why}); encoding with ${settings.codec} on the CPU`);
    }
  }
  const x26x = settings.codec === 'libx264' || settings.codec === 'libx265';
  if (given.preset === 'auto' && (given.fixed || !x26x)) {
    // A cluster part encodes like every other worker's, whatever its device; other codecs have no such presets.
    const preset = x26x ? 'medium' : undefined;
    notes.push(`encoder preset ${preset ?? 'left to the encoder'}: ${given.fixed ? 'the parts of a cluster job all keep the default' : `${settings.codec} has no x264-style presets`}`);
    return { settings: { ...settings, preset }, notes, warnings };
  }
  if (x26x && !given.fixed && (given.preset === 'auto' || given.preset === undefined)) {
    const choice = autoPreset(settings.codec, info.inference, cores);
    if (choice) {
      notes.push(`encoder preset ${choice.reason}; --preset medium for ${settings.codec}'s own default`);
      return { settings: { ...settings, preset: choice.preset }, notes, warnings };
    }
    if (given.preset === 'auto') {
      notes.push(`encoder preset medium: the model's cost is unknown, so ${settings.codec}'s default is kept`);
      return { settings: { ...settings, preset: 'medium' }, notes, warnings };
    }
  }
  return { settings, notes, warnings };
}

/**
 * The video sink's encoder: the pixel format that keeps the input's depth, then what the user gave
 * in `extra` with the rest chosen by {@link chooseVideoEncoder} (its notes logged once), checked with
 * ffmpeg before any frame. `fixed`: a cluster part.
 */
export async function chooseSinkEncoder(
  ffmpeg: ToolBinary,
  output: string,
  container: VideoContainer,
  info: SinkOpenInfo,
  defaults: EncoderSettings,
  o: { readonly extra: SinkOptions['extra']; readonly fixed: boolean; readonly logger: Logger; readonly signal?: AbortSignal },
): Promise<VideoPixelFormat> {
  const kept = await chooseVideoPixelFormat(ffmpeg, container, info, defaults, o.extra?.pixelFormat !== undefined);
  const preset = o.extra?.preset;
  const given = { codec: o.extra?.codec !== undefined, preset: typeof preset === 'string' ? preset : undefined, fixed: o.fixed };
  const encoder = await chooseVideoEncoder(ffmpeg, output, container, info, kept.settings, given, availableParallelism(), o.signal);
  for (const note of encoder.notes) o.logger.info(`video sink: ${note}`);
  await checkEncoderSettings(ffmpeg, output, container, info, o.extra, o.signal, encoder.settings);
  return { ...kept, settings: encoder.settings, notes: [...kept.notes, ...encoder.notes], warnings: [...kept.warnings, ...encoder.warnings] };
}
