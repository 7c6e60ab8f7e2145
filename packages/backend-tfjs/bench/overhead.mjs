#!/usr/bin/env node
// Measures what the tfjs backend adds on top of calling the same tfjs model directly: both
// paths use the backend's own LayersModel on the same runtime and input, interleaved round by
// round so drift hits both. Run against compiled dist:
//   npx tsc -p packages/backend-tfjs/tsconfig.build.json
//   node packages/backend-tfjs/bench/overhead.mjs [--model esrgan-slim-x2] [--size 128x128] [--rounds 10] [--batch 1]
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import sharp from 'sharp';
import { silentLogger } from '@upframe/core';
import { requireInstalledModel } from '@upframe/models';
import { TfjsBackend } from '../dist/index.js';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'esrgan-slim-x2' },
    size: { type: 'string', default: '128x128' },
    rounds: { type: 'string', default: '10' },
    batch: { type: 'string', default: '1' },
    runtime: { type: 'string' },
  },
});
const [width, height] = values.size.split('x').map(Number);
const rounds = Number(values.rounds);
const batch = Number(values.batch);

const fixture = requireInstalledModel('esrgan-slim-x2').paths.fixture;
const { data } = await sharp(fixture).removeAlpha().resize(width, height).raw().toBuffer({ resolveWithObject: true });
const image = { width, height, channels: 3, data: new Uint8Array(data) };
const images = Array.from({ length: batch }, () => image);

const backend = new TfjsBackend({ model: values.model, device: 'auto', extra: values.runtime ? { runtime: values.runtime } : undefined }, silentLogger);
await backend.initialize();
const { model } = backend;
const range = requireInstalledModel(values.model).inputRange;
// Direct path gets its float input for free (prepared once, outside the timing): the most
// favourable case for it, so the ratio is an upper bound on the backend's overhead.
const direct = new Float32Array(batch * width * height * 3);
for (let b = 0; b < batch; b++) for (let i = 0; i < data.length; i++) direct[b * data.length + i] = range[0] + (data[i] * (range[1] - range[0])) / 255;

const viaBackend = async () => backend.run(images);
const viaModel = async () => tf.tidy(() => model.predict(tf.tensor4d(direct, [batch, height, width, 3])).dataSync());

async function time(fn) {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

for (let i = 0; i < 2; i++) {
  await viaBackend();
  await viaModel();
}
const tensors = tf.memory().numTensors;
const a = [];
const b = [];
for (let r = 0; r < rounds; r++) {
  a.push(await time(viaBackend));
  b.push(await time(viaModel));
}
const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const sum = (xs) => xs.reduce((s, x) => s + x, 0);
const ratio = median(a) / median(b);
const info = backend.info();
console.log(`model ${values.model}, ${width}x${height}, batch ${batch}, ${rounds} rounds, runtime ${info.provider} (${info.device})`);
console.log(`backend.run:   median ${(median(a) / batch).toFixed(1)} ms/frame, mean ${(sum(a) / rounds / batch).toFixed(1)} ms/frame`);
console.log(`model.predict: median ${(median(b) / batch).toFixed(1)} ms/frame, mean ${(sum(b) / rounds / batch).toFixed(1)} ms/frame`);
console.log(`ratio backend/direct: ${ratio.toFixed(3)} (median), ${(sum(a) / sum(b)).toFixed(3)} (mean); within 1.2x: ${ratio <= 1.2 ? 'yes' : 'NO'}`);
console.log(`tensors before/after the timed rounds: ${tensors}/${tf.memory().numTensors}`);
await backend.dispose();
