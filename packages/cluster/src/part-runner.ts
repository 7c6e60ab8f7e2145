import type { JoinJobData, PartJobData } from './job-data.js';

/** What a worker reports while a part runs (shown by `upframe cluster status`). */
export interface PartProgress {
  readonly framesDone: number;
  readonly frames: number;
  readonly fps?: number;
}

/** A committed part, as recorded in the job's journal. */
export interface PartResult {
  readonly index: number;
  readonly frames: number;
  readonly bytes: number;
  readonly sha256: string;
  /** True when the part was already committed with a matching hash, so nothing was redone. */
  readonly reused: boolean;
}

export interface JoinResult {
  readonly output: string;
  readonly frames: number;
}

/**
 * The work a worker does for each job: run the upscale pipeline on one part's frames and commit
 * the part atomically, and, once all parts are committed, join them into the output. The queue
 * layer (attempts, stalled parts, reconnects) is BullMQ's; this is the media layer.
 */
export interface PartRunner {
  runPart(data: PartJobData, progress: (p: PartProgress) => void, signal: AbortSignal): Promise<PartResult>;
  join(data: JoinJobData, parts: readonly PartResult[]): Promise<JoinResult>;
}
