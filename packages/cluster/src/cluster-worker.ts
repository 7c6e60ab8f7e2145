import { hostname } from 'node:os';
import { UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { isUpframeError } from '@upframe/core';
import { assertInsideRoots } from './root-guard.js';
import { parseJoinJobData, parsePartJobData } from './job-data.js';
import type { PartResult, PartRunner } from './part-runner.js';
import { JOINS_QUEUE, PARTS_QUEUE } from './queue-names.js';

export interface WorkerOptions {
  readonly connection: ConnectionOptions;
  readonly runner: PartRunner;
  /** Folders this worker may read and write in; every path of a job must lie inside one. */
  readonly roots: readonly string[];
  /** Parts run at once by this worker (one per GPU or per core group). */
  readonly concurrency?: number;
  /** Shown by `cluster status` as the part's worker. */
  readonly name?: string;
  /** How long a part's lock lasts without renewal: a killed worker's part is re-run after about this. */
  readonly lockMs?: number;
  readonly onEvent?: (message: string) => void;
}

export interface RunningWorker {
  readonly name: string;
  close(): Promise<void>;
}

/**
 * Takes part jobs and join jobs. BullMQ does the distribution: a part's lock is renewed while it
 * runs; a worker that dies stops renewing, and another worker's stalled-job check puts the part
 * back (`maxStalledCount`), while a thrown error is retried with backoff up to the job's attempts.
 */
export function startWorker(o: WorkerOptions): RunningWorker {
  const name = o.name ?? `${hostname()}:${process.pid}`;
  const lockDuration = o.lockMs ?? 30_000;
  const common = { connection: o.connection, name, lockDuration, stalledInterval: lockDuration, maxStalledCount: 2 };
  const say = o.onEvent ?? (() => {});

  const parts = new Worker(
    PARTS_QUEUE,
    async (job: Job) => {
      const data = accepted(parsePartJobData, job.data, o.roots);
      const controller = new AbortController();
      const started = performance.now();
      say(`part ${data.part.index + 1}/${data.part.count} of ${data.job}: frames ${data.part.firstFrame}–${data.part.endFrame - 1}`);
      const result = await o.runner.runPart(
        data,
        (p) => void job.updateProgress({ ...p, fps: p.fps ?? p.framesDone / Math.max(1e-3, (performance.now() - started) / 1000) }).catch(() => {}),
        controller.signal,
      );
      say(`part ${data.part.index + 1}/${data.part.count} of ${data.job}: ${result.reused ? 'already committed' : 'committed'}`);
      return result;
    },
    { ...common, concurrency: o.concurrency ?? 1 },
  );
  const joins = new Worker(
    JOINS_QUEUE,
    async (job: Job) => {
      const data = accepted(parseJoinJobData, job.data, o.roots);
      const children = Object.values(await job.getChildrenValues<PartResult>()).sort((a, b) => a.index - b.index);
      say(`joining ${children.length} parts of ${data.job} into ${data.output}`);
      return o.runner.join(data, children);
    },
    { ...common, concurrency: 1 },
  );
  // Connection errors are retried by the client; without a listener they would be unhandled.
  for (const w of [parts, joins]) w.on('error', (e) => say(`queue connection: ${e.message}`));
  return {
    name,
    async close() {
      await Promise.all([parts.close(), joins.close()]);
    },
  };
}

/**
 * The payload, checked against its schema and this worker's roots. A payload the worker refuses
 * fails at once (BullMQ's UnrecoverableError): retrying cannot make it acceptable.
 */
function accepted<T extends { readonly input: string; readonly output: string }>(parse: (value: unknown) => T, value: unknown, roots: readonly string[]): T {
  try {
    const data = parse(value);
    assertInsideRoots(data.input, roots, 'input');
    assertInsideRoots(data.output, roots, 'output');
    return data;
  } catch (error) {
    if (isUpframeError(error) && (error.code === 'JOB_INVALID' || error.code === 'PATH_OUTSIDE_ROOT')) throw new UnrecoverableError(`${error.code}: ${error.message}`);
    throw error;
  }
}
