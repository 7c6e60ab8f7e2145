import { availableParallelism, cpus, platform, arch, totalmem } from 'node:os';
import { table } from '../table.js';
import type { BenchResult, BenchRun } from './bench-runner.js';

export interface MachineInfo {
  readonly platform: string;
  readonly arch: string;
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGb: number;
  readonly node: string;
}

export interface ReportSettings {
  readonly model: string;
  readonly width: number;
  readonly height: number;
  readonly frames: number;
  readonly batch: number;
  readonly warmup: number;
  readonly device: string;
  /** Pictures the frames were cut from. */
  readonly pictures: readonly string[];
}

export interface BenchReport extends BenchRun {
  readonly machine: MachineInfo;
  readonly settings: ReportSettings;
}

export function machineInfo(): MachineInfo {
  return {
    platform: platform(),
    arch: arch(),
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: availableParallelism(),
    memoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
  };
}

const HEAD = ['backend', 'runtime', 'device', 'init ms', 'fps', 'ms/frame p50', 'p95', 'GFLOP/s', 'peak RSS MB', 'max |Δ|', 'PSNR dB'];

function parityCells(r: BenchResult): [string, string] {
  if (!r.parity) return ['ref', 'ref'];
  if (r.parity.mismatch) return ['n/a', 'n/a'];
  return [String(r.parity.maxAbsDiff), Number.isFinite(r.parity.psnr) ? r.parity.psnr.toFixed(2) : 'inf'];
}

function row(r: BenchResult): string[] {
  return [r.backend, r.runtime, r.device, r.initMs.toFixed(0), r.fps.toFixed(2), r.msPerFrame.p50.toFixed(1), r.msPerFrame.p95.toFixed(1), r.gflops === undefined ? '-' : r.gflops.toFixed(1), r.peakRssMb.toFixed(0), ...parityCells(r)];
}

function caption(report: BenchReport): string {
  const s = report.settings;
  return `${s.model} on ${s.frames} frames of ${s.width}x${s.height}, batch ${s.batch}, ${s.warmup} warm-up frames, device ${s.device}`;
}

function notes(report: BenchReport): string[] {
  const reference = report.results.find((r) => r.parity === null)?.backend;
  const lines = [
    `parity: max |Δ| and PSNR of each backend's output against ${reference ?? 'the first backend'} (ref), on 0..255.`,
    'peak RSS is process-wide: backends ran one after another in one process, so a later peak can include memory an earlier one kept.',
  ];
  for (const r of report.results) if (r.parity?.mismatch) lines.push(`${r.backend}: parity not computed (${r.parity.mismatch}).`);
  for (const f of report.failed) lines.push(`${f.backend}: unavailable (${f.stage} failed${f.code ? `, ${f.code}` : ''}): ${f.reason}`);
  return lines;
}

/** Aligned table for a terminal, with the settings above it and notes and failures below. */
export function formatTable(report: BenchReport): string {
  const m = report.machine;
  const top = `${caption(report)}\n${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB, ${m.platform}-${m.arch}, Node ${m.node}\n\n`;
  return `${top}${table(HEAD, report.results.map(row))}\n${notes(report).join('\n')}\n`;
}

/** GitHub-flavoured markdown: the same table, pipes escaped, notes as a list. */
export function formatMarkdown(report: BenchReport): string {
  const esc = (cell: string) => cell.replace(/\|/g, '\\|');
  const line = (cells: readonly string[]) => `| ${cells.map(esc).join(' | ')} |`;
  const align = HEAD.map((_, i) => (i < 3 ? '---' : '---:'));
  const m = report.machine;
  return [
    `**${caption(report)}** (${m.cpu}, ${m.cores} cores, Node ${m.node})`,
    '',
    line(HEAD),
    `| ${align.join(' | ')} |`,
    ...report.results.map((r) => line(row(r))),
    '',
    ...notes(report).map((n) => `- ${n}`),
    '',
  ].join('\n');
}

const round = (v: number, digits = 3) => (Number.isFinite(v) ? Number(v.toFixed(digits)) : null);

/**
 * The `--json` document. PSNR is `null` when the outputs are identical (infinite PSNR), as JSON
 * has no Infinity; the reference backend's `parity` is `null`.
 */
export function toJson(report: BenchReport): object {
  return {
    results: report.results.map((r) => ({
      backend: r.backend,
      runtime: r.runtime,
      device: r.device,
      initMs: round(r.initMs, 1),
      fps: round(r.fps),
      msPerFrame: { p50: round(r.msPerFrame.p50, 2), p95: round(r.msPerFrame.p95, 2) },
      peakRssMb: round(r.peakRssMb, 1),
      ...(r.gflops === undefined ? {} : { gflops: round(r.gflops, 1) }),
      parity: r.parity && { against: r.parity.against, maxAbsDiff: round(r.parity.maxAbsDiff, 0), psnr: round(r.parity.psnr), ...(r.parity.mismatch ? { mismatch: r.parity.mismatch } : {}) },
      warnings: r.warnings,
    })),
    failed: report.failed,
    machine: report.machine,
    settings: report.settings,
  };
}
