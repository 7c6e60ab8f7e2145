import { UpframeError } from '@upframe/core';
import { workerAvailable } from './worker-session.js';

export const WORKER_SETTINGS = ['auto', 'on', 'off'] as const;
export type WorkerSetting = (typeof WORKER_SETTINGS)[number];

/**
 * Whether inference runs in a worker thread: backend option `worker`, else UPFRAME_ONNX_WORKER,
 * else `off`: bench:pipeline measured no gain on a 2-core CPU (inference saturates every core, so
 * there is nothing for the freed JS thread to overlap). `auto` uses it whenever it is built.
 */
export function useWorker(option: unknown, env = process.env.UPFRAME_ONNX_WORKER): boolean {
  const raw = option ?? env ?? 'off';
  const setting = typeof raw === 'boolean' ? (raw ? 'on' : 'off') : String(raw);
  if (!WORKER_SETTINGS.includes(setting as WorkerSetting)) {
    throw new UpframeError('USAGE', `onnx backend option worker must be one of ${WORKER_SETTINGS.join(', ')}, got ${setting}`);
  }
  if (setting === 'off') return false;
  const available = workerAvailable();
  if (setting === 'on' && !available) throw new UpframeError('BACKEND_INIT_FAILED', 'onnx worker requested, but its compiled entry (onnx-worker.js) is missing; build @upframe/backend-onnx');
  return available;
}
