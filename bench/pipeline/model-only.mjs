// Child process: times backend.run alone over frames decoded beforehand, with the CLI's backend
// settings, so (CLI wall time / this) is the pipeline's overhead. Prints one JSON line.
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { createUpframeContainer, createConsoleLogger, TOKENS } from '@upframe/core';
import { register as registerOnnx } from '@upframe/backend-onnx';
import { decodeFrames } from './decode-frames.mjs';

const { values: v } = parseArgs({ options: { input: { type: 'string' }, size: { type: 'string' }, batch: { type: 'string', default: '1' }, model: { type: 'string', default: 'esrgan-slim-x2' }, threads: { type: 'string' }, frames: { type: 'string' }, warmup: { type: 'string', default: '1' }, extra: { type: 'string', default: '{}' } } });
const [width, height] = v.size.split('x').map(Number);
const batch = Number(v.batch);
const frames = await decodeFrames(v.input, width, height, v.frames ? Number(v.frames) : Infinity);
const container = createUpframeContainer({ logger: createConsoleLogger('warn') });
registerOnnx(container);
const backend = await container.resolve(TOKENS.Backends).create(container, 'onnx', {
  model: v.model, device: 'cpu', threads: v.threads ? Number(v.threads) : undefined, cacheDir: process.env.UPFRAME_MODEL_CACHE, extra: JSON.parse(v.extra),
});
const init0 = performance.now();
await backend.initialize();
const initSeconds = (performance.now() - init0) / 1000;
const images = frames.map((data) => ({ width, height, channels: 3, data }));
// Warm-up batches are not timed: the CLI pays session creation and first-run allocation too,
// but that is reported separately as initSeconds.
for (let w = 0; w < Number(v.warmup); w++) await backend.run(images.slice(0, batch));
const t0 = performance.now();
const cpu0 = process.cpuUsage();
for (let i = 0; i < images.length; i += batch) await backend.run(images.slice(i, i + batch));
const runSeconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
await backend.dispose();
console.log(JSON.stringify({ frames: images.length, batch, runSeconds, cpuSeconds, initSeconds, fps: images.length / runSeconds, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
