import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveFfmpegBinaries } from '@upframe/io';

export const BIN = fileURLToPath(new URL('../../bin/upframe.js', import.meta.url));
export const REPO = fileURLToPath(new URL('../../../../', import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Run the built `upframe` binary as a user would. */
export function upframe(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; onSpawn?: (child: ReturnType<typeof spawn>) => void } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? REPO,
      env: { ...process.env, UPFRAME_CACHE_DIR: cacheDir, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    options.onSpawn?.(child);
  });
}

export const cacheDir = mkdtempSync(join(tmpdir(), 'upframe-cli-cache-'));

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'upframe-cli-'));
}

export async function ffmpeg(args: readonly string[]): Promise<void> {
  const { ffmpeg } = await resolveFfmpegBinaries();
  const r = spawnSync(ffmpeg.path, ['-hide_banner', '-loglevel', 'error', '-y', ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ffmpeg ${args.join(' ')} failed: ${r.stderr}`);
}

export async function ffprobe(file: string): Promise<{ streams: { codec_type: string; width?: number; nb_frames?: string; duration?: string }[]; format: { duration: string } }> {
  const { ffprobe } = await resolveFfmpegBinaries();
  const r = spawnSync(ffprobe.path, ['-v', 'error', '-show_streams', '-show_format', '-of', 'json', file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ffprobe ${file} failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** Frames of a stream counted by decoding (nb_frames is not stored in every container). */
export async function countFrames(file: string): Promise<number> {
  const { ffprobe } = await resolveFfmpegBinaries();
  const r = spawnSync(ffprobe.path, ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', file], { encoding: 'utf8' });
  return Number(r.stdout.trim());
}

/** Names in a directory, to check that nothing half-written was left behind. */
export function listDir(dir: string): string[] {
  return readdirSync(dir).sort();
}

/** Presentation times of every video packet, in seconds and ascending (packets come in decode order). */
export async function videoPacketTimes(file: string): Promise<number[]> {
  const { ffprobe } = await resolveFfmpegBinaries();
  const r = spawnSync(ffprobe.path, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts_time', '-of', 'csv=p=0', file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ffprobe ${file} failed: ${r.stderr}`);
  return r.stdout.trim().split('\n').map(Number).sort((a, b) => a - b);
}

/** Every frame of a video decoded to rgb24, in order, without frame-rate conversion. */
export async function decodeRgbFrames(file: string, width: number, height: number): Promise<Buffer[]> {
  const { ffmpeg } = await resolveFfmpegBinaries();
  const r = spawnSync(ffmpeg.path, ['-v', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-vsync', 'passthrough', '-'], { maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`ffmpeg could not decode ${file}: ${r.stderr}`);
  const bytes = width * height * 3;
  return Array.from({ length: r.stdout.length / bytes }, (_, i) => r.stdout.subarray(i * bytes, (i + 1) * bytes));
}
