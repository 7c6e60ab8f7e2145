import { Command, Option } from 'commander';
import { DEFAULT_MAX_PIXELS, OUTPUT_PIXEL_FACTOR, TOKENS, type Logger } from '@upframe/core';
import { setupContainer } from '../container-setup.js';
import { addPluginOptions, collect } from '../option-parsers.js';
import { createProgress, pickMode, reportSummary } from '../progress.js';
import { givenFlags, resolveRunSettings, RUN_OPTIONS, withDefault, type RunFlags, type RunSettings } from '../run-options.js';
import { runUpscale, type UpscaleRequest } from '../run-upscale.js';
import { resolveStageOptions, type StageOptions } from '../stage-options.js';
import type { CliContext } from './context.js';

const STAGE_OPT_HELP = '(repeatable; checked against its option schema, an unknown key lists the allowed ones)';

/**
 * Options shared by `upscale` and `demo`. None has a commander default: run-options.ts resolves
 * flag > config `defaults` > built-in, and the help shows the built-in.
 */
export function addRunOptions(cmd: Command): Command {
  const o = RUN_OPTIONS;
  return addPluginOptions(cmd)
    .option('--backend <name>', withDefault('inference backend: auto (the best that initialises here, by priority; see `upframe backends`), onnx, tfjs, or one a plugin adds', 'backend'), o.backend.parse)
    .option('--model <id|path>', withDefault('catalog id (see `upframe models`) or a .onnx file', 'model'), o.model.parse)
    .option('--device <device>', withDefault('auto | cpu | cuda | cuda:N', 'device'), o.device.parse)
    .option('--precision <p>', withDefault('auto (fp16 on CUDA, fp32 on CPU) | fp16 | fp32; ncnn models', 'precision'), o.precision.parse)
    .option('--dedupe <strategy>', withDefault('duplicate-frame detection: off | exact | near', 'dedupe', 'the best registered'), o.dedupe.parse)
    .option('--format <selector>', withDefault("frame/image output format: source (keep the input's format) | auto (by content) | png | webp | jpeg | tiff | avif", 'format'), o.format.parse)
    .option('--lossy', withDefault('let the format selector choose lossy encodings (--format-opt lossy=true)', 'lossy'))
    .option('--quality <n>', withDefault('quality of a lossy image encoding, 1-100; allows loss (--format-opt quality=N)', 'quality', "the source JPEG's, else 90"), o.quality.parse)
    .option('--backend-opt <key=value>', `an option for the chosen backend, e.g. maxBatch=4 ${STAGE_OPT_HELP}`, collect)
    .option('--dedupe-opt <key=value>', `an option for the chosen dedupe strategy, e.g. hi=512 ${STAGE_OPT_HELP}`, collect)
    .option('--format-opt <key=value>', `an option for the chosen format selector, e.g. quality=80 ${STAGE_OPT_HELP}`, collect)
    .option('--batch <n>', withDefault('frames per inference call: auto | N', 'batch'), o.batch.parse)
    .option('--tile <n>', withDefault('tile size in input pixels: auto | off | N', 'tile'), o.tile.parse)
    .addOption(new Option('--in-flight <n>', withDefault('batches in flight at once', 'inFlight')).argParser(o.inFlight.parse))
    .addOption(new Option('--threads <n>', withDefault('compute threads for the backend, at most 4 × cores', 'threads', 'all cores')).argParser(o.threads.parse))
    .option('--max-pixels <n>', withDefault(`largest input frame: N, NM or WxH; outputs up to ${OUTPUT_PIXEL_FACTOR}×`, 'maxPixels', `${DEFAULT_MAX_PIXELS / 1e6}M`), o.maxPixels.parse)
    .option('--codec <name>', withDefault('video encoder', 'codec', 'per container: libx264 for mp4/mkv/mov, libvpx-vp9 for webm'), o.codec.parse)
    .option('--crf <n>', withDefault('encoder quality (lower is better)', 'crf', "the encoder's"), o.crf.parse)
    .option('--preset <name>', withDefault('encoder preset (x264: ultrafast … veryslow; auto: the slowest that keeps up with the model)', 'preset', 'auto for libx264/libx265'), o.preset.parse)
    .option('--pix-fmt <fmt>', withDefault('output pixel format', 'pixFmt', "the encoder's format that keeps the input's bit depth and chroma, e.g. yuv420p, yuv422p10le"), o.pixFmt.parse)
    .option('--deinterlace <mode>', withDefault('interlaced video: auto (deinterlace what is detected) | off | frame (one frame per frame) | field (one frame per field, twice the rate)', 'deinterlace'), o.deinterlace.parse)
    .option('--alpha <mode>', withDefault('transparency (read from the pixels): keep (an output that cannot store it is refused) | drop (flatten onto --background; one warning)', 'alpha'), o.alpha.parse)
    .option('--background <colour>', withDefault('colour --alpha drop flattens onto, #rrggbb', 'background'), o.background.parse)
    .option('--part-seconds <n>', withDefault('video output: length of the resumable parts, in seconds; 0 writes one piece (not resumable)', 'partSeconds'), o.partSeconds.parse)
    .option('--fresh', 'start over: remove the parts an interrupted run left in OUTPUT.upframe/ instead of resuming')
    .option('--no-audio', 'drop audio streams (config "defaults.audio": false)')
    .option('--no-subtitles', 'drop subtitle streams (config "defaults.subtitles": false)')
    .option('--report <file.json>', 'write the run report as JSON (config "defaults.report")', o.report.parse)
    .option('--accept-damaged', 'upscale a damaged video anyway: lost frames are listed as warnings and in the report, and the output keeps their gap')
    .option('--overwrite', 'replace an existing output (in a folder: only same-named files; nothing else is deleted)')
    .option('--allow-other-files', 'write frames into a folder that holds other files too (they are kept)')
    .option('--quiet', 'no progress output (config "defaults.quiet")')
    .option('--json', 'print progress and the final report as NDJSON on stdout (config "defaults.json")');
}

export type { RunFlags } from '../run-options.js';

/**
 * Resolve flags over config defaults over built-ins, check every stage's options (plugins are
 * registered by then), run, and print the outcome. Returns the settings it ran with.
 */
export async function executeRun(ctx: CliContext, input: string, output: string, flags: RunFlags, logger: Logger): Promise<RunSettings> {
  const { container, defaults, modelDirs, configFile } = await setupContainer({ plugins: flags.plugin ?? [], logger, config: flags.config !== false, notice: ctx.stderr });
  const s = resolveRunSettings(flags, defaults, configFile, { bestDedupe: container.resolve(TOKENS.Dedupe).names()[0] ?? 'off' });
  const stage = resolveStageOptions(container, s, flags, defaults, configFile);
  // `quiet`/`json` from the config: the logger built from the flags alone would be too chatty.
  if (s.quiet !== Boolean(flags.quiet) || s.json !== Boolean(flags.json)) container.register(TOKENS.Logger, { useValue: ctx.logger(s) });
  const req = upscaleRequest(input, output, s, stage, modelDirs);
  const progress = createProgress(pickMode(s));
  try {
    const report = await runUpscale(container, req, progress, ctx.signal);
    progress.done(report);
    if (!s.json && !s.quiet) ctx.stderr.write(reportSummary(report));
  } catch (error) {
    progress.fail(error, (error as { report?: never }).report);
    throw error;
  }
  return s;
}

/** The request `upscale` runs with, from resolved settings; a cluster worker builds its parts' requests the same way. */
export function upscaleRequest(input: string, output: string, s: RunSettings, stage: StageOptions, modelDirs: readonly string[]): UpscaleRequest {
  return {
    input,
    output,
    backend: s.backend,
    model: s.model,
    modelDirs,
    device: s.device,
    precision: s.precision,
    dedupe: s.dedupe,
    format: s.format,
    backendOptions: stage.backend,
    dedupeOptions: stage.dedupe,
    formatOptions: stage.format,
    batch: s.batch,
    tile: s.tile,
    inFlight: s.inFlight,
    threads: s.threads,
    codec: s.codec,
    crf: s.crf,
    preset: s.preset,
    pixelFormat: s.pixFmt,
    audio: s.audio,
    subtitles: s.subtitles,
    deinterlace: s.deinterlace,
    alpha: s.alpha,
    background: s.background,
    overwrite: s.overwrite,
    allowOtherFiles: s.allowOtherFiles,
    maxPixels: s.maxPixels,
    acceptDamaged: s.acceptDamaged,
    partSeconds: s.partSeconds,
    fresh: s.fresh,
    report: s.report,
  };
}

export function upscaleCommand(ctx: CliContext): Command {
  return addRunOptions(
    new Command('upscale')
      .description('upscale a video file, an image, or a directory of numbered frames')
      .argument('<input>', 'video file, image, or directory of numbered frames')
      .requiredOption('-o, --output <path>', 'output video (container by extension), image, or directory'),
  ).action(async (input: string, options: { output: string }, cmd: Command) => {
    const flags = givenFlags(cmd);
    await executeRun(ctx, input, options.output, flags, ctx.logger(flags));
  });
}
