import { existsSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import {
  AlphaDropSource,
  AUTO_BACKEND,
  BufferPool,
  DEFAULT_BACKGROUND,
  isUpframeError,
  PipelineRunError,
  TOKENS,
  UpframeError,
  runPipeline,
  upframeCacheDir,
  type AlphaMode,
  type DeviceRequest,
  type Precision,
  type FormatSelector,
  type InferenceBackend,
  type RunReport,
} from '@upframe/core';
import { detectInputKind, guardOutput, journalDir, outputKindFor, toolCpuSeconds, type ClusterPartOption } from '@upframe/io';
import { parseColour } from '@upframe/core/internal';
import { getModel, isModelId } from '@upframe/models';
import { resolveNcnnModelId } from './ncnn-model-resolution.js';
import type { DependencyContainer } from 'tsyringe';
import { createRunBackend } from './backend-choice.js';
import type { ProgressReporter } from './progress.js';
import { writeReport } from './write-report.js';

/** Everything `upframe upscale` needs, after parsing and defaults. */
export interface UpscaleRequest {
  readonly input: string;
  readonly output: string;
  readonly backend: string;
  readonly model: string;
  /** Folders from the config's `modelDirs`, scanned for ncnn models after `$UPFRAME_MODELS` and the user folder. */
  readonly modelDirs?: readonly string[];
  readonly device: DeviceRequest;
  readonly precision?: Precision;
  readonly dedupe: string;
  readonly format: string;
  /** For the chosen backend (`BackendOptions.extra`), checked against its option schema. */
  readonly backendOptions?: Readonly<Record<string, unknown>>;
  /** For the chosen dedupe strategy, checked against its option schema. */
  readonly dedupeOptions?: Readonly<Record<string, unknown>>;
  /** For the chosen format selector (`--lossy` included), checked against its option schema. */
  readonly formatOptions?: Readonly<Record<string, unknown>>;
  readonly batch: number | 'auto';
  readonly tile: number | 'auto' | 'off';
  readonly inFlight?: number;
  readonly threads?: number;
  readonly codec?: string;
  readonly crf?: number;
  readonly preset?: string;
  readonly pixelFormat?: string;
  readonly audio: boolean;
  readonly subtitles: boolean;
  /** `--deinterlace` for a video input. */
  readonly deinterlace?: string;
  /** `--alpha`: keep transparency (default), or drop it at the source by flattening onto `background`. */
  readonly alpha?: AlphaMode;
  /** `--background`, `#rrggbb`. */
  readonly background?: string;
  readonly overwrite: boolean;
  readonly allowOtherFiles?: boolean;
  readonly maxPixels?: number;
  /** Carry on past frames a damaged input lost (the pipeline's `acceptDamaged`). */
  readonly acceptDamaged?: boolean;
  /** Video output: length of the journaled parts (0: one piece). */
  readonly partSeconds?: number;
  /** Remove an interrupted run's parts instead of resuming. */
  readonly fresh?: boolean;
  readonly report?: string;
  /** Run only one part of a cluster job: frames [firstFrame, endFrame), committed into the job's journal folder. */
  readonly part?: ClusterPartRequest;
  /**
   * Where the backend comes from: by default a new one per run; a worker keeps one across the
   * parts it runs with the same backend settings (`key`), see cluster/backend-keeper.ts.
   */
  readonly backendSource?: (key: string, create: () => InferenceBackend) => InferenceBackend;
}

/** One part of a cluster job (see @upframe/cluster): what the video sink and the pipeline need to run it. */
export interface ClusterPartRequest extends ClusterPartOption {
  readonly endFrame: number;
}

/** Which sink kinds each input kind can feed (an image sink refuses an animation of more than one frame). */
const ROUTES: Record<string, readonly string[]> = { video: ['video', 'sequence'], image: ['image'], sequence: ['sequence', 'video'], animation: ['animation', 'video', 'sequence', 'image'] };

export async function runUpscale(container: DependencyContainer, req: UpscaleRequest, progress: ProgressReporter, signal: AbortSignal): Promise<RunReport> {
  const input = resolve(req.input);
  const output = resolve(req.output);
  if (input === output) throw new UpframeError('OUTPUT_SAME_AS_INPUT', `output ${req.output} is the input; upframe never writes over its input`, { file: req.output, hint: 'Choose another output path with -o.' });
  // Usage mistakes first: each is found in milliseconds, before seconds of backend start-up.
  const model = resolveNcnnModelId(req.model, req.modelDirs);
  checkModelName(container, req.backend, model);
  const inputKind = await detectInputKind(input);
  const outputKind = outputKindFor(output, inputKind);
  if (req.part && (inputKind !== 'video' || outputKind !== 'video')) {
    throw new UpframeError('USAGE', `a cluster job needs a video input and a video output, not ${inputKind} input ${req.input} and ${outputKind} output ${req.output}`);
  }
  if (!ROUTES[inputKind]?.includes(outputKind)) {
    throw new UpframeError('USAGE', `cannot write ${inputKind} input ${req.input} as ${outputKind} output ${req.output}`, {
      hint: `A ${inputKind} input can be written as: ${ROUTES[inputKind]?.join(' or ')}. Video outputs end in .mp4/.mkv/.webm/.mov, images in .png/.jpg/.webp/.tiff/.avif, animations (from an animated input) in .gif/.webp/.png/.apng; a directory gets frames.`,
    });
  }
  // Refuse an output that exists or would mix with the input now, before seconds of backend start-up.
  // A part writes into the job's journal folder; the join alone places the output.
  if (!req.part && (outputKind !== 'image' || extname(output))) {
    await guardOutput(output, { kind: outputKind === 'sequence' ? 'dir' : 'file', overwrite: req.overwrite, allowOtherFiles: req.allowOtherFiles, inputs: [input] });
  }
  const formatSelector: FormatSelector = container.resolve(TOKENS.FormatSelectors).create(container, req.format, req.formatOptions ?? {});
  const decoder = container.resolve(TOKENS.Sources).create(container, inputKind, { input, extra: inputKind === 'video' && req.deinterlace ? { deinterlace: req.deinterlace } : undefined });
  const background = req.background ?? DEFAULT_BACKGROUND;
  const source = req.alpha === 'drop' ? new AlphaDropSource(decoder, parseColour(background), background) : decoder;
  const sink = container.resolve(TOKENS.Sinks).create(container, outputKind, {
    output,
    overwrite: req.overwrite,
    allowOtherFiles: req.allowOtherFiles,
    formatSelector,
    extra: {
      codec: req.codec, crf: req.crf, preset: req.preset, pixelFormat: req.pixelFormat, audio: req.audio, subtitles: req.subtitles,
      partSeconds: req.partSeconds, fresh: req.fresh, journalSettings: journalSettings(req),
      // Only a frame folder's journal compares these (a video's bytes do not depend on them).
      ...(outputKind === 'sequence' ? { formatSettings: { format: req.format, formatOptions: JSON.stringify(req.formatOptions ?? {}) } } : {}),
      ...(req.part ? { clusterPart: { index: req.part.index, firstFrame: req.part.firstFrame, originPts: req.part.originPts, fingerprint: req.part.fingerprint } } : {}),
    },
  });
  const backendOptions = { model, device: req.device, precision: req.precision, threads: req.threads, extra: req.backendOptions };
  const create = () => createRunBackend(container, req.backend, backendOptions);
  const backend = req.backendSource ? req.backendSource(JSON.stringify([req.backend, backendOptions]), create) : create();
  const dedupes = container.resolve(TOKENS.Dedupe);
  // A single image has nothing to deduplicate, but a misspelt strategy is still a mistake to report.
  dedupes.get(req.dedupe);
  const dedupe = inputKind === 'image' ? dedupes.create(container, 'off', {}) : dedupes.create(container, req.dedupe, req.dedupeOptions ?? {});
  let report: RunReport | undefined;
  try {
    report = await runPipeline({
      source, backend, sink, dedupe, signal,
      batch: req.batch, tile: req.tile, inFlight: req.inFlight, maxPixels: req.maxPixels, acceptDamaged: req.acceptDamaged, endFrame: req.part?.endFrame,
      logger: container.resolve(TOKENS.Logger),
      // UPFRAME_POOL=off is a benchmark switch (bench/pipeline): it measures what pooling saves.
      pool: process.env.UPFRAME_POOL === 'off' ? undefined : new BufferPool(),
      cacheDir: upframeCacheDir('dedupe'),
      input, output,
      onStart: (info, plan) => progress.start(info, plan),
      onProgress: (p) => progress.update(p),
    });
    report.details = { ...report.details, format: formatSelector.summary?.() ?? req.format, ...peakRss(), ...cpuSeconds() };
    return report;
  } catch (error) {
    report = error instanceof PipelineRunError ? error.report : undefined;
    if (report) report.details = { ...report.details, ...peakRss() };
    throw keptWorkHint(error, output);
  } finally {
    if (req.report && report) await writeReport(req.report, report);
  }
}

/**
 * An interrupted run (Ctrl-C, SIGTERM) that leaves a journal folder says what it kept and how to
 * go on, instead of the generic "nothing was changed".
 */
function keptWorkHint(error: unknown, output: string): unknown {
  const dir = journalDir(output);
  if (!isUpframeError(error, 'CANCELLED') || !existsSync(dir)) return error;
  return new UpframeError('CANCELLED', error.message, {
    cause: error,
    file: dir,
    hint: `The output was not written. What was already committed is kept in ${dir}: run the same command again to resume from there, or add --fresh to start over.`,
  });
}

/**
 * An unknown catalog id is a usage mistake: say so now rather than after every backend candidate
 * has started and failed. Paths (`.onnx`, `model.json`) are checked by the backend that opens
 * them, and a plugin backend may know model names the catalog does not, so only the built-in
 * backends (and `auto` with nothing but them) are checked here.
 */
function checkModelName(container: DependencyContainer, backend: string, model: string): void {
  if (/[\\/]|\.(onnx|json|param)$/i.test(model) || isModelId(model)) return;
  const builtInOnly = BUILT_IN_BACKENDS.includes(backend) || (backend === AUTO_BACKEND && container.resolve(TOKENS.Backends).list().every((b) => BUILT_IN_BACKENDS.includes(b.name)));
  if (builtInOnly) getModel(model);
}

/**
 * What changes the pixels of a video, for the resume journal: a rerun with any of these changed
 * must not continue an earlier run's parts. (The encoder's settings the sink adds itself; batch
 * and seam-free tiling do not change pixels.)
 */
function journalSettings(req: UpscaleRequest): Record<string, string> {
  return {
    model: req.model,
    backend: req.backend,
    device: req.device,
    backendOptions: JSON.stringify(req.backendOptions ?? {}),
    dedupe: req.dedupe,
    dedupeOptions: JSON.stringify(req.dedupeOptions ?? {}),
    deinterlace: req.deinterlace ?? '',
    precision: req.precision ?? '',
    // --alpha drop flattens onto the background before the model sees the frame.
    alpha: req.alpha === 'drop' ? `drop onto ${req.background ?? DEFAULT_BACKGROUND}` : (req.alpha ?? ''),
  };
}

const BUILT_IN_BACKENDS: readonly string[] = ['onnx', 'tfjs'];

/** Peak resident memory of this process so far: the number that shows whether memory grows with the video. */
function peakRss(): { peakRssMb: number } {
  return { peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) };
}

/**
 * CPU seconds (user + system) of this process (model inference included: its threads run here) and
 * of the ffmpeg processes per stage: on a CPU-bound machine every second outside the model is taken
 * from it, and on a GPU machine it is what decides whether the GPU is fed.
 */
function cpuSeconds(): { cpuSeconds: Record<string, number> } {
  const own = process.cpuUsage();
  const round = (s: number) => Math.round(s * 1000) / 1000;
  const tools = toolCpuSeconds();
  return { cpuSeconds: { process: round((own.user + own.system) / 1e6), decode: round(tools.decode), encode: round(tools.encode), join: round(tools.join), setup: round(tools.setup + tools.other) } };
}
