// Inference worker entry. onnxruntime-node's session.run holds the JS thread for the whole batch,
// so in the main thread it stalls the ffmpeg pipes; here it only stalls this thread.
// A worker is an entry point: @upframe/core (for its errors) loads tsyringe, which needs the
// polyfill first. reflect-metadata is core's peer dependency, so it is installed wherever core is.
import 'reflect-metadata';
import { parentPort, workerData } from 'node:worker_threads';
import type { Image } from '@upframe/core';
import { importOrt, openSession, type OpenRequest } from './session-opener.js';
import type { BatchRunner } from './session-runner.js';
import { serializeError, type RunRequest, type WorkerReply } from './worker-protocol.js';

const port = parentPort!;
const post = (reply: WorkerReply, transfer: ArrayBuffer[] = []) => port.postMessage(reply, transfer);

let runner: BatchRunner | undefined;
try {
  const opened = await openSession(await importOrt(), workerData as OpenRequest);
  runner = opened.runner;
  post({ type: 'ready', spec: opened.spec, plan: opened.plan, warnings: [...opened.warnings], pixelsInGraph: opened.pixelsInGraph });
} catch (error) {
  post({ type: 'failed', error: serializeError(error) });
}

// Messages are handled one at a time (run blocks this thread), which is the queue we want:
// batches in flight wait here while the main thread keeps decoding and encoding.
port.on('message', async (msg: RunRequest | { type: 'release' }) => {
  if (msg.type === 'release') {
    await runner?.release().catch(() => undefined);
    runner = undefined;
    post({ type: 'released' });
    return;
  }
  try {
    if (!runner) throw new Error('the inference session is closed');
    const images: Image[] = msg.images.map((data) => ({ width: msg.width, height: msg.height, channels: 3, ...(msg.depth === 16 ? { depth: 16 as const } : {}), data }));
    const outputs = await runner.run(images, msg.width, msg.height);
    // Outputs are fresh arrays the worker never touches again: hand their memory over, no copy.
    // A batch from the byte graph is views of one array, whose memory is handed over once.
    const transfer = [...new Set(outputs.map((o) => o.data.buffer as ArrayBuffer))];
    post({ type: 'result', id: msg.id, images: outputs.map((o) => o.data), width: outputs[0]!.width, height: outputs[0]!.height, depth: outputs[0]!.depth ?? 8 }, transfer);
  } catch (error) {
    post({ type: 'error', id: msg.id, error: serializeError(error) });
  }
});
