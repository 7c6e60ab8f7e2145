// Turns the measurements into the markdown tables and the target verdicts.
import { fixed, table, verdict } from './stats.mjs';

const TARGETS = { overhead: 1.1, overheadDefault: 1.25, disk: 1.5, memory: 1.1, defaults: 0.95 };

export function renderReport({ clips, reps, overhead, memory, knobs, dedupe, totalSeconds }) {
  const m = overhead.medians;
  const size = (c) => `${c.width}x${c.height}→${c.width * 2}x${c.height * 2}`;
  const ratio = m.cliWall / m.model;
  const speedup = m.disk / m.cliWall;
  const growth = memory ? memory.long.peakRssMb / memory.short.peakRssMb : NaN;
  const defaults = knobs?.find((k) => k.knob === 'defaults');
  const best = knobs?.reduce((a, b) => (b.fps > a.fps ? b : a));
  const defaultsVsBest = knobs ? defaults.fps / best.fps : NaN;
  const p = overhead.plan;
  const s = [];
  s.push(`## Pipeline benchmark (esrgan-slim-x2, onnx cpu, dedupe off, libx264 crf 0 ultrafast)`);
  s.push(`Medians of ${reps} interleaved reps; plan at ${size(clips.main)}: batch ${p.batch}, in-flight ${p.inFlight}, tile ${p.tile ?? 'off'}, window ${p.window}. Total bench time ${totalSeconds.toFixed(0)} s.`);
  s.push(`### 1. Overhead over the bare model (${clips.main.frames} frames, ${size(clips.main)})`);
  s.push(table(['measure', 'seconds', 'ratio to model-only'], [
    ['model-only (`backend.run` over decoded frames, batch ' + p.batch + ', in-thread)', fixed(m.model), '1.00'],
    ['`upframe upscale` wall time (process start to exit), fast encoder', fixed(m.cliWall), fixed(ratio)],
    ['`upframe upscale` wall time, default encoder (x264 crf 18, preset auto)', fixed(m.cliDefaultWall), fixed(m.cliDefaultWall / m.model)],
    ['`upframe upscale` pipeline time (report totalSeconds: probe, model load, run)', fixed(m.cliPipeline), fixed(m.cliPipeline / m.model)],
    ['same, inference in a worker thread (UPFRAME_ONNX_WORKER=on): wall', fixed(m.mainWall), fixed(m.mainWall / m.model)],
    ['same, inference in a worker thread: pipeline time', fixed(m.mainPipeline), fixed(m.mainPipeline / m.model)],
  ]));
  s.push(`Load average (1 min) during the reps: ${fixed(m.load.min)}–${fixed(m.load.max)}.`);
  s.push(cpuTable(clips.main, { ...m, plannedBatch: p.batch }));
  s.push(`### 2. Streaming vs disk-based (same clip, backend, batch ${p.batch}, encoder)`);
  const d = overhead.rows.disk.at(-1).phase;
  s.push(table(['approach', 'wall s', 'speed-up of streaming'], [
    ['disk: ffmpeg → PNG files → sharp → onnx → sharp PNG → ffmpeg', fixed(m.disk), ''],
    ['streaming `upframe upscale`', fixed(m.cliWall), fixed(speedup) + '×'],
  ]));
  s.push(`Disk-based phases (last rep, s): extract ${fixed(d.extract)}, model load ${fixed(d.init)}, PNG read ${fixed(d.read)}, inference ${fixed(d.infer)}, PNG write ${fixed(d.write)}, encode ${fixed(d.encode)}; inference is ${fixed((100 * m.diskInfer) / m.disk, 0)}% of its wall time.`);
  if (memory) s.push(`### 3. Memory growth (${clips.memLong.width}x${clips.memLong.height}, same clip settings)`);
  if (memory) s.push(table(['frames', 'peak RSS MB', 'fps'], [
    [clips.memShort.frames, fixed(memory.short.peakRssMb, 0), fixed(memory.short.fps)],
    [clips.memLong.frames, fixed(memory.long.peakRssMb, 0), fixed(memory.long.fps)],
    ['ratio', fixed(growth), ''],
  ]));
  if (knobs) s.push(`### 4. Knobs, one at a time from the defaults (${clips.knobClip.frames} frames, ${size(clips.knobClip)})`);
  if (knobs) s.push(table(['knob', 'setting', 'plan (batch/in-flight/tile)', 'fps', 'vs best', 'peak RSS MB'], knobs.map((k) => [
    k.knob, k.label, `${k.plan.batch}/${k.plan.inFlight}/${k.plan.tile ?? 'off'}`, fixed(k.fps), fixed(k.fps / best.fps), fixed(k.peakRssMb, 0),
  ])));
  if (dedupe) {
    s.push(`### 5. Dedupe speed-ups (esrgan-slim-x2, ${dedupe.width}x${dedupe.height}→x${dedupe.scale}, medians of ${dedupe.reps}; a one-frame run takes ${fixed(dedupe.startup.medianWall)} s)`);
    s.push(table(['clip', 'frames', 'strategy', 'inferred / duplicates', 'wall s', 'wall ratio vs off', 'net ratio (one-frame run off both)', 'target'], dedupe.rows.map((r) => [
      r.clip, r.frames, r.strategy, `${r.inferred} / ${r.duplicates}`, fixed(r.medianWall), fixed(r.ratioWall), fixed(r.ratioNet), r.target === undefined ? '' : `≤ ${r.target}: ${verdict(r.holds)}`,
    ])));
  }
  s.push(`### Targets`);
  s.push(table(['target', 'measured', 'verdict'], [
    [`overhead ≤ ${TARGETS.overhead} (wall / model-only), fast encoder`, fixed(ratio), verdict(ratio <= TARGETS.overhead)],
    [`overhead ≤ ${TARGETS.overheadDefault} (wall / model-only), default encoder`, fixed(m.cliDefaultWall / m.model), verdict(m.cliDefaultWall / m.model <= TARGETS.overheadDefault)],
    [`streaming ≥ ${TARGETS.disk}× faster than disk-based`, fixed(speedup) + '×', verdict(speedup >= TARGETS.disk)],
    ...(!memory ? [] : [[`peak RSS ${clips.memLong.frames} / ${clips.memShort.frames} frames ≤ ${TARGETS.memory}`, fixed(growth), verdict(growth <= TARGETS.memory)]]),
    ...(!knobs ? [] : [[`defaults within 5% of the best setting (best: ${best.knob} ${best.label})`, fixed(defaultsVsBest), verdict(defaultsVsBest >= TARGETS.defaults)]]),
  ]));
  return s.join('\n\n');
}

/**
 * CPU seconds per stage for the two encoders, next to the model's own: on 2 cores every CPU
 * second outside the model is taken from it. "outside the model" = the CLI process's CPU minus
 * the model-only run's CPU for the same frames (inference threads run inside the CLI process).
 */
function cpuTable(clip, m) {
  const outMpx = (clip.frames * clip.width * 2 * clip.height * 2) / 1e6;
  const per = (x) => fixed(x / outMpx, 3);
  const row = (label, wall, c) => {
    const join = c.join ?? 0;
    const outside = c.process - m.modelCpu;
    const total = c.process + c.decode + c.encode + join + c.setup;
    return [label, fixed(wall), fixed(wall / m.model), fixed(total), per(m.modelCpu), per(outside), per(c.decode), per(c.encode), per(join), per(c.setup), per(total - m.modelCpu)];
  };
  return [
    `#### CPU per stage (CPU-seconds per output megapixel; ${fixed(outMpx, 1)} output Mpx)`,
    table(['run', 'wall s', '÷ model-only', 'total CPU s', 'model', 'Node outside model', 'decode (ffmpeg)', 'encode (ffmpeg)', 'join (ffmpeg)', 'probes/checks', 'all but model'], [
      ['model-only', fixed(m.model), '1.00', fixed(m.modelCpu), per(m.modelCpu), '', '', '', '', '', ''],
      row('CLI, fast encoder (x264 crf 0 ultrafast)', m.cliWall, m.cpuFast),
      row('CLI, default encoder (x264 crf 18, preset auto)', m.cliDefaultWall, m.cpuDefault),
      ...(m.cpuMedium ? [row('CLI, x264 crf 18 preset medium (the default before auto)', m.cliMediumWall, m.cpuMedium)] : []),
    ]),
    `Backend calls for ${clip.frames} frames at batch ${m.plannedBatch ?? '?'}: ${m.batches?.fast} with inference on the main thread, ${m.batches?.worker} in a worker thread (a call below the planned batch means the window filled with frames waiting for the encoder).`,
  ].join('\n\n');
}
