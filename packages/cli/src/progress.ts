import type { Logger, PipelineProgress, RunPlan, RunReport, SourceInfo } from '@upframe/core';
import { findHint } from './print-error.js';

export const PROGRESS_MODES = ['tty', 'plain', 'json', 'quiet'] as const;
export type ProgressMode = (typeof PROGRESS_MODES)[number];

export interface ProgressReporter {
  start(info: SourceInfo, plan: RunPlan): void;
  update(p: PipelineProgress): void;
  done(report: RunReport): void;
  fail(error: unknown, report?: RunReport): void;
}

export function pickMode(opts: { json?: boolean; quiet?: boolean }, stream: NodeJS.WriteStream = process.stderr): ProgressMode {
  if (opts.json) return 'json';
  if (opts.quiet) return 'quiet';
  return stream.isTTY ? 'tty' : 'plain';
}

function clock(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** One human line: frames done/total, fps, ETA, inferred vs duplicate. */
export function progressLine(p: PipelineProgress): string {
  const total = p.total ?? 0;
  const eta = total > p.done && p.fps > 0 ? (total - p.done) / p.fps : 0;
  const count = total ? `${p.done}/${total}` : `${p.done}`;
  return `${count} frames  ${p.fps.toFixed(1)} fps  ETA ${total ? clock(eta) : '--:--'}  inferred ${p.inferred}  duplicates ${p.duplicates}`;
}

function bar(p: PipelineProgress, width = 24): string {
  if (!p.total) return '';
  const filled = Math.min(width, Math.round((p.done / p.total) * width));
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] `;
}

export function createProgress(mode: ProgressMode, out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): ProgressReporter {
  let lastPrint = 0;
  const emit = (event: Record<string, unknown>) => out.write(JSON.stringify(event) + '\n');
  return {
    start(info, plan) {
      if (mode === 'json') emit({ event: 'start', input: info.path, width: info.width, height: info.height, frames: info.frameCount ?? null, batch: plan.batch, tile: plan.tile ?? null });
      else if (mode !== 'quiet') err.write(`upscaling ${info.path} (${info.width}x${info.height}${info.frameCount ? `, ${info.frameCount} frames` : ''}), batch ${plan.batch}${plan.tile ? `, tile ${plan.tile}` : ''}\n`);
    },
    update(p) {
      const now = Date.now();
      if (mode === 'tty') {
        if (now - lastPrint < 100 && p.done !== p.total) return;
        err.write(`\r\x1b[2K${bar(p)}${progressLine(p)}`);
      } else if (mode === 'plain') {
        if (now - lastPrint < 2000 && p.done !== p.total) return;
        err.write(`${progressLine(p)}\n`);
      } else if (mode === 'json') {
        if (now - lastPrint < 250 && p.done !== p.total) return;
        emit({ event: 'progress', done: p.done, total: p.total ?? null, fps: Number(p.fps.toFixed(2)), inferred: p.inferred, duplicates: p.duplicates, elapsedSeconds: Number(p.elapsedSeconds.toFixed(3)) });
      }
      lastPrint = now;
    },
    done(report) {
      if (mode === 'tty') err.write('\n');
      if (mode === 'json') emit({ event: 'done', report });
    },
    fail(error, report) {
      if (mode === 'tty') err.write('\n');
      if (mode === 'json') {
        const hint = findHint(error);
        emit({ event: 'error', code: (error as { code?: string }).code ?? 'INTERNAL', message: error instanceof Error ? error.message : String(error), ...(hint ? { hint } : {}), report: report ?? null });
      }
    },
  };
}

/**
 * The logger of a `--json` run: each warning is a `{"event":"warning","message":…}` line on `out`
 * the moment it happens (a script sees it before the run ends); info and debug stay silent so
 * stdout carries events only, and errors arrive as the final `error` event.
 */
export function createJsonEventLogger(out: NodeJS.WritableStream): Logger {
  return {
    debug() {},
    info() {},
    warn: (message) => out.write(JSON.stringify({ event: 'warning', message }) + '\n'),
    error() {},
  };
}

/** The few lines printed after a run. */
export function reportSummary(r: RunReport): string {
  const f = r.frames;
  const t = r.timings;
  const fps = t.totalSeconds > 0 ? f.written / t.totalSeconds : 0;
  const lines = [
    `wrote ${r.output}`,
    `  frames: ${f.written}/${f.total} written, ${f.inferred} inferred, ${f.duplicates} duplicates reused${f.resumed ? `; ${f.resumed} resumed from an interrupted run, ${f.computed ?? 0} computed now` : ''}`,
    `  model: ${r.model.id} (x${r.model.scale}) on ${r.backend.name} [${r.backend.provider}, ${r.backend.device}]`,
    `  time: ${t.totalSeconds.toFixed(2)} s (${fps.toFixed(1)} fps); decode ${t.stages.decode.toFixed(2)} s, dedupe ${t.stages.dedupe.toFixed(2)} s, infer ${t.stages.infer.toFixed(2)} s, encode ${t.stages.encode.toFixed(2)} s`,
  ];
  if (typeof r.details?.replaced === 'number') lines.push(`  replaced ${r.details.replaced} existing file(s) (--overwrite)`);
  if (r.warnings.length) lines.push(`  warnings: ${r.warnings.length} (shown above; kept in --report)`);
  return lines.join('\n') + '\n';
}
