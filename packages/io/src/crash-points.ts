/**
 * Where an interrupted run can die between two durable steps of writing its output. Setting
 * `UPFRAME_CRASH_AT=<point>` (or `<point>:<n>` for the n-th time it is reached) makes the process
 * SIGKILL itself there, as a power cut or the OOM killer would (`UPFRAME_CRASH_SIGNAL=SIGINT` sends
 * Ctrl-C's signal instead): the end-to-end tests use it to show that a rerun after a crash at each
 * point gives the same output. Unset, it does nothing.
 */
export type CrashPoint =
  /** A part file renamed into the journal folder, before the journal lists it. */
  | 'part-renamed'
  /** Every part committed, the join about to start. */
  | 'join-started'
  /** Every part joined into the workspace file and recorded as joined, before it is moved into place. */
  | 'join-written'
  /** The output in place, before the journal folder is removed. */
  | 'output-placed';

export function crashPoint(point: CrashPoint, count = 1): void {
  const wanted = process.env.UPFRAME_CRASH_AT;
  if (wanted === point || wanted === `${point}:${count}`) process.kill(process.pid, process.env.UPFRAME_CRASH_SIGNAL === 'SIGINT' ? 'SIGINT' : 'SIGKILL');
}
