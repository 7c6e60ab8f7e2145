import { UpframeError } from './errors.js';

export const REPORT_STAGES = ['decode', 'dedupe', 'infer', 'encode'] as const;
export type ReportStage = (typeof REPORT_STAGES)[number];

/** The run report: filled by every stage, written by the CLI's `--report`. Keys are stable. */
export interface RunReport {
  input: string;
  output: string;
  backend: { name: string; device: string; provider: string };
  model: { id: string; scale: number };
  frames: { total: number; inferred: number; duplicates: number; written: number; missing: number[] };
  timings: { totalSeconds: number; stages: Record<ReportStage, number> };
  warnings: string[];
  errors: { code: string; message: string; stage?: string; frame?: number; plugin?: string }[];
  /** Extra detail (batch, tile, dedupe and format decisions). Not part of the stable keys. */
  details?: Record<string, unknown>;
}

export function emptyReport(input = '', output = ''): RunReport {
  return {
    input,
    output,
    backend: { name: '', device: '', provider: '' },
    model: { id: '', scale: 1 },
    frames: { total: 0, inferred: 0, duplicates: 0, written: 0, missing: [] },
    timings: { totalSeconds: 0, stages: { decode: 0, dedupe: 0, infer: 0, encode: 0 } },
    warnings: [],
    errors: [],
    details: {},
  };
}

/** Record an error into the report in its stable shape. */
export function reportError(report: RunReport, error: unknown): void {
  const e = error as { code?: string; message?: string; stage?: string; frameIndex?: number; plugin?: string };
  report.errors.push({
    code: error instanceof UpframeError ? error.code : 'INTERNAL',
    message: e?.message ?? String(error),
    ...(e?.stage ? { stage: e.stage } : {}),
    ...(typeof e?.frameIndex === 'number' ? { frame: e.frameIndex } : {}),
    ...(e?.plugin ? { plugin: e.plugin } : {}),
  });
}

/**
 * Wall time during which at least one interval was open: the infer stage overlaps itself when
 * several batches are in flight, and summing would count the same second twice.
 */
export class BusyClock {
  private open = 0;
  private since = 0;
  private total = 0;

  start(now = performance.now()): void {
    if (this.open++ === 0) this.since = now;
  }

  stop(now = performance.now()): void {
    if (--this.open === 0) this.total += now - this.since;
  }

  get seconds(): number {
    return this.total / 1000;
  }
}
