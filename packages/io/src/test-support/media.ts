import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { createMemoryLogger, type Frame } from '@upframe/core';
import { runTool } from '../child-process.js';
import { FfmpegSource } from '../ffmpeg-source.js';
import { bundledBinaries } from './fixtures.js';

export interface ProbedFile {
  format: { duration?: string; tags?: Record<string, string> };
  streams: { index: number; codec_type: string; codec_name: string; width?: number; height?: number; duration?: string; pix_fmt?: string; color_space?: string; color_primaries?: string; color_transfer?: string; color_range?: string; tags?: Record<string, string>; nb_frames?: string }[];
}

export async function probeJson(file: string, ffprobePath?: string): Promise<ProbedFile> {
  const probe = ffprobePath ?? (await bundledBinaries()).ffprobe.path;
  const result = await runTool(probe, ['-v', 'error', '-show_format', '-show_streams', '-of', 'json', file]);
  if (result.code !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout) as ProbedFile;
}

/** Presentation times (s) of the frames a player shows: decoded frames of the first video stream. */
export async function frameTimes(file: string, ffprobePath?: string): Promise<number[]> {
  const probe = ffprobePath ?? (await bundledBinaries()).ffprobe.path;
  const result = await runTool(probe, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'frame=pts_time,best_effort_timestamp_time', '-of', 'json', file]);
  const frames = (JSON.parse(result.stdout) as { frames: { pts_time?: string; best_effort_timestamp_time?: string }[] }).frames;
  return frames.map((f) => Number(f.pts_time ?? f.best_effort_timestamp_time));
}

/** Decode a whole file with the video source; returns frames (data copied) and the source. */
export async function decodeAll(file: string, extra: Record<string, unknown> = {}): Promise<{ frames: Frame[]; source: FfmpegSource; logger: ReturnType<typeof createMemoryLogger> }> {
  const logger = createMemoryLogger();
  const source = new FfmpegSource({ input: file, extra }, logger);
  const frames: Frame[] = [];
  for await (const frame of source.frames()) frames.push({ ...frame, data: Buffer.from(frame.data) });
  await source.dispose();
  return { frames, source, logger };
}

export function meanSquaredError(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return Infinity;
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] - b[i]) ** 2;
  return sum / a.length;
}

/** Index of the frame in `candidates` closest to `frame`. */
export function bestMatch(frame: Uint8Array, candidates: readonly Uint8Array[]): number {
  let best = -1;
  let bestError = Infinity;
  candidates.forEach((c, i) => {
    const e = meanSquaredError(frame, c);
    if (e < bestError) [best, bestError] = [i, e];
  });
  return best;
}

/** ffmpeg/ffprobe processes whose parent is this process (zombie-free check of leaks). */
export function childToolProcesses(): string[] {
  try {
    const out = execFileSync('ps', ['-o', 'pid=,stat=,comm=', '--ppid', String(process.pid)], { encoding: 'utf8' });
    return out.split('\n').filter((l) => /ff(mpeg|probe)|fake-ffmpeg/.test(l));
  } catch {
    return []; // ps exits 1 when there are no children
  }
}

/**
 * A stand-in ffmpeg that answers -version and the encoder check (a lavfi input) like the real one but, when asked to work, reads or
 * writes a little and then dies with an error: the way a crashing decoder or encoder looks.
 */
export async function fakeFfmpeg(dir: string, mode: 'decode' | 'encode'): Promise<string> {
  const real = (await bundledBinaries()).ffmpeg.path;
  const path = join(dir, `fake-ffmpeg-${mode}.sh`);
  const work = mode === 'decode' ? 'head -c 20000 /dev/zero' : 'head -c 30000 > /dev/null';
  await writeFile(path, `#!/bin/sh\nfor a in "$@"; do case "$a" in -version|lavfi) exec "${real}" "$@";; esac; done\n${work}\necho "fake: simulated crash in the middle of the stream" >&2\nexit 3\n`);
  await chmod(path, 0o755);
  return path;
}
