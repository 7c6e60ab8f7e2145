import type { DedupeStats } from './contracts/dedupe-strategy.js';
import { UpframeError } from './errors.js';
import type { DamagedRange } from './timestamp-gaps.js';

export const REPORT_STAGES = ['decode', 'dedupe', 'infer', 'encode'] as const;
export type ReportStage = (typeof REPORT_STAGES)[number];

/** The run report: filled by every stage, written by the CLI's `--report`. Keys are stable. */
export interface RunReport {
  input: string;
  output: string;
  backend: { name: string; device: string; provider: string; precision?: 'fp16' | 'fp32' };
  /** `family` and `files` (path and sha256 of each model file) when the backend reports them (ncnn models). */
  model: { id: string; scale: number; family?: string; files?: readonly { readonly path: string; readonly sha256: string }[] };
  frames: {
    total: number;
    inferred: number;
    duplicates: number;
    /** Frames the sink committed: 0 whenever the run failed, because a failed run leaves no output. */
    written: number;
    /** Source frame indices that never arrived (every damaged range expanded). */
    missing: number[];
    /** Frames handed to the sink before the run failed (present only then: they were not kept). */
    encoded?: number;
    /** Frames an interrupted earlier run had committed, kept rather than computed again (present only for a resumed run). */
    resumed?: number;
    /** Frames this run decoded past the resumed ones (present only for a resumed run). */
    computed?: number;
    /**
     * Frames the decoder produced in this run (present only for a resumed run): `computed` plus the
     * few a seek decodes between the keyframe and the resume point, or every frame where the source cannot seek.
     */
    decoded?: number;
    /** Runs of frames the decoder lost, by source index and time (present only for a damaged input). */
    damaged?: DamagedRange[];
  };
  timings: { totalSeconds: number; stages: Record<ReportStage, number> };
  warnings: string[];
  errors: { code: string; message: string; stage?: string; frame?: number; plugin?: string }[];
  /** Extra detail (batch, tile, dedupe and format decisions). Not part of the stable keys. */
  details?: RunDetails;
}

/** `RunReport.details`: open-ended, with the parts a stage contract defines typed. */
export interface RunDetails {
  /** The dedupe strategy's `stats()`, read after its `end()`. */
  dedupe?: DedupeStats;
  [key: string]: unknown;
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
