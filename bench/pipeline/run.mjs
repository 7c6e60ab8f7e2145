// `npm run bench:pipeline`: is the streaming pipeline worth it? Overhead over the bare model,
// speed against disk-based processing, memory growth with video length, and the knobs.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { makeClip } from './clips.mjs';
import { renderReport } from './render.mjs';
import { dedupeSpeed, knobSweep, memoryGrowth, overheadAndDisk } from './sections.mjs';

const { values: v } = parseArgs({
  options: {
    out: { type: 'string', default: 'bench-out/pipeline.md' },
    frames: { type: 'string', default: '160' },
    'knob-frames': { type: 'string', default: '32' },
    reps: { type: 'string', default: '2' },
    'memory-frames': { type: 'string', default: '100,1000' },
    // e.g. `--sections overhead` for the overhead and CPU tables alone
    sections: { type: 'string', default: 'overhead,memory,knobs,dedupe' },
    // Frames per dedupe clip (default: the dedupe bench's own, 192-240).
    'dedupe-frames': { type: 'string' },
  },
});
const out = resolve(v.out);
const work = join(dirname(out), 'pipeline-work');
mkdirSync(work, { recursive: true });
const reps = Number(v.reps);
const log = (s) => process.stderr.write(`${s}\n`);
const started = performance.now();

log('clips…');
const clips = join(work, 'clips');
const main = makeClip(clips, 256, 144, Number(v.frames));
const knobClip = makeClip(clips, 256, 144, Number(v['knob-frames']));
const [shortN, longN] = v['memory-frames'].split(',').map(Number);
const memShort = makeClip(clips, 128, 72, shortN);
const memLong = makeClip(clips, 128, 72, longN);

const wanted = new Set(v.sections.split(','));
log(`1+2. overhead and disk-based, ${main.frames} frames ${main.width}x${main.height}`);
const overhead = await overheadAndDisk(main, work, reps, log);
let memory;
if (wanted.has('memory')) {
  log(`3. memory, ${memShort.frames} vs ${memLong.frames} frames ${memLong.width}x${memLong.height}`);
  memory = await memoryGrowth(memShort, memLong, work, 1, log);
}
let knobs;
if (wanted.has('knobs')) {
  log(`4. knobs, ${knobClip.frames} frames ${knobClip.width}x${knobClip.height}`);
  knobs = await knobSweep(knobClip, work, reps, log);
}

let dedupe;
if (wanted.has('dedupe')) {
  log('5. dedupe speed-ups through the CLI (off / exact / near)');
  dedupe = await dedupeSpeed(work, reps, v['dedupe-frames'] ? Number(v['dedupe-frames']) : undefined, log);
}

const totalSeconds = (performance.now() - started) / 1000;
const data = { clips: { main, knobClip, memShort, memLong }, reps, overhead, memory, knobs, dedupe, totalSeconds };
const markdown = renderReport(data);
process.stdout.write(`${markdown}\n`);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${markdown}\n`);
writeFileSync(out.replace(/\.md$/, '') + '.json', JSON.stringify(data, null, 2));
log(`wrote ${out} and its .json (${totalSeconds.toFixed(0)} s)`);
