import { Job, Queue, QueueEvents, type ConnectionOptions, type RedisOptions } from 'bullmq';
import { UpframeError } from '@upframe/core';
import { parseJoinJobData } from './job-data.js';
import type { PartProgress } from './part-runner.js';
import { JOINS_QUEUE, PARTS_QUEUE, partJobId } from './queue-names.js';
import { queueError } from './queue-errors.js';

export type PartState = 'waiting' | 'running' | 'done' | 'failed' | 'retrying' | 'missing';

export interface PartStatus {
  readonly index: number;
  readonly state: PartState;
  readonly frames: number;
  readonly framesDone: number;
  readonly worker?: string;
  readonly fps?: number;
  readonly attempts: number;
  readonly error?: string;
}

export interface JobStatus {
  readonly job: string;
  readonly output: string;
  /** done: the output is in place; failed: a part or the join failed for good. */
  readonly state: 'queued' | 'running' | 'joining' | 'done' | 'failed';
  readonly frames: number;
  readonly framesDone: number;
  readonly parts: readonly PartStatus[];
  readonly error?: string;
  /** Seconds left at the current combined fps, when parts are running. */
  readonly etaSeconds?: number;
}

const stateOf = (bull: string, attemptsMade: number, failedReason?: string): PartState => {
  if (bull === 'completed') return 'done';
  if (bull === 'failed') return 'failed';
  if (bull === 'active') return 'running';
  if (bull === 'delayed' || (bull === 'waiting' && attemptsMade > 0 && failedReason)) return 'retrying';
  return bull === 'unknown' ? 'missing' : 'waiting';
};

/** Reads the state of a submitted job and of each of its parts from the queues. */
export function jobStatus(connection: ConnectionOptions, job: string): Promise<JobStatus> {
  return withQueues(connection, (queues) => readStatus(queues, job));
}

/** The two queues a status is read from, opened once for as many reads as the caller makes. */
interface StatusQueues {
  readonly joins: Queue;
  /** Opened once Redis has answered: a queue closed while it is still connecting reports its failure to no one. */
  parts(): Queue;
}

async function withQueues<T>(connection: ConnectionOptions, use: (queues: StatusQueues) => Promise<T>): Promise<T> {
  const joins = new Queue(JOINS_QUEUE, { connection });
  // Connection errors reach the commands; without a listener they would also be unhandled events.
  joins.on('error', () => {});
  let parts: Queue | undefined;
  const queues: StatusQueues = {
    joins,
    parts() {
      if (!parts) {
        parts = new Queue(PARTS_QUEUE, { connection });
        parts.on('error', () => {});
      }
      return parts;
    },
  };
  try {
    return await use(queues);
  } catch (error) {
    throw queueError(error, connection);
  } finally {
    await Promise.all([joins.close(), parts?.close()]);
  }
}

async function readStatus(queues: StatusQueues, job: string): Promise<JobStatus> {
  const parent = await Job.fromId(queues.joins, job);
  if (!parent) throw new UpframeError('USAGE', `no cluster job "${job}" in this Redis`, { hint: 'Check the job id printed by `upframe cluster submit` and the --redis URL; finished jobs are kept 7 days.' });
  const data = parseJoinJobData(parent.data);
  const parts = queues.parts();
  const list: PartStatus[] = [];
  for (let index = 0; index < data.parts; index++) {
    const child = await Job.fromId(parts, partJobId(job, index));
    const bull = child ? await child.getState() : 'unknown';
    const progress = (child?.progress ?? {}) as Partial<PartProgress>;
    const range = (child?.data as { part?: { endFrame: number; firstFrame: number } } | undefined)?.part;
    const frames = range ? range.endFrame - range.firstFrame : 0;
    const state = stateOf(bull, child?.attemptsMade ?? 0, child?.failedReason);
    list.push({
      index,
      state,
      frames,
      framesDone: state === 'done' ? frames : Math.min(frames, progress.framesDone ?? 0),
      worker: child?.processedBy,
      fps: state === 'running' ? progress.fps : undefined,
      attempts: child?.attemptsMade ?? 0,
      error: child?.failedReason || undefined,
    });
  }
  const parentState = await parent.getState();
  const failedPart = list.find((p) => p.state === 'failed');
  const state: JobStatus['state'] =
    parentState === 'completed' ? 'done' : parentState === 'failed' || failedPart ? 'failed' : parentState === 'active' ? 'joining' : list.some((p) => p.state !== 'waiting') ? 'running' : 'queued';
  const framesDone = list.reduce((n, p) => n + p.framesDone, 0);
  const fps = list.reduce((n, p) => n + (p.fps ?? 0), 0);
  const error = failedPart ? `part ${failedPart.index + 1} of ${list.length} failed after ${failedPart.attempts} attempt(s): ${failedPart.error}` : parentState === 'failed' ? parent.failedReason : undefined;
  return { job, output: data.output, state, frames: data.frames, framesDone, parts: list, error, etaSeconds: fps > 0 ? (data.frames - framesDone) / fps : undefined };
}

/**
 * Waits until the job is done (resolves) or failed (throws OUTPUT_FAILED naming the part and its
 * error). The join queue's event stream wakes it the moment the job completes or fails (a part
 * that fails for good fails the job: `failParentOnFailure`), so it returns within milliseconds of
 * the join's end without polling Redis several times a second; between events the status is read
 * every `pollMs` (default 1 s) for `onStatus`, and as a safety net should an event be missed
 * (a Redis restart drops the blocking read).
 */
export function waitForJob(connection: ConnectionOptions, job: string, options: { pollMs?: number; onStatus?: (s: JobStatus) => void; signal?: AbortSignal } = {}): Promise<JobStatus> {
  // One set of connections for the whole wait, not a new one every read.
  return withQueues(connection, async (queues) => {
    // A blocking reader: BullMQ requires it to retry its command through reconnects (it warns
    // otherwise); a fail-fast connection still gives up on reconnecting after a few tries.
    const events = new QueueEvents(JOINS_QUEUE, { connection: blockingConnection(connection) });
    events.on('error', () => {});
    // An end that arrives while the status is being read is remembered, so the next wait returns at once.
    let ended = false;
    let wake = () => {};
    const onEnd = ({ jobId }: { jobId: string }) => {
      if (jobId !== job) return;
      ended = true;
      wake();
    };
    events.on('completed', onEnd);
    events.on('failed', onEnd);
    const stop = () => {
      ended = true;
      wake();
    };
    options.signal?.addEventListener('abort', stop);
    try {
      // Listening before the first read: an end between the read and the subscription is not missed.
      await events.waitUntilReady();
      for (;;) {
        const status = await readStatus(queues, job);
        options.onStatus?.(status);
        if (status.state === 'done') return status;
        if (status.state === 'failed') throw new UpframeError('OUTPUT_FAILED', `cluster job ${job} failed: ${status.error ?? 'no reason recorded'}`, { file: status.output, hint: 'Committed parts are kept: fix the cause and run the same `upframe cluster submit` again; only missing parts are redone.' });
        if (options.signal?.aborted) throw new UpframeError('CANCELLED', `stopped waiting for cluster job ${job}; it goes on running`);
        if (!ended) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, options.pollMs ?? 1000);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
        }
        ended = false;
      }
    } finally {
      options.signal?.removeEventListener('abort', stop);
      await events.close().catch(() => {});
    }
  });
}

/** Connection options (as `redisConnection` makes them) for a blocking reader; a client instance is left as it is. */
function blockingConnection(connection: ConnectionOptions): ConnectionOptions {
  if (typeof (connection as { connect?: unknown }).connect === 'function') return connection;
  const options: RedisOptions = { ...(connection as RedisOptions), maxRetriesPerRequest: null };
  return options;
}
