#!/usr/bin/env node
// Accuracy benchmark for @upframe/dedupe: generates clips whose held frames are known, runs
// off / exact / near (from dist/; build first) and ffmpeg's mpdecimate on each, and prints
// markdown tables.
// Usage: node bench/accuracy.mjs [--json out.json] [--only name] [--dir d] [--keep] [--no-speed]
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveFfmpeg, runFfmpeg } from '../src/test-support/ffmpeg-exec.mjs';
import { CLIP_SPECS, loadClip, mpdecimateDrops } from '../src/test-support/ground-truth-clips.mjs';
import { agreement, dropsToRefs, runStrategy, score, strategyContainer } from './evaluate.mjs';
import { measureSpeed } from './speed.mjs';

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const value = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const STRATEGIES = ['off', 'exact', 'near'];

const ffmpeg = resolveFfmpeg();
const version = (await runFfmpeg(['-version'], ffmpeg)).stdout.toString().split('\n')[0].replace(/ Copyright.*/, '');
const dir = value('--dir') ?? (await mkdtemp(join(tmpdir(), 'upframe-dedupe-bench-')));
const container = strategyContainer();
const rows = [];
const pct = (x) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : '–');

console.error(`${ffmpeg}: ${version}\nclips in ${dir}`);
for (const spec of CLIP_SPECS.filter((s) => !value('--only') || s.name.includes(value('--only')))) {
  const clip = await loadClip(spec, dir);
  const drops = await mpdecimateDrops(clip.file);
  const runs = [];
  for (const name of STRATEGIES) runs.push({ label: name, ...(await runStrategy(container, name, {}, clip)) });
  runs.push({ label: 'mpdecimate', refs: dropsToRefs(drops), msPerFrame: NaN });
  for (const run of runs) {
    const sc = score(run.refs, clip.held);
    rows.push({ clip: spec.name, kind: spec.kind, strategy: run.label, held: sc.held, moving: sc.moving, found: sc.found,
      recall: sc.recall, falseDuplicates: sc.falseDuplicates, falseRate: sc.falseRate, forced: run.stats?.forced ?? 0,
      agreeMpdecimate: agreement(run.refs, drops), msPerFrame: run.msPerFrame });
  }
  console.error(`  ${spec.name} done`);
}

console.log(`### Dedupe accuracy (${version}; 160×90, 96 frames at 24 fps per clip)\n`);
console.log('| clip | held / moving | strategy | recall of held | false duplicates | forced by maxRun | agrees with mpdecimate | ms/frame |');
console.log('|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  const ms = Number.isFinite(r.msPerFrame) ? r.msPerFrame.toFixed(3) : '–';
  console.log(`| ${r.clip} | ${r.held} / ${r.moving} | ${r.strategy} | ${pct(r.recall)} | ${r.falseDuplicates} (${pct(r.falseRate)}) | ${r.forced} | ${pct(r.agreeMpdecimate)} | ${ms} |`);
}

console.log('\n### Totals over all clips\n');
console.log('| strategy | held frames reused | false duplicates / moving frames |');
console.log('|---|---|---|');
for (const strategy of [...STRATEGIES, 'mpdecimate']) {
  const mine = rows.filter((r) => r.strategy === strategy);
  const sum = (k) => mine.reduce((a, r) => a + r[k], 0);
  console.log(`| ${strategy} | ${sum('found')} / ${sum('held')} | ${sum('falseDuplicates')} / ${sum('moving')} |`);
}

let speed = [];
if (!flag('--no-speed')) {
  speed = await measureSpeed(container, dir);
  console.log('\n### Decision speed at 1920×1080 (testsrc2 on twos, 24 frames; pixel work only)\n');
  console.log('| clip | strategy | options | ms/frame | duplicates found |');
  console.log('|---|---|---|---|---|');
  for (const s of speed) console.log(`| ${s.clip} | ${s.name} | ${JSON.stringify(s.options)} | ${s.msPerFrame.toFixed(2)} | ${s.duplicates} / ${s.held} |`);
}

const json = value('--json');
if (json) await writeFile(json, JSON.stringify({ ffmpeg: version, clips: rows, speed }, null, 2));
if (!value('--dir') && !flag('--keep')) await rm(dir, { recursive: true, force: true });
