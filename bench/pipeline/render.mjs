// Turns the measurements into the markdown tables and the target verdicts.
import { fixed, table, verdict } from './stats.mjs';

const TARGETS = { overhead: 1.1, disk: 1.5, memory: 1.1, defaults: 0.95 };

export function renderReport({ clips, reps, overhead, memory, knobs, totalSeconds }) {
  const m = overhead.medians;
  const size = (c) => `${c.width}x${c.height}→${c.width * 2}x${c.height * 2}`;
  const ratio = m.cliWall / m.model;
  const speedup = m.disk / m.cliWall;
  const growth = memory.long.peakRssMb / memory.short.peakRssMb;
  const defaults = knobs.find((k) => k.knob === 'defaults');
  const best = knobs.reduce((a, b) => (b.fps > a.fps ? b : a));
  const defaultsVsBest = defaults.fps / best.fps;
  const p = overhead.plan;
  const s = [];
  s.push(`## Pipeline benchmark (esrgan-slim-x2, onnx cpu, dedupe off, libx264 crf 0 ultrafast)`);
  s.push(`Medians of ${reps} interleaved reps; plan at ${size(clips.main)}: batch ${p.batch}, in-flight ${p.inFlight}, tile ${p.tile ?? 'off'}, window ${p.window}. Total bench time ${totalSeconds.toFixed(0)} s.`);
  s.push(`### 1. Overhead over the bare model (${clips.main.frames} frames, ${size(clips.main)})`);
  s.push(table(['measure', 'seconds', 'ratio to model-only'], [
    ['model-only (`backend.run` over decoded frames, batch ' + p.batch + ', in-thread)', fixed(m.model), '1.00'],
    ['`upframe upscale` wall time (process start to exit)', fixed(m.cliWall), fixed(ratio)],
    ['`upframe upscale` pipeline time (report totalSeconds: probe, model load, run)', fixed(m.cliPipeline), fixed(m.cliPipeline / m.model)],
    ['same, inference in a worker thread (UPFRAME_ONNX_WORKER=on): wall', fixed(m.mainWall), fixed(m.mainWall / m.model)],
    ['same, inference in a worker thread: pipeline time', fixed(m.mainPipeline), fixed(m.mainPipeline / m.model)],
  ]));
  s.push(`### 2. Streaming vs disk-based (same clip, backend, batch ${p.batch}, encoder)`);
  const d = overhead.rows.disk.at(-1).phase;
  s.push(table(['approach', 'wall s', 'speed-up of streaming'], [
    ['disk: ffmpeg → PNG files → sharp → onnx → sharp PNG → ffmpeg', fixed(m.disk), ''],
    ['streaming `upframe upscale`', fixed(m.cliWall), fixed(speedup) + '×'],
  ]));
  s.push(`Disk-based phases (last rep, s): extract ${fixed(d.extract)}, model load ${fixed(d.init)}, PNG read ${fixed(d.read)}, inference ${fixed(d.infer)}, PNG write ${fixed(d.write)}, encode ${fixed(d.encode)}; inference is ${fixed((100 * m.diskInfer) / m.disk, 0)}% of its wall time.`);
  s.push(`### 3. Memory growth (${clips.memLong.width}x${clips.memLong.height}, same clip settings)`);
  s.push(table(['frames', 'peak RSS MB', 'fps'], [
    [clips.memShort.frames, fixed(memory.short.peakRssMb, 0), fixed(memory.short.fps)],
    [clips.memLong.frames, fixed(memory.long.peakRssMb, 0), fixed(memory.long.fps)],
    ['ratio', fixed(growth), ''],
  ]));
  s.push(`### 4. Knobs, one at a time from the defaults (${clips.knobClip.frames} frames, ${size(clips.knobClip)})`);
  s.push(table(['knob', 'setting', 'plan (batch/in-flight/tile)', 'fps', 'vs best', 'peak RSS MB'], knobs.map((k) => [
    k.knob, k.label, `${k.plan.batch}/${k.plan.inFlight}/${k.plan.tile ?? 'off'}`, fixed(k.fps), fixed(k.fps / best.fps), fixed(k.peakRssMb, 0),
  ])));
  s.push(`### Targets`);
  s.push(table(['target', 'measured', 'verdict'], [
    [`overhead ≤ ${TARGETS.overhead} (wall / model-only)`, fixed(ratio), verdict(ratio <= TARGETS.overhead)],
    [`streaming ≥ ${TARGETS.disk}× faster than disk-based`, fixed(speedup) + '×', verdict(speedup >= TARGETS.disk)],
    [`peak RSS ${clips.memLong.frames} / ${clips.memShort.frames} frames ≤ ${TARGETS.memory}`, fixed(growth), verdict(growth <= TARGETS.memory)],
    [`defaults within 5% of the best setting (best: ${best.knob} ${best.label})`, fixed(defaultsVsBest), verdict(defaultsVsBest >= TARGETS.defaults)],
  ]));
  return s.join('\n\n');
}
