/** Inputs to the batch-size decision. */
export interface BatchSizeRequest {
  readonly width: number;
  readonly height: number;
  readonly scale: number;
  /** Backend's estimate of working bytes per input pixel; a conservative default is used otherwise. */
  readonly bytesPerInputPixel?: number;
  readonly budgetBytes: number;
  /** Backend limit. */
  readonly maxBatch: number;
  /** Upper bound regardless of memory: bigger batches stop paying off long before memory runs out. */
  readonly cap?: number;
}

export interface BatchSizeDecision {
  readonly batch: number;
  readonly perFrameBytes: number;
  /** True when even one frame does not fit: the caller should tile. */
  readonly needsTiling: boolean;
  readonly reason: string;
}

/** Default working-set estimate: fp32 input + output, plus ~64 live fp32 feature maps of 2 buffers. */
export function defaultBytesPerInputPixel(scale: number, channels = 3): number {
  return 4 * channels + 4 * channels * scale * scale + 64 * 4 * 2;
}

/**
 * Batch cap when memory allows more and the backend reports no `batchCap` of its own.
 * bench:pipeline measured batches 1–8 on CPU within the run-to-run noise (±8%) of each other at
 * 256×144 while peak RSS grows ~120 MB per frame of batch; with 4 the end-to-end overhead over
 * model-only was lowest (1.09 vs 1.17 at 8 and 1.19 at 2), at half the memory of 8. GPU caps are
 * the backends' to report (onnx and tfjs report 8 on CUDA), and so is a CPU cap that differs (onnx
 * reports 1: its calls block the event loop, and shorter ones keep the pipes moving).
 */
export const CPU_BATCH_CAP = 4;
export const DEFAULT_BATCH_CAP = CPU_BATCH_CAP;

/** Largest batch whose working set fits the budget, clamped to [1, min(maxBatch, cap)]. */
export function chooseBatchSize(req: BatchSizeRequest): BatchSizeDecision {
  const perPixel = req.bytesPerInputPixel ?? defaultBytesPerInputPixel(req.scale);
  const perFrameBytes = Math.ceil(req.width * req.height * perPixel);
  const limit = Math.max(1, Math.min(req.maxBatch, req.cap ?? DEFAULT_BATCH_CAP));
  const fits = Math.floor(req.budgetBytes / perFrameBytes);
  if (fits < 1) {
    return {
      batch: 1,
      perFrameBytes,
      needsTiling: true,
      reason: `one ${req.width}x${req.height} frame needs ~${mb(perFrameBytes)} MB, over the ${mb(req.budgetBytes)} MB budget: tiling`,
    };
  }
  const batch = Math.min(limit, fits);
  return {
    batch,
    perFrameBytes,
    needsTiling: false,
    reason: `~${mb(perFrameBytes)} MB per ${req.width}x${req.height} frame, ${mb(req.budgetBytes)} MB budget fits ${fits}, limit ${limit}`,
  };
}

/** Inputs to the tile-size decision; `width`/`height` are the frame's, when known. */
export interface TileSizeRequest extends Omit<BatchSizeRequest, 'width' | 'height' | 'maxBatch'> {
  readonly overlap: number;
  readonly width?: number;
  readonly height?: number;
  /** Windows per backend call the budget must hold: tiles are batched like frames. */
  readonly batch?: number;
}

/**
 * Square tile whose padded window, `batch` at a time, fits the budget (a multiple of 16, at
 * least 32). Given the frame size, the tile is then evened out over it: every window is inferred
 * at full size, so a sliver of a last column would cost as much as a whole tile.
 */
export function chooseTileSize(req: TileSizeRequest): number {
  const perPixel = req.bytesPerInputPixel ?? defaultBytesPerInputPixel(req.scale);
  const batch = Math.max(1, req.batch ?? 1);
  const side = Math.floor(Math.sqrt(req.budgetBytes / batch / perPixel)) - 2 * req.overlap;
  const most = Math.max(32, Math.floor(side / 16) * 16);
  if (!req.width || !req.height) return most;
  const across = Math.ceil(req.width / most);
  const down = Math.ceil(req.height / most);
  return Math.max(Math.ceil(req.width / across), Math.ceil(req.height / down));
}

function mb(bytes: number): number {
  return Math.round(bytes / 1e6);
}
