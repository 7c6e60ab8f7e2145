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
 * Memory a run may plan for. `overrideBytes` wins; then what the backend reported about its
 * device in `info().memoryBudget` (core knows no GPUs: a CUDA, ROCm or CoreML backend measures
 * its own); else half of the free system RAM.
 */
export function detectMemoryBudget(init: Pick<BackendInitInfo, 'memoryBudget'>, overrideBytes?: number, probe: MemoryProbe = {}): MemoryBudget {
  if (overrideBytes !== undefined) return { bytes: overrideBytes, source: 'override', detail: `${mib(overrideBytes)} MiB (set by caller)` };
  const reported = init.memoryBudget;
  if (reported && Number.isFinite(reported.bytes) && reported.bytes > 0) {
    return { bytes: Math.floor(reported.bytes), source: 'backend', detail: reported.detail };
  }
  const free = Math.min((probe.freeRam ?? freemem)(), (probe.totalRam ?? totalmem)());
  const bytes = Math.floor(free * RAM_FRACTION);
  return { bytes, source: 'system-ram', detail: `${mib(free)} MiB RAM free, planning ${mib(bytes)} MiB` };
}

function mib(bytes: number): number {
  return Math.round(bytes / (1024 * 1024));
}
