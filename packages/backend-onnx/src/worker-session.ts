import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { UpframeError, type Image } from '@upframe/core';
import type { OpenedSession, OpenRequest } from './session-opener.js';
import type { BatchRunner } from './session-runner.js';
import { deserializeError, type RunRequest, type WorkerReply } from './worker-protocol.js';

const WORKER_URL = new URL('./onnx-worker.js', import.meta.url);

/**
 * Whether the compiled worker entry exists next to this module. Tests run the TypeScript sources,
 * where it does not; the backend then runs in-thread.
 */
export function workerAvailable(): boolean {
  return existsSync(fileURLToPath(WORKER_URL));
}

type Pending = { resolve: (images: Image[]) => void; reject: (error: Error) => void };

/** A session living in a worker thread, so inference never blocks the thread feeding ffmpeg. */
export class WorkerSession implements BatchRunner {
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private dead?: Error;
  private released?: Promise<void>;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (msg: WorkerReply) => {
      if (msg.type !== 'result' && msg.type !== 'error') return;
      const p = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      if (msg.type === 'error') p?.reject(deserializeError(msg.error));
      else p?.resolve(msg.images.map((data) => ({ width: msg.width, height: msg.height, channels: 3, ...(msg.depth === 16 ? { depth: 16 as const } : {}), data })));
    });
    const die = (error: Error) => {
      this.dead ??= error;
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
    };
    worker.on('error', (e) => die(new UpframeError('INFERENCE_FAILED', `the onnx inference worker crashed: ${e.message}`, { cause: e })));
    worker.on('exit', () => die(new UpframeError('INFERENCE_FAILED', 'the onnx inference worker exited')));
  }

  /** Starts the worker and opens the session there; rejects with the worker's typed error. */
  static start(req: OpenRequest): Promise<OpenedSession & { runner: WorkerSession }> {
    const worker = new Worker(WORKER_URL, { workerData: req });
    return new Promise((resolve, reject) => {
      const fail = (error: Error) => {
        void worker.terminate();
        reject(error);
      };
      worker.once('error', (e) => fail(new UpframeError('BACKEND_INIT_FAILED', `the onnx inference worker failed to start: ${e.message}`, { cause: e })));
      worker.once('message', (msg: WorkerReply) => {
        if (msg.type === 'failed') return fail(deserializeError(msg.error));
        if (msg.type !== 'ready') return fail(new UpframeError('INTERNAL', `onnx worker sent ${msg.type} before ready`));
        worker.removeAllListeners('error');
        resolve({ runner: new WorkerSession(worker), spec: msg.spec, plan: msg.plan, warnings: msg.warnings, pixelsInGraph: msg.pixelsInGraph });
      });
    });
  }

  run(images: readonly Image[], width: number, height: number): Promise<Image[]> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    // Inputs are copied by postMessage (the caller may reuse them); a copy of uint8 pixels is
    // cheap next to inference, and all per-value work (tensor encode/decode) happens over there.
    const depth = images[0]?.depth === 16 ? 16 : 8;
    const msg: RunRequest = { type: 'run', id, width, height, depth, images: images.map((im) => im.data.subarray(0, width * height * 3 * (depth / 8))) };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage(msg);
    });
  }

  release(): Promise<void> {
    this.released ??= (async () => {
      if (!this.dead) {
        const done = new Promise<void>((resolve) => {
          this.worker.on('message', (m: WorkerReply) => m.type === 'released' && resolve());
          this.worker.once('exit', () => resolve());
        });
        this.worker.postMessage({ type: 'release' });
        await done;
      }
      await this.worker.terminate();
    })();
    return this.released;
  }
}
