import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { TOKENS, UpframeError, type DeviceRequest, type Logger } from '@upframe/core';
import type { DependencyContainer } from 'tsyringe';
import { benchFrames } from './bench-frames.js';
import { formatMarkdown, formatTable, machineInfo, toJson, type BenchReport } from './bench-output.js';
import { runBench } from './bench-runner.js';
import { barChartSvg } from './svg-chart.js';
import { resolveNcnnModelId } from '../ncnn-model-resolution.js';

/** `upframe bench` options after parsing. */
export interface BenchFlags {
  readonly backends?: readonly string[];
  readonly model: string;
  readonly size: { readonly width: number; readonly height: number };
  readonly frames: number;
  readonly batch: number;
  readonly warmup: number;
  readonly device: DeviceRequest;
  readonly json: boolean;
  readonly markdown: boolean;
  readonly chart?: string;
  readonly plugin: readonly string[];
  /** `false` with `--no-config`. */
  readonly config?: boolean;
  /** Converted-model cache; the CLI passes its default cache's models folder. */
  readonly cacheDir?: string;
}

export interface BenchIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly signal?: AbortSignal;
  /** Builds the container (built-ins plus `--plugin` modules); `setupContainer` in the CLI. */
  setup(plugins: readonly string[], logger: Logger): Promise<{ container: DependencyContainer; modelDirs?: readonly string[] }>;
  readonly logger: Logger;
}

function chartFor(report: BenchReport): string {
  const s = report.settings;
  const m = report.machine;
  return barChartSvg(
    report.results.map((r) => ({ label: r.backend, value: r.fps, detail: `${r.runtime}, ${r.device}` })),
    {
      title: `upframe bench: ${s.model} at ${s.width}×${s.height}`,
      subtitle: `${s.frames} frames, batch ${s.batch}; ${m.cpu}, ${m.cores} cores`,
      valueAxis: 'frames per second (higher is better)',
      categoryAxis: 'backend',
      unit: 'fps',
    },
  );
}

/** Runs the bench the flags describe and prints table, markdown or JSON; returns the report. */
export async function benchAction(flags: BenchFlags, io: BenchIo): Promise<BenchReport> {
  if (flags.json && flags.markdown) throw new UpframeError('USAGE', '--json and --markdown exclude each other', { hint: 'Pick one output format.' });
  const { container, modelDirs } = await io.setup(flags.plugin, io.logger);
  // An ncnn model id (realesr-animevideov3-x2) is found in the model folders, as for upscale.
  const model = resolveNcnnModelId(flags.model, modelDirs);
  const registry = container.resolve(TOKENS.Backends);
  flags.backends?.forEach((name) => registry.get(name)); // unknown names: UNKNOWN_NAME listing the registered ones
  const { width, height } = flags.size;
  const say = flags.json ? undefined : (line: string) => io.stderr.write(`bench: ${line}\n`);
  const { frames, pictures } = await benchFrames({ width, height, count: flags.frames });
  say?.(`${frames.length} frames of ${width}x${height} cut from ${pictures.length} pictures; backends run one after another`);
  const run = await runBench(container, { backends: flags.backends, model, device: flags.device, batch: flags.batch, warmup: flags.warmup, cacheDir: flags.cacheDir }, frames, {
    signal: io.signal,
    onEvent: say,
  });
  const report: BenchReport = {
    ...run,
    machine: machineInfo(),
    settings: { model: flags.model, width, height, frames: flags.frames, batch: flags.batch, warmup: flags.warmup, device: flags.device, pictures },
  };
  if (flags.chart) {
    await writeFile(flags.chart, chartFor(report));
    say?.(`wrote ${resolve(flags.chart)}`);
  }
  io.stdout.write(flags.json ? JSON.stringify(toJson(report), null, 2) + '\n' : flags.markdown ? formatMarkdown(report) : formatTable(report));
  if (report.results.length === 0) {
    throw new UpframeError('BACKEND_UNAVAILABLE', `no backend could run ${flags.model}: ${run.failed.map((f) => `${f.backend}: ${f.reason}`).join('; ') || 'none registered'}`, {
      hint: 'Run `upframe backends` to see what works on this machine.',
    });
  }
  return report;
}
