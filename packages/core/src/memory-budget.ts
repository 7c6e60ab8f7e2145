import { execFileSync } from 'node:child_process';
import { freemem, totalmem } from 'node:os';

export interface MemoryBudget {
  /** Bytes the run may use for frames and activations. */
  readonly bytes: number;
  /** Where the figure came from, for the report. */
  readonly source: 'nvidia-smi' | 'system-ram' | 'override';
  readonly detail: string;
}

export interface MemoryProbe {
  /** Runs nvidia-smi and returns its stdout, or throws. */
  nvidiaSmi?(args: readonly string[]): string;
  freeRam?(): number;
  totalRam?(): number;
}

const defaultProbe: Required<MemoryProbe> = {
  nvidiaSmi: (args) => execFileSync('nvidia-smi', args, { encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'] }),
  freeRam: freemem,
  totalRam: totalmem,
};

/** Fractions of free memory a run plans to use: leave room for the runtime, decoder and encoder. */
export const VRAM_FRACTION = 0.7;
export const RAM_FRACTION = 0.5;

/**
 * Memory a run may plan for: free VRAM of the chosen GPU (nvidia-smi) when the device is CUDA
 * and nvidia-smi answers, else free system RAM. `overrideBytes` wins when given.
 */
export function detectMemoryBudget(device: string, overrideBytes?: number, probe: MemoryProbe = {}): MemoryBudget {
  const p = { ...defaultProbe, ...probe };
  if (overrideBytes !== undefined) return { bytes: overrideBytes, source: 'override', detail: `${mib(overrideBytes)} MiB (set by caller)` };
  if (device.startsWith('cuda')) {
    const ordinal = device.includes(':') ? device.split(':')[1] : '0';
    try {
      const out = p.nvidiaSmi(['--query-gpu=memory.free', '--format=csv,noheader,nounits', '-i', ordinal]);
      const freeMiB = Number.parseFloat(out.trim().split('\n')[0]);
      if (Number.isFinite(freeMiB) && freeMiB > 0) {
        const bytes = Math.floor(freeMiB * 1024 * 1024 * VRAM_FRACTION);
        return { bytes, source: 'nvidia-smi', detail: `${Math.round(freeMiB)} MiB free on GPU ${ordinal}, planning ${mib(bytes)} MiB` };
      }
    } catch {
      // fall through to system RAM: no driver, no nvidia-smi, or it timed out
    }
  }
  const free = Math.min(p.freeRam(), p.totalRam());
  const bytes = Math.floor(free * RAM_FRACTION);
  return { bytes, source: 'system-ram', detail: `${mib(free)} MiB RAM free, planning ${mib(bytes)} MiB` };
}

function mib(bytes: number): number {
  return Math.round(bytes / (1024 * 1024));
}
