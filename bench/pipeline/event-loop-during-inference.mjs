// Does onnxruntime-node's session.run() leave the Node event loop free? Runs three batches of
// esrgan-slim-x2 (4 × 256×144, 1 thread) while a 5 ms timer counts how often it gets to run.
// Usage: node bench/pipeline/event-loop-during-inference.mjs   (after any onnx run, e.g.
// `npx upframe demo`, so the converted model is in ~/.cache/upframe/onnx)
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(new URL('../../packages/backend-onnx/package.json', import.meta.url));
const ort = require('onnxruntime-node');
const dir = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'upframe', 'onnx');
const file = readdirSync(dir).find((f) => f.startsWith('esrgan-slim-x2-') && f.endsWith('.onnx'));
if (!file) throw new Error(`no esrgan-slim-x2 ONNX file in ${dir}: run an onnx upscale first (npx upframe demo)`);
const session = await ort.InferenceSession.create(join(dir, file), { intraOpNumThreads: 1 });
const input = new ort.Tensor('float32', new Float32Array(4 * 3 * 144 * 256), [4, 3, 144, 256]);
let ticks = 0;
let maxGap = 0;
let last = performance.now();
const timer = setInterval(() => {
  const now = performance.now();
  maxGap = Math.max(maxGap, now - last);
  last = now;
  ticks++;
}, 5);
const start = performance.now();
for (let i = 0; i < 3; i++) await session.run({ [session.inputNames[0]]: input });
const elapsed = performance.now() - start;
clearInterval(timer);
console.log(`3 batches: ${elapsed.toFixed(0)} ms; the 5 ms timer ran ${ticks} times (~${Math.round(elapsed / 5)} if the loop were free); longest gap ${maxGap.toFixed(0)} ms`);
