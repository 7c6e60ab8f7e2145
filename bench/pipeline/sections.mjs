// The four comparisons. Each runs its sides interleaved, rep by rep, in this one invocation, so
// load from other processes hits both sides alike; ratios are taken from medians.
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { runCli, runModelOnly, spawnTimed } from './cli-run.mjs';
import { median } from './stats.mjs';

const DISK = new URL('./disk-based.mjs', import.meta.url).pathname;

/** 1 + 2: streaming CLI vs model-only vs the disk-based script, same clip and batch. */
export async function overheadAndDisk(clip, work, reps, log) {
  const rows = { cli: [], cliDefault: [], cliMedium: [], cliMainThread: [], model: [], disk: [], load: [] };
  let plan;
  for (let rep = 0; rep < reps; rep++) {
    const cli = await runCli(clip, work, 'stream');
    plan = cli.plan;
    rows.cli.push(cli);
    rows.model.push(await runModelOnly(clip, plan.batch, { UPFRAME_ONNX_WORKER: 'off' }));
    // The default encoder (no codec flags): what a user's run pays.
    rows.cliDefault.push(await runCli(clip, work, 'stream-default', [], {}, []));
    // The same with x264's own default preset (what the default encoder was before --preset auto).
    rows.cliMedium.push(await runCli(clip, work, 'stream-medium', ['--preset', 'medium'], {}, []));
    rows.cliMainThread.push(await runCli(clip, work, 'stream-worker', [], { UPFRAME_ONNX_WORKER: 'on' }));
    const { seconds, stdout } = await spawnTimed(process.execPath, [DISK, '--input', clip.file, '--work', join(work, 'disk'), '--batch', String(plan.batch)]);
    rows.disk.push({ wallSeconds: seconds, ...JSON.parse(stdout.trim().split('\n').at(-1)) });
    rows.load.push(loadavg()[0]);
    log(`  rep ${rep + 1}/${reps} (load ${rows.load.at(-1).toFixed(2)}): cli ${rows.cli.at(-1).wallSeconds.toFixed(1)}s, model ${rows.model.at(-1).runSeconds.toFixed(1)}s, cli default encoder ${rows.cliDefault.at(-1).wallSeconds.toFixed(1)}s, x264 medium ${rows.cliMedium.at(-1).wallSeconds.toFixed(1)}s, cli worker ${rows.cliMainThread.at(-1).wallSeconds.toFixed(1)}s, disk ${seconds.toFixed(1)}s`);
  }
  const m = {
    cliWall: median(rows.cli.map((r) => r.wallSeconds)),
    cliPipeline: median(rows.cli.map((r) => r.pipelineSeconds)),
    cliDefaultWall: median(rows.cliDefault.map((r) => r.wallSeconds)),
    cliMediumWall: median(rows.cliMedium.map((r) => r.wallSeconds)),
    cpuMedium: medianCpu(rows.cliMedium),
    batches: { fast: median(rows.cli.map((r) => r.batches?.calls ?? NaN)), worker: median(rows.cliMainThread.map((r) => r.batches?.calls ?? NaN)) },
    modelCpu: median(rows.model.map((r) => r.cpuSeconds)),
    cpuFast: medianCpu(rows.cli),
    cpuDefault: medianCpu(rows.cliDefault),
    load: { min: Math.min(...rows.load), max: Math.max(...rows.load) },
    mainWall: median(rows.cliMainThread.map((r) => r.wallSeconds)),
    mainPipeline: median(rows.cliMainThread.map((r) => r.pipelineSeconds)),
    model: median(rows.model.map((r) => r.runSeconds)),
    modelInit: median(rows.model.map((r) => r.initSeconds)),
    disk: median(rows.disk.map((r) => r.wallSeconds)),
    diskInfer: median(rows.disk.map((r) => r.phase.infer)),
  };
  return { plan, rows, medians: m };
}

/** Per-stage CPU seconds of CLI runs (the report's details.cpuSeconds), median per stage. */
function medianCpu(runs) {
  const stages = Object.keys(runs[0].cpu ?? {});
  // Older reports had no join entry; count it as 0 there.
  return Object.fromEntries(stages.map((k) => [k, median(runs.map((r) => r.cpu[k]))]));
}

/** 3: peak RSS of the CLI for a short and a 10× longer run of the same clip settings. */
export async function memoryGrowth(short, long, work, reps, log) {
  const runs = { short: [], long: [] };
  for (let rep = 0; rep < reps; rep++) {
    runs.short.push(await runCli(short, work, 'mem-short'));
    runs.long.push(await runCli(long, work, 'mem-long'));
    log(`  rep ${rep + 1}/${reps}: ${short.frames} frames ${runs.short.at(-1).peakRssMb} MB, ${long.frames} frames ${runs.long.at(-1).peakRssMb} MB`);
  }
  const peak = (rs) => median(rs.map((r) => r.peakRssMb));
  const fps = (rs) => median(rs.map((r) => r.fps));
  return { runs, short: { peakRssMb: peak(runs.short), fps: fps(runs.short) }, long: { peakRssMb: peak(runs.long), fps: fps(runs.long) } };
}

/** The knob settings swept, each against the defaults; `flags` go to the CLI, `env` to its process. */
export const KNOBS = [
  { knob: 'defaults', label: 'batch auto, in-flight 2, pool on, tile auto, worker off', flags: [] },
  { knob: 'batch', label: '1', flags: ['--batch', '1'] },
  { knob: 'batch', label: '2', flags: ['--batch', '2'] },
  { knob: 'batch', label: '4', flags: ['--batch', '4'] },
  { knob: 'in-flight', label: '1', flags: ['--in-flight', '1'] },
  { knob: 'in-flight', label: '3', flags: ['--in-flight', '3'] },
  { knob: 'pool', label: 'off', flags: [], env: { UPFRAME_POOL: 'off' } },
  { knob: 'tile', label: '64', flags: ['--tile', '64'] },
  { knob: 'tile', label: '128', flags: ['--tile', '128'] },
  { knob: 'worker', label: 'on (inference in a worker thread)', flags: [], env: { UPFRAME_ONNX_WORKER: 'on' } },
];

/** 4: one knob at a time from the defaults; reps interleaved across all settings. */
export async function knobSweep(clip, work, reps, log) {
  const results = KNOBS.map((k) => ({ ...k, runs: [] }));
  for (let rep = 0; rep < reps; rep++) {
    for (const r of results) r.runs.push(await runCli(clip, work, 'knob', r.flags, r.env));
    log(`  rep ${rep + 1}/${reps} done`);
  }
  for (const r of results) {
    r.fps = median(r.runs.map((x) => x.fps));
    r.peakRssMb = median(r.runs.map((x) => x.peakRssMb));
    r.plan = r.runs[0].plan;
  }
  return results;
}

const DEDUPE_E2E = new URL('../../packages/dedupe/bench/end-to-end.mjs', import.meta.url).pathname;

/**
 * 5: the dedupe speed targets (≤ 0.63 / ≤ 0.35 / ≤ 0.55 of off at 40% / 70% duplicates and on a
 * lossy clip held on twos) in the same bench run: the dedupe package's end-to-end bench, run here.
 */
export async function dedupeSpeed(work, reps, frames, log) {
  const json = join(work, 'dedupe-e2e.json');
  const args = [DEDUPE_E2E, '--reps', String(reps), '--json', json, '--dir', join(work, 'dedupe-e2e')];
  if (frames) args.push('--frames', String(frames));
  const { seconds } = await spawnTimed(process.execPath, args);
  log(`  dedupe end-to-end: ${seconds.toFixed(0)} s`);
  const { readFileSync } = await import('node:fs');
  return { ...JSON.parse(readFileSync(json, 'utf8')), load: loadavg()[0] };
}
