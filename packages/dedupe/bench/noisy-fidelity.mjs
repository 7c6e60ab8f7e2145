#!/usr/bin/env node
// Near-dedupe on noisy lossy animation, judged in the output: each noisy clip is upscaled once by
// the real CLI with --dedupe off (esrgan-slim-x2 on onnx, lossless RGB), so every frame's own
// inference is known; near's decisions (from dist/) are then scored against the ground truth, and
// every reused frame's output (its reference's off output) is compared with its own off output.
// Fixed thresholds (the rules without the noise lift, the fade allowance and the fidelity check)
// and a fixed shift (near without the fade allowance) are scored alongside.
// Usage: node bench/noisy-fidelity.mjs [--json f] [--dir d]   (build the CLI first; with --dir,
// clips and off outputs already there are reused)
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { upscale } from './cli-run.mjs';
import { decodeRgb, psnr } from './frame-fidelity.mjs';
import { CLIP_SPECS, loadClip } from '../src/test-support/ground-truth-clips.mjs';
import { contentGroups, reusableRecall } from '../src/test-support/clip-scoring.mjs';
import { runStrategy, score, strategyContainer } from './evaluate.mjs';
import { NEAR_DEFAULTS } from '../dist/index.js';
import { createBackend, createUpframeContainer, silentLogger } from '@upframe/core';
import { register as registerOnnx } from '@upframe/backend-onnx';

const args = process.argv.slice(2);
const value = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const dir = value('--dir') ?? (await mkdtemp(join(tmpdir(), 'upframe-dedupe-noisy-')));
const cacheDir = join(dir, 'cache');
await mkdir(cacheDir, { recursive: true });
// The run's model, as the pipeline gives it to a strategy (DedupeContext.infer): frames just
// under the fidelity floor are judged by what it makes of them (output-fidelity.ts).
const models = createUpframeContainer({ logger: silentLogger });
registerOnnx(models);
const backend = createBackend(models, 'onnx', { model: 'esrgan-slim-x2', device: 'cpu' });
await backend.initialize();
const withModel = { infer: (images) => backend.run(images), model: 'onnx:esrgan-slim-x2:fp32:cpu' };
const SETTINGS = [
  { label: 'near', options: {}, context: withModel },
  { label: 'near, no model', options: {} },
  { label: 'near, fixed shift', options: { shiftRatio: 0 }, context: withModel },
  { label: 'near, fixed thresholds', options: { hiNoise: 0, dcNoise: 0, psnr: 0, shiftRatio: 0 } },
];
const specs = CLIP_SPECS.filter((s) => s.kind === 'noisy-animation' || s.name === 'still-crf23-noise');
const container = strategyContainer();
const rows = [];
for (const spec of specs) {
  const clip = await loadClip(spec, dir);
  const offFile = join(dir, `${spec.name}-off.mkv`);
  if (!existsSync(offFile)) await upscale({ input: clip.file, output: offFile, dedupe: 'off', cacheDir });
  const own = await decodeRgb(offFile, clip.width * 2, clip.height * 2);
  // Held frames whose own output is within the floor of their drawing's first frame's output: the
  // most that any rule, even one that could see the outputs, could reuse without missing the floor.
  const group = contentGroups(clip.held);
  const outputReusableFrames = new Set();
  for (let i = 1, first = 0; i < group.length; i++) {
    if (group[i] !== group[i - 1]) first = i;
    else if (psnr(own[i], own[first]) >= NEAR_DEFAULTS.psnr) outputReusableFrames.add(i);
  }
  const outputReusable = outputReusableFrames.size;
  for (const s of SETTINGS) {
    const { refs, stats } = await runStrategy(container, 'near', s.options, clip, s.context);
    const sc = score(refs, clip.held);
    const reusable = reusableRecall(refs, clip.held, clip.frames, NEAR_DEFAULTS.psnr);
    let minPsnr = Infinity;
    let worst = -1;
    refs.forEach((ref, i) => {
      if (ref < 0) return;
      const db = psnr(own[i], own[ref]);
      if (db < minPsnr) [minPsnr, worst] = [db, i];
    });
    rows.push({ clip: spec.name, setting: s.label, outputReusable, held: sc.held, moving: sc.moving, found: sc.found, recall: sc.recall,
      reusable: reusable.reusable, reusableRecall: reusable.recall, falseDuplicates: sc.falseDuplicates, minPsnr, worstFrame: worst, outputCheck: stats.outputCheck,
      outputRecall: outputReusable ? [...outputReusableFrames].filter((i) => refs[i] >= 0).length / outputReusable : NaN });
  }
  process.stderr.write(`  ${spec.name} done\n`);
}

const pct = (x) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : '–');
const db = (x) => (x === Infinity ? '∞' : `${x.toFixed(1)} dB`);
console.log(`### Noisy lossy animation: near in the output (esrgan-slim-x2 on onnx, 160×90 → 320×180, 96 frames per clip)\n`);
console.log(`"reusable" = held frames within ${NEAR_DEFAULTS.psnr} dB (RGB PSNR) of their drawing's first frame, the most any rule could reuse without`);
console.log(`risking fidelity; "output within 40 dB" = held frames whose own output (off run) is within ${NEAR_DEFAULTS.psnr} dB of their drawing's first`);
console.log(`frame's output, the most even a rule that saw the outputs could reuse; min PSNR = the worst reused frame's output against its own inference.\n`);
console.log('| clip | held / moving | setting | recall of held | reusable held: recall | output within 40 dB | recall of those | false duplicates | min PSNR of reused (frame) | ≥ 40 dB | model: samples, lift, reused by lift |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  const floor = r.minPsnr >= 40 ? 'holds' : '**misses**';
  const oc = r.outputCheck ? `${r.outputCheck.samples}, ${r.outputCheck.liftDb === null ? '–' : `${r.outputCheck.liftDb} dB`}, ${r.outputCheck.reused}` : '–';
  console.log(`| ${r.clip} | ${r.held} / ${r.moving} | ${r.setting} | ${pct(r.recall)} (${r.found}) | ${r.reusable}: ${pct(r.reusableRecall)} | ${r.outputReusable} | ${pct(r.outputRecall)} | ${r.falseDuplicates} | ${db(r.minPsnr)}${r.worstFrame >= 0 ? ` (${r.worstFrame})` : ''} | ${floor} | ${oc} |`);
}
await backend.dispose();
if (value('--json')) await writeFile(value('--json'), JSON.stringify(rows, null, 2));
if (!value('--dir')) await rm(dir, { recursive: true, force: true });
