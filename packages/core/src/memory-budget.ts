import { freemem, totalmem } from 'node:os';
import type { BackendInitInfo } from './contracts/inference-backend.js';

export interface MemoryBudget {
  /** Bytes the run may use for frames and activations. */
  readonly bytes: number;
  /**
   * Where the figure came from, for the report: the caller's override, the backend's own report
   * of its device (free VRAM, say), or free system RAM.
   */
  readonly source: 'override' | 'backend' | 'system-ram';
  readonly detail: string;
}

/** The system-RAM figures core reads; tests pass fakes. */
export interface MemoryProbe {
  freeRam?(): number;
  totalRam?(): number;
}

/** Fraction of free RAM a run plans to use: leave room for the runtime, decoder and encoder. */
export const RAM_FRACTION = 0.5;

/**
 * Ceiling on a system-RAM budget, whatever the machine has free. Half the free RAM alone let a
 * 2000×1500 image run whole: 5.5 GB peak RSS where 256-px tiles gave the bit-identical output in
 * 1.6 GB and ran faster (docs/benchmarks.md, "Big images"). On CPU, activations far larger than
 * the caches buy no speed, so the budget only has to be big enough for batches of mid-size tiles.
 * Measured there (esrgan-slim-x2, 2 cores): 128/256/384/512-px tiles in batches of 4 took
 * 29/22/36/41 s and the whole frame 31 s, so past ~300-px windows more memory only slows a run
 * down. 1 GiB holds four ~350-px windows of that model (~2 KB per input pixel) and keeps the peak
 * near 1.3 GB; a machine with less free RAM gets half of what it has, as before.
 */
export const RAM_BUDGET_CAP_BYTES = 1024 ** 3;

/**
 * Memory a run may plan for. `overrideBytes` wins; then what the backend reported about its
 * device in `info().memoryBudget` (core knows no GPUs: a CUDA, ROCm or CoreML backend measures
 * its own); else half of the free system RAM, at most {@link RAM_BUDGET_CAP_BYTES}.
 */
export function detectMemoryBudget(init: Pick<BackendInitInfo, 'memoryBudget'>, overrideBytes?: number, probe: MemoryProbe = {}): MemoryBudget {
  if (overrideBytes !== undefined) return { bytes: overrideBytes, source: 'override', detail: `${mib(overrideBytes)} MiB (set by caller)` };
  const reported = init.memoryBudget;
  if (reported && Number.isFinite(reported.bytes) && reported.bytes > 0) {
    return { bytes: Math.floor(reported.bytes), source: 'backend', detail: reported.detail };
  }
  const free = Math.min((probe.freeRam ?? freemem)(), (probe.totalRam ?? totalmem)());
  const half = Math.floor(free * RAM_FRACTION);
  const bytes = Math.min(half, RAM_BUDGET_CAP_BYTES);
  const capped = bytes < half ? ` (capped: ${mib(RAM_BUDGET_CAP_BYTES)} MiB at most on CPU)` : '';
  return { bytes, source: 'system-ram', detail: `${mib(free)} MiB RAM free, planning ${mib(bytes)} MiB${capped}` };
}

function mib(bytes: number): number {
  return Math.round(bytes / (1024 * 1024));
}
