// Throughput of the onnx backend on this machine. Build first, then run from the repository root:
//   npx tsc -p packages/core/tsconfig.build.json && npx tsc -p packages/models/tsconfig.build.json \
//     && npx tsc -p packages/backend-onnx/tsconfig.build.json && node packages/backend-onnx/scripts/measure.mjs
// Prints numbers; asserts nothing. Options: --model <id> --runs <n> --threads <n>.
import 'reflect-metadata';
import { fork } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { TOKENS, createUpframeContainer, silentLogger } from '@upframe/core';
import { getModel, readLayersModel } from '@upframe/models';
import { kerasToOnnx, register } from '@upframe/backend-onnx';

const { values: args } = parseArgs({
  options: { model: { type: 'string', default: 'esrgan-slim-x2' }, runs: { type: 'string', default: '10' }, threads: { type: 'string' }, rss: { type: 'boolean' } },
});
const runs = Number(args.runs);
const cacheDir = mkdtempSync(join(tmpdir(), 'upframe-measure-'));

function image(width, height, seed = 1) {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761 + seed * 97) >>> 24;
  return { width, height, channels: 3, data };
}

async function backend(extra = {}, threads = args.threads ? Number(args.threads) : undefined) {
  const c = createUpframeContainer({ logger: silentLogger });
  register(c);
  const options = { model: args.model, device: 'cpu', cacheDir, extra, threads };
  const b = c.resolve(TOKENS.Backends).create(c, 'onnx', options);
  await b.initialize();
  return b;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Runs every case round-robin (other work on the machine then slows all cases alike) after two
 * warm-up calls each; returns the median and the best ms per frame of each case.
 */
async function measure(cases) {
  const times = cases.map(() => []);
  for (const c of cases) c.images = Array.from({ length: c.batch }, (_, i) => image(c.width, c.height, i));
  for (const c of cases) for (let i = 0; i < 2; i++) await c.backend.run(c.images);
  for (let r = 0; r < runs; r++) {
    for (const [i, c] of cases.entries()) {
      const t = performance.now();
      await c.backend.run(c.images);
      times[i].push((performance.now() - t) / c.batch);
    }
  }
  return times.map((t) => ({ median: median(t), best: Math.min(...t) }));
}

/** Peak RSS growth per input pixel between a 64×64 and a 512×512 run, in a fresh process. */
async function rssChild() {
  const b = await backend();
  await b.run([image(64, 64)]);
  const small = process.resourceUsage().maxRSS;
  await b.run([image(512, 512)]);
  const large = process.resourceUsage().maxRSS;
  process.send({ perPixel: ((large - small) * 1024) / (512 * 512 - 64 * 64), estimate: b.info().bytesPerInputPixel });
}

if (args.rss) {
  await rssChild();
  process.exit(0);
}

const entry = getModel(args.model);
const { stats } = kerasToOnnx(await readLayersModel(entry.paths.modelJson));
const nchw = await backend();
const nhwc = await backend({ ioLayout: 'nhwc' });
const single = await backend({}, 1);
console.log(`model ${args.model}: ${stats.flopsPerInputPixel} FLOP per input pixel (2·k·k·Cin·Cout per conv), device ${nchw.info().device}, threads ${args.threads ?? 'default'}, ${runs} rounds`);
const cases = [
  { label: '128x128 batch 1', backend: nchw, width: 128, height: 128, batch: 1 },
  { label: '256x144 batch 1', backend: nchw, width: 256, height: 144, batch: 1 },
  { label: '128x128 batch 2', backend: nchw, width: 128, height: 128, batch: 2 },
  { label: '128x128 batch 4', backend: nchw, width: 128, height: 128, batch: 4 },
  { label: '128x128 batch 1, NHWC graph I/O (Transpose nodes)', backend: nhwc, width: 128, height: 128, batch: 1 },
  { label: '128x128 batch 1, 1 thread', backend: single, width: 128, height: 128, batch: 1 },
];
for (const [i, r] of (await measure(cases)).entries()) {
  const { label, width, height } = cases[i];
  const gflops = (stats.flopsPerInputPixel * width * height) / (r.median * 1e6);
  console.log(`${label}: median ${r.median.toFixed(1)} ms/frame (best ${r.best.toFixed(1)}), ${gflops.toFixed(1)} GFLOP/s`);
}
await nchw.dispose();
await nhwc.dispose();
await single.dispose();
const child = fork(new URL(import.meta.url).pathname, [...process.argv.slice(2), '--rss']);
const rss = await new Promise((resolve) => child.once('message', resolve));
console.log(`peak RSS growth ${rss.perPixel.toFixed(0)} B per input pixel (64x64 -> 512x512); info().bytesPerInputPixel ${rss.estimate}`);
