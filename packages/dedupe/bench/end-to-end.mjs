#!/usr/bin/env node
// End-to-end speed-up and fidelity of dedupe: the real CLI (esrgan-slim-x2, onnx) upscales the
// same generated clip with --dedupe off, exact and near; runs are interleaved and repeated, and
// each strategy's median wall time is divided by off's from the same bench run. Fidelity: every
// frame of the exact/near output against the same frame of the off output (PSNR, lossless RGB).
// Usage: node bench/end-to-end.mjs [--reps 3] [--frames N] [--only name] [--json f] [--dir d] [--keep]
// Needs the CLI built (npx turbo run build).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { upscale } from './cli-run.mjs';
import { E2E_CLIPS, HEIGHT, WIDTH, makeClip, makeOneFrameClip } from './e2e-clips.mjs';
import { compareVideos } from './frame-fidelity.mjs';
import { renderEndToEnd } from './e2e-report.mjs';

const args = process.argv.slice(2);
const value = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const STRATEGIES = ['off', 'exact', 'near'];
const SCALE = 2;
/** Frames per clip: enough inference that start-up is a small share, within the time budget. */
const FRAMES = { 'exact-40': 192, 'exact-70': 240, 'twos-crf23': 192 };
/** Largest allowed time vs off, per clip and strategy; PSNR floor for near (and exact) vs off. */
export const TARGETS = { 'exact-40': { exact: 0.63, near: 0.63 }, 'exact-70': { exact: 0.35, near: 0.35 }, 'twos-crf23': { near: 0.55 } };
export const MIN_PSNR_DB = 40;

const reps = Number(value('--reps') ?? 3);
const dir = value('--dir') ?? (await mkdtemp(join(tmpdir(), 'upframe-dedupe-e2e-')));
const cacheDir = join(dir, 'cache');
await mkdir(cacheDir, { recursive: true });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const log = (s) => process.stderr.write(`${s}\n`);

const clips = [];
for (const spec of E2E_CLIPS.filter((s) => !value('--only') || s.name.includes(value('--only')))) {
  clips.push(await makeClip(spec, Number(value('--frames') ?? FRAMES[spec.name]), dir));
}
const oneFrame = await makeOneFrameClip(dir);
const outputOf = (clip, strategy) => join(dir, `${clip.name}-${strategy}-x2.mkv`);

// Warm-up: converts the model into the bench's own cache and loads everything from disk once.
await upscale({ input: oneFrame, output: join(dir, 'warm-up.mkv'), dedupe: 'off', cacheDir });

const runs = [];
const startup = [];
const benchStarted = performance.now();
for (let rep = 0; rep < reps; rep++) {
  startup.push(await upscale({ input: oneFrame, output: join(dir, 'one-frame-x2.mkv'), dedupe: 'off', cacheDir }));
  for (const clip of clips) {
    // Rotate the order each repetition so no strategy always runs first (or right after another).
    const order = STRATEGIES.map((_, k) => STRATEGIES[(k + rep) % STRATEGIES.length]);
    for (const strategy of order) {
      const r = await upscale({ input: clip.file, output: outputOf(clip, strategy), dedupe: strategy, cacheDir });
      runs.push({ clip: clip.name, strategy, rep, ...r });
      log(`  rep ${rep + 1}/${reps} ${clip.name} ${strategy}: ${r.wallSeconds.toFixed(2)} s wall, ${r.frames.inferred} inferred`);
    }
  }
}

const oneFrameWall = median(startup.map((r) => r.wallSeconds));
const rows = [];
for (const clip of clips) {
  const mine = runs.filter((r) => r.clip === clip.name);
  const wallOff = median(mine.filter((r) => r.strategy === 'off').map((r) => r.wallSeconds));
  const pipeOff = median(mine.filter((r) => r.strategy === 'off').map((r) => r.pipelineSeconds));
  for (const strategy of STRATEGIES) {
    const own = mine.filter((r) => r.strategy === strategy);
    const last = own.at(-1);
    const wall = median(own.map((r) => r.wallSeconds));
    const pipeline = median(own.map((r) => r.pipelineSeconds));
    const fidelity = strategy === 'off' ? undefined
      : await compareVideos(outputOf(clip, 'off'), outputOf(clip, strategy), WIDTH * SCALE, HEIGHT * SCALE);
    const target = TARGETS[clip.name]?.[strategy];
    rows.push({
      clip: clip.name, encoding: clip.encoding, frames: clip.frames, heldByConstruction: clip.held, strategy,
      inferred: last.frames.inferred, duplicates: last.frames.duplicates, written: last.frames.written,
      wallSeconds: own.map((r) => r.wallSeconds), pipelineSeconds: own.map((r) => r.pipelineSeconds),
      medianWall: wall, medianPipeline: pipeline, ratioWall: wall / wallOff, ratioPipeline: pipeline / pipeOff,
      // What the frames cost, without what any run costs: the one-frame run's wall time taken off both.
      ratioNet: (wall - oneFrameWall) / (wallOff - oneFrameWall),
      dedupeWorkMs: last.dedupe?.workMs ?? 0, stages: last.stages, fidelity,
      target, holds: target === undefined ? undefined : wall / wallOff <= target,
      psnrHolds: fidelity && strategy === 'near' ? fidelity.minPsnr >= MIN_PSNR_DB : undefined,
    });
  }
}

const result = {
  reps, width: WIDTH, height: HEIGHT, scale: SCALE, minPsnrDb: MIN_PSNR_DB,
  startup: { medianWall: oneFrameWall, medianPipeline: median(startup.map((r) => r.pipelineSeconds)) },
  benchSeconds: (performance.now() - benchStarted) / 1000, rows, runs,
};
console.log(renderEndToEnd(result));
if (value('--json')) await writeFile(value('--json'), JSON.stringify(result, null, 2));
if (!value('--dir') && !args.includes('--keep')) await rm(dir, { recursive: true, force: true });
