#!/usr/bin/env node
// How near's default thresholds were chosen: vary one option at a time around the defaults and
// report recall of held frames against false duplicates over every accuracy clip.
// Usage: node bench/threshold-sweep.mjs [--dir d] [--json out.json]   (build dist/ first)
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveFfmpeg, runFfmpeg } from '../src/test-support/ffmpeg-exec.mjs';
import { CLIP_SPECS, loadClip } from '../src/test-support/ground-truth-clips.mjs';
import { runStrategy, score, strategyContainer } from './evaluate.mjs';
import { NEAR_DEFAULTS } from '../dist/index.js';

const args = process.argv.slice(2);
const value = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);

const SWEEP = {
  hi: [320, 384, 448, 512, 640, 768],
  lo: [192, 256, 320, 448],
  frac: [0.01, 0.03, 0.1, 0.33],
  dc: [32, 48, 64, 96, 128],
  dcFrac: [0.05, 0.1, 0.15, 0.25, 1],
  chroma: [1024, 2048, 4096, 65280],
  shift: [0.1, 0.25, 0.5, 255],
  shiftRatio: [0, 0.2, 0.3, 0.4, 0.5],
  shiftMax: [0.5, 1, 1.5, 3],
  hiNoise: [0, 1, 2, 3, 4],
  dcNoise: [0, 0.25, 0.5, 1],
  hiMax: [448, 640, 768, 1024],
  psnr: [0, 39, 40, 41],
};
// Heavy grain is motion by design (mpdecimate agrees), so it does not count towards recall.
const RECALL_EXCLUDED = new Set(['still-crf23-grain']);

const version = (await runFfmpeg(['-version'], resolveFfmpeg())).stdout.toString().split('\n')[0].replace(/ Copyright.*/, '');
const dir = value('--dir') ?? (await mkdtemp(join(tmpdir(), 'upframe-dedupe-sweep-')));
const clips = [];
for (const spec of CLIP_SPECS) clips.push(await loadClip(spec, dir));
const container = strategyContainer();

const settings = [
  { label: 'defaults', options: {} },
  // SAD rules only, at mpdecimate's thresholds (its frac=0.33 counts ≈2% of its 4-px-step blocks).
  { label: 'mpdecimate-like', options: { hi: 768, lo: 320, frac: 0.02, dcFrac: 1, chroma: 65280, shift: 255 } },
];
for (const [key, values] of Object.entries(SWEEP)) {
  for (const v of values) if (v !== NEAR_DEFAULTS[key]) settings.push({ label: `${key}=${v}`, options: { [key]: v } });
}

const rows = [];
for (const s of settings) {
  let held = 0, found = 0, wrong = 0, moving = 0, worstAnimation = 1;
  for (const clip of clips) {
    const sc = score((await runStrategy(container, 'near', s.options, clip)).refs, clip.held);
    if (!RECALL_EXCLUDED.has(clip.spec.name)) { held += sc.held; found += sc.found; }
    if (clip.spec.kind === 'animation' && clip.spec.encoding.label !== 'lossless') worstAnimation = Math.min(worstAnimation, sc.recall);
    wrong += sc.falseDuplicates;
    moving += sc.moving;
  }
  rows.push({ setting: s.label, recall: found / held, worstAnimationRecall: worstAnimation, falseDuplicates: wrong, moving });
}

const pct = (x) => `${(x * 100).toFixed(1)}%`;
console.log(`### near threshold sweep (${version}; defaults ${JSON.stringify(NEAR_DEFAULTS)})\n`);
console.log('| setting | recall of held (all clips) | worst lossy animation recall | false duplicates / moving |');
console.log('|---|---|---|---|');
for (const r of rows) console.log(`| ${r.setting} | ${pct(r.recall)} | ${pct(r.worstAnimationRecall)} | ${r.falseDuplicates} / ${r.moving} |`);
if (value('--json')) await writeFile(value('--json'), JSON.stringify(rows, null, 2));
if (!value('--dir')) await rm(dir, { recursive: true, force: true });
