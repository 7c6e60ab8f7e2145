/** The two BullMQ queues of a cluster: part jobs (many workers) and join jobs (the parent of each flow). */
export const PARTS_QUEUE = 'upframe-parts';
export const JOINS_QUEUE = 'upframe-joins';

/** The BullMQ job id of part `index` of job `job`: stable, so a resubmitted job finds its parts again. */
export function partJobId(job: string, index: number): string {
  return `${job}-part-${index}`;
}
