import { Command, Option } from 'commander';
import { TOKENS, type Logger } from '@upframe/core';
import { DEFAULT_MODEL_ID } from '@upframe/models';
import { setupContainer } from '../container-setup.js';
import { collect, parseBatch, parseCrf, parseDevice, parsePositiveInt, parseTile } from '../option-parsers.js';
import { createProgress, pickMode, reportSummary } from '../progress.js';
import { runUpscale, type UpscaleRequest } from '../run-upscale.js';
import type { CliContext } from './context.js';

/** Options shared by `upscale` and `demo`. */
export function addRunOptions(cmd: Command): Command {
  return cmd
    .option('--backend <name>', 'inference backend: onnx, tfjs, or one a plugin adds', 'onnx')
    .option('--model <id|path>', `catalog id (see \`upframe models\`) or a .onnx file`, DEFAULT_MODEL_ID)
    .option('--device <device>', 'auto | cpu | cuda | cuda:N', parseDevice, 'auto')
    .option('--dedupe <strategy>', 'duplicate-frame detection: off | exact | near (default: the best registered)')
    .option('--format <selector>', 'frame/image output format: auto | png | webp | jpeg | tiff', 'auto')
    .option('--lossy', 'let --format auto choose lossy formats', false)
    .option('--batch <n>', 'frames per inference call: auto | N', parseBatch, 'auto')
    .option('--tile <n>', 'tile size in input pixels: auto | off | N', parseTile, 'auto')
    .addOption(new Option('--in-flight <n>', 'batches in flight at once').argParser(parsePositiveInt('--in-flight')))
    .addOption(new Option('--threads <n>', 'compute threads for the backend (default: all cores)').argParser(parsePositiveInt('--threads')))
    .option('--codec <name>', 'video encoder (default per container: libx264 for mp4/mkv/mov, libvpx-vp9 for webm)')
    .option('--crf <n>', 'encoder quality (lower is better)', parseCrf)
    .option('--preset <name>', 'encoder preset (x264: ultrafast … veryslow)')
    .option('--pix-fmt <fmt>', 'output pixel format (default yuv420p)')
    .option('--no-audio', 'drop audio streams')
    .option('--no-subtitles', 'drop subtitle streams')
    .option('--report <file.json>', 'write the run report as JSON')
    .option('--plugin <module>', 'load a plugin module or path (repeatable)', collect, [])
    .option('--overwrite', 'replace an existing output', false)
    .option('--quiet', 'no progress output', false)
    .option('--json', 'print progress and the final report as NDJSON on stdout', false);
}

export type RunFlags = Record<string, unknown> & { plugin: string[]; json: boolean; quiet: boolean };

/** Turn parsed flags (plus config defaults) into a request, run it, and print the outcome. */
export async function executeRun(ctx: CliContext, input: string, output: string, flags: RunFlags, logger: Logger): Promise<void> {
  const { container, defaults } = await setupContainer({ plugins: flags.plugin, logger });
  const pick = <T>(key: string, value: T): T => (value === undefined ? (defaults[key] as T) : value);
  const dedupeRegistry = container.resolve(TOKENS.Dedupe);
  const req: UpscaleRequest = {
    input,
    output,
    backend: String(pick('backend', flags.backend)),
    model: String(pick('model', flags.model)),
    device: flags.device as UpscaleRequest['device'],
    dedupe: String(pick('dedupe', flags.dedupe) ?? dedupeRegistry.names()[0] ?? 'off'),
    format: String(pick('format', flags.format)),
    lossy: Boolean(flags.lossy),
    batch: flags.batch as UpscaleRequest['batch'],
    tile: flags.tile as UpscaleRequest['tile'],
    inFlight: flags.inFlight as number | undefined,
    threads: flags.threads as number | undefined,
    codec: pick('codec', flags.codec as string | undefined),
    crf: pick('crf', flags.crf as number | undefined),
    preset: pick('preset', flags.preset as string | undefined),
    pixelFormat: flags.pixFmt as string | undefined,
    audio: flags.audio !== false,
    subtitles: flags.subtitles !== false,
    overwrite: Boolean(flags.overwrite),
    report: flags.report as string | undefined,
  };
  const progress = createProgress(pickMode(flags));
  try {
    const report = await runUpscale(container, req, progress, ctx.signal);
    progress.done(report);
    if (!flags.json && !flags.quiet) ctx.stderr.write(reportSummary(report));
  } catch (error) {
    progress.fail(error, (error as { report?: never }).report);
    throw error;
  }
}

export function upscaleCommand(ctx: CliContext): Command {
  return addRunOptions(
    new Command('upscale')
      .description('upscale a video file, an image, or a directory of numbered frames')
      .argument('<input>', 'video file, image, or directory of numbered frames')
      .requiredOption('-o, --output <path>', 'output video (container by extension), image, or directory'),
  ).action(async (input: string, flags: RunFlags & { output: string }) => {
    await executeRun(ctx, input, flags.output, flags, ctx.logger(flags));
  });
}
