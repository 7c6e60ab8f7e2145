// `@upframe/core/internal`: machinery shared by upframe's own packages. Not a public API: names
// here may change or go in any release, without a major version. Applications import
// `@upframe/core`, plugin authors `@upframe/core/plugin`.
export { OrderedBuffer } from './ordered-buffer.js';
export type { OrderedBufferOptions, OrderedBufferSummary } from './ordered-buffer.js';
export { SequenceTracker, validateSequenceEntries, describeMissing } from './sequence-validator.js';
export type { SequenceEntry } from './sequence-validator.js';
export { TimestampGapDetector, describeRange, rangeIndices, medianStep } from './timestamp-gaps.js';
export { chooseBatchSize, chooseTileSize, defaultBytesPerInputPixel, DEFAULT_BATCH_CAP, CPU_BATCH_CAP } from './batch-sizer.js';
export type { BatchSizeRequest, BatchSizeDecision } from './batch-sizer.js';
export { detectMemoryBudget, RAM_FRACTION, RAM_BUDGET_CAP_BYTES } from './memory-budget.js';
export type { MemoryProbe } from './memory-budget.js';
export { planTiles, extractRegion, pasteTile } from './tiling.js';
export type { Tile } from './tiling.js';
export { TiledBackend, DEFAULT_TILE_OVERLAP } from './tiled-backend.js';
export { OomRecovery } from './oom-recovery.js';
export type { OomRecoveryOptions } from './oom-recovery.js';
export type { TilingOptions } from './tiled-backend.js';
export { splitAlpha, mergeAlpha, hasTransparency, flattenAlpha, parseColour } from './alpha.js';
export type { RgbColour } from './alpha.js';
export { resizeBicubic } from './resample.js';
export { emptyReport, reportError, BusyClock } from './run-report.js';
export { planRun, DEFAULT_IN_FLIGHT } from './pipeline-plan.js';
export { runFrameFlow } from './frame-flow.js';
export type { FlowOptions, FlowProgress, FlowResult } from './frame-flow.js';
export { Semaphore } from './util/semaphore.js';
export { writeFileAtomic } from './util/atomic-write.js';
export { toRegistryEntry } from './plugin-host.js';
export { resolvePluginSpecifier, isPathSpecifier } from './plugin-resolve.js';
export type { ResolvedPlugin } from './plugin-resolve.js';
export { resolvePackageEntry } from './package-exports.js';
export { takes16, frameAt8, depthWarnings } from './stage-depths.js';
