// Child process: the classic disk-based upscale, done the way a careful script would do it.
// ffmpeg extracts every frame to PNG, each file goes sharp read → the same onnx backend and model
// (same batch size) → sharp PNG write, then ffmpeg encodes the folder with the CLI's encoder
// settings. Prints one JSON line with the time of each phase.
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { createUpframeContainer, createConsoleLogger, TOKENS } from '@upframe/core';
import { register as registerOnnx } from '@upframe/backend-onnx';
import { FFMPEG } from './decode-frames.mjs';

const { values: v } = parseArgs({ options: { input: { type: 'string' }, work: { type: 'string' }, batch: { type: 'string', default: '1' }, model: { type: 'string', default: 'esrgan-slim-x2' }, fps: { type: 'string', default: '24' } } });
const batch = Number(v.batch);
const inDir = join(v.work, 'in');
const outDir = join(v.work, 'out');
rmSync(v.work, { recursive: true, force: true });
mkdirSync(inDir, { recursive: true });
mkdirSync(outDir, { recursive: true });
const quiet = ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y'];
const phase = {};
let t = performance.now();
const lap = (name) => {
  const now = performance.now();
  phase[name] = (now - t) / 1000;
  t = now;
};

execFileSync(FFMPEG, [...quiet, '-i', v.input, '-start_number', '0', join(inDir, '%06d.png')]);
lap('extract');
const container = createUpframeContainer({ logger: createConsoleLogger('warn') });
registerOnnx(container);
const backend = await container.resolve(TOKENS.Backends).create(container, 'onnx', { model: v.model, device: 'cpu', cacheDir: process.env.UPFRAME_MODEL_CACHE });
await backend.initialize();
lap('init');
const files = readdirSync(inDir).filter((f) => f.endsWith('.png')).sort();
let read = 0;
let infer = 0;
let write = 0;
for (let i = 0; i < files.length; i += batch) {
  const group = files.slice(i, i + batch);
  let s = performance.now();
  const images = await Promise.all(group.map(async (f) => {
    const { data, info } = await sharp(join(inDir, f)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    return { width: info.width, height: info.height, channels: 3, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
  }));
  read += performance.now() - s;
  s = performance.now();
  const outs = await backend.run(images);
  infer += performance.now() - s;
  s = performance.now();
  await Promise.all(outs.map((im, k) => sharp(im.data, { raw: { width: im.width, height: im.height, channels: 3 } }).png().toFile(join(outDir, group[k]))));
  write += performance.now() - s;
}
await backend.dispose();
Object.assign(phase, { read: read / 1000, infer: infer / 1000, write: write / 1000 });
t = performance.now();
execFileSync(FFMPEG, [...quiet, '-framerate', v.fps, '-start_number', '0', '-i', join(outDir, '%06d.png'), '-c:v', 'libx264', '-crf', '0', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', join(v.work, 'out.mkv')]);
lap('encode');
rmSync(v.work, { recursive: true, force: true });
console.log(JSON.stringify({ frames: files.length, phase }));
