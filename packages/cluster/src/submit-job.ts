import { FlowProducer, type ConnectionOptions } from 'bullmq';
import { JOB_DATA_VERSION, type JobSettings, type JoinJobData, type PartJobData } from './job-data.js';
import type { PlannedPart } from './part-plan.js';
import { JOINS_QUEUE, PARTS_QUEUE, partJobId } from './queue-names.js';
import { queueError } from './queue-errors.js';

export interface SubmitRequest {
  readonly job: string;
  readonly input: string;
  readonly output: string;
  readonly parts: readonly PlannedPart[];
  readonly frames: number;
  readonly settings: JobSettings;
  /** Tries per part (and for the join) before the job fails. */
  readonly attempts?: number;
  /** First retry delay; doubled on each further attempt. */
  readonly backoffMs?: number;
}

/**
 * Enqueue a job as one BullMQ flow: a child job per part and a parent join job that BullMQ starts
 * only when every child has completed. A part that fails on its last attempt fails the parent
 * (`failParentOnFailure`), so `cluster wait` sees the job fail with the part's error.
 */
export async function submitJob(connection: ConnectionOptions, r: SubmitRequest): Promise<void> {
  const attempts = r.attempts ?? 3;
  const backoff = { type: 'exponential' as const, delay: r.backoffMs ?? 2000 };
  const keep = { removeOnComplete: { age: 7 * 24 * 3600 }, removeOnFail: { age: 7 * 24 * 3600 } };
  const join: JoinJobData = { version: JOB_DATA_VERSION, job: r.job, input: r.input, output: r.output, parts: r.parts.length, frames: r.frames, settings: r.settings };
  const flow = new FlowProducer({ connection });
  flow.on('error', () => {});
  try {
    await flow.add({
      name: 'join',
      queueName: JOINS_QUEUE,
      data: join,
      opts: { jobId: r.job, attempts, backoff, ...keep },
      children: r.parts.map((p) => {
        const data: PartJobData = {
          version: JOB_DATA_VERSION,
          job: r.job,
          input: r.input,
          output: r.output,
          part: { index: p.index, count: r.parts.length, firstFrame: p.firstFrame, endFrame: p.endFrame, startPts: p.startPts, originPts: r.parts[0].startPts },
          settings: r.settings,
        };
        return { name: `part ${p.index}`, queueName: PARTS_QUEUE, data, opts: { jobId: partJobId(r.job, p.index), attempts, backoff, failParentOnFailure: true, ...keep } };
      }),
    });
  } catch (error) {
    throw queueError(error, connection);
  } finally {
    await flow.close().catch(() => {});
  }
}
