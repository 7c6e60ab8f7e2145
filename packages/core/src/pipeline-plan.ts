import { chooseBatchSize, chooseTileSize, CPU_BATCH_CAP } from './batch-sizer.js';
import type { SourceInfo } from './contracts/frame-source.js';
import type { InferenceBackend } from './contracts/inference-backend.js';
import { UpframeError } from './errors.js';
import { detectMemoryBudget, type MemoryProbe, type MemoryBudget } from './memory-budget.js';
import { DEFAULT_TILE_OVERLAP } from './tiled-backend.js';

export type BatchSetting = number | 'auto';
export type TileSetting = number | 'auto' | 'off';

/** How a run will be executed, decided once from the input, the backend and memory. */
export interface RunPlan {
  readonly batch: number;
  /** Tile side in input pixels, or undefined for whole frames. */
  readonly tile?: number;
  readonly overlap: number;
  readonly inFlight: number;
  /** Frames allowed between decode and sink (bounds memory). */
  readonly window: number;
  readonly budget: MemoryBudget;
  readonly reasons: readonly string[];
}

export interface PlanRequest {
  readonly batch?: BatchSetting;
  readonly tile?: TileSetting;
  readonly overlap?: number;
  readonly inFlight?: number;
  readonly window?: number;
  readonly memoryBudgetBytes?: number;
}

/** Default batches in flight: two lets decode/encode of one batch overlap compute of the next. */
export const DEFAULT_IN_FLIGHT = 2;

/**
 * Decides batch, tiling and the frame window. The memory budget and batch cap are the
 * backend's when its `info()` reports them (it knows its device); otherwise the bounded RAM
 * budget of {@link detectMemoryBudget} and {@link CPU_BATCH_CAP}. Under `tile: 'auto'` a frame
 * whose working set exceeds the budget is tiled, with tiles sized so a full batch of windows
 * fits. `probe` replaces the RAM readings in tests.
 */
export function planRun(info: SourceInfo, backend: InferenceBackend, req: PlanRequest = {}, probe?: MemoryProbe): RunPlan {
  const caps = backend.capabilities();
  const init = backend.info();
  const budget = detectMemoryBudget(init, req.memoryBudgetBytes, probe);
  const reasons: string[] = [`memory budget: ${budget.detail}`];
  const overlap = req.overlap ?? DEFAULT_TILE_OVERLAP;
  const sizing = { scale: backend.scale, bytesPerInputPixel: init.bytesPerInputPixel, budgetBytes: budget.bytes };

  const cap = validCap(init.batchCap) ?? CPU_BATCH_CAP;
  const tileCap = Math.max(cap, CPU_BATCH_CAP);
  const maxBatch = caps.maxBatch;

  let tile: number | undefined;
  const tileSetting = req.tile ?? 'auto';
  const tileSafe = init.tileSafe !== false;
  if (typeof tileSetting === 'number') {
    if (!Number.isInteger(tileSetting) || tileSetting < 8) throw new UpframeError('USAGE', `--tile must be auto, off or an integer ≥ 8, got ${tileSetting}`);
    if (!tileSafe) {
      throw new UpframeError('USAGE', `model ${init.model.id} is not tile-safe (it pools over the whole frame), so --tile ${tileSetting} would change its output`, {
        hint: 'Run it on whole frames: drop --tile (or use --tile off).',
      });
    }
    tile = tileSetting;
    reasons.push(`tile ${tile}px (requested), overlap ${overlap}px`);
  }
  if (typeof req.batch === 'number' && (!Number.isInteger(req.batch) || req.batch < 1)) {
    throw new UpframeError('USAGE', `--batch must be auto or a positive integer, got ${req.batch}`);
  }

  const whole = chooseBatchSize({ ...sizing, width: info.width, height: info.height, maxBatch, cap });
  if (tileSetting === 'auto' && whole.needsTiling && !tileSafe) {
    reasons.push(`no tiling: model ${init.model.id} is not tile-safe (it pools over the whole frame); whole frames although ${whole.reason}`);
  } else if (tileSetting === 'auto' && whole.needsTiling) {
    // Room for a full batch of windows: on CPU, batched mid-size tiles ran faster than one big
    // frame or one big tile (docs/benchmarks.md, "Big images"), and memory stays in the budget. A
    // backend's cap is for whole frames; windows, mid-size by construction, batch at least as many.
    const windows = Math.min(maxBatch, tileCap, typeof req.batch === 'number' ? req.batch : Infinity);
    tile = chooseTileSize({ ...sizing, overlap, width: info.width, height: info.height, batch: windows });
    reasons.push(`tile ${tile}px (auto: ${whole.reason}; ${windows} windows of ${tile + 2 * overlap}px fit), overlap ${overlap}px`);
  }

  let batch: number;
  if (typeof req.batch === 'number') {
    batch = Math.min(req.batch, maxBatch);
    reasons.push(`batch ${batch} (requested${batch < req.batch ? `, capped by backend max ${maxBatch}` : ''})`);
  } else {
    const w = tile ? Math.min(info.width, tile + 2 * overlap) : info.width;
    const h = tile ? Math.min(info.height, tile + 2 * overlap) : info.height;
    const decision = tile ? chooseBatchSize({ ...sizing, width: w, height: h, maxBatch, cap: tileCap }) : whole;
    batch = decision.batch;
    reasons.push(`batch ${batch}: ${decision.reason}`);
  }
  if (tileSetting === 'off' && tile === undefined) reasons.push('tiling off');

  const inFlight = req.inFlight ?? DEFAULT_IN_FLIGHT;
  if (!Number.isInteger(inFlight) || inFlight < 1) throw new UpframeError('USAGE', `in-flight batches must be a positive integer, got ${inFlight}`);
  const window = req.window ?? Math.max(8, batch * (inFlight + 1) * 2);
  return { batch, tile, overlap, inFlight, window, budget, reasons };
}

/** A reported cap that is not a positive integer is ignored rather than trusted. */
function validCap(cap: number | undefined): number | undefined {
  return cap !== undefined && Number.isInteger(cap) && cap >= 1 ? cap : undefined;
}
