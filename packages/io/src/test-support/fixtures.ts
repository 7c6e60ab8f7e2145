import { mkdtemp, rm, writeFile, readFile, truncate, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTool } from '../child-process.js';
import { resolveFfmpegBinaries, type FfmpegBinaries } from '../ffmpeg-binaries.js';

/** The bundled binaries: always present, so fixtures are made the same way on every machine. */
export async function bundledBinaries(): Promise<FfmpegBinaries> {
  return resolveFfmpegBinaries({ env: {} });
}

/** Every ffmpeg this machine has: the bundled build, plus the one on the PATH when there is one. */
export async function availableFfmpegs(): Promise<{ label: string; ffmpegPath: string; ffprobePath: string }[]> {
  const bundled = await bundledBinaries();
  const list = [{ label: `bundled ${bundled.ffmpeg.version.raw}`, ffmpegPath: bundled.ffmpeg.path, ffprobePath: bundled.ffprobe.path }];
  try {
    const system = await resolveFfmpegBinaries({ env: { PATH: process.env.PATH } });
    if (system.ffmpeg.origin === 'path') {
      list.push({ label: `system ${system.ffmpeg.version.raw}`, ffmpegPath: system.ffmpeg.path, ffprobePath: system.ffprobe.path });
    }
  } catch {
    // No ffmpeg on the PATH: the bundled one alone is tested.
  }
  return list;
}

export async function tempDir(prefix = 'upframe-io-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export async function ffmpeg(args: string[]): Promise<void> {
  const { ffmpeg: bin } = await bundledBinaries();
  const result = await runTool(bin.path, ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', ...args]);
  if (result.code !== 0) throw new Error(`fixture ffmpeg ${args.join(' ')} failed:\n${result.stderr}`);
}

export interface ClipOptions {
  size?: string;
  rate?: number;
  seconds?: number;
  audio?: boolean;
  subtitles?: boolean;
  pixFmt?: string;
  codec?: string[];
  extraOutput?: string[];
}

export const SRT = '1\n00:00:00,100 --> 00:00:00,600\nfirst line\n\n2\n00:00:00,800 --> 00:00:01,200\nsecond line\n';

/** A testsrc clip (frame counter drawn on each frame, so frames differ) with optional sine audio and subtitles. */
export async function makeClip(dir: string, name: string, o: ClipOptions = {}): Promise<string> {
  const out = join(dir, name);
  const size = o.size ?? '64x48';
  const rate = o.rate ?? 10;
  const seconds = o.seconds ?? 1.5;
  const args = ['-f', 'lavfi', '-i', `testsrc=size=${size}:rate=${rate}:duration=${seconds}`];
  if (o.audio) args.push('-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${seconds}`);
  if (o.subtitles) {
    const srt = join(dir, `${name}.srt`);
    await writeFile(srt, SRT);
    args.push('-i', srt);
  }
  args.push('-map', '0:v');
  if (o.audio) args.push('-map', '1:a', '-c:a', name.endsWith('.webm') ? 'libopus' : 'aac');
  if (o.subtitles) args.push('-map', `${o.audio ? 2 : 1}:s`, '-c:s', name.endsWith('.mkv') ? 'srt' : 'mov_text');
  args.push(...(o.codec ?? ['-c:v', 'libx264', '-preset', 'ultrafast']), '-pix_fmt', o.pixFmt ?? 'yuv420p');
  args.push('-metadata', 'title=upframe fixture', ...(o.extraOutput ?? []), out);
  await ffmpeg(args);
  return out;
}

/**
 * A variable-frame-rate clip: 8 frames at 10 fps (testsrc) then 12 at 25 fps (testsrc2), joined by
 * the concat demuxer so every packet, the last included, keeps its true duration (0.1 s, then
 * 0.04 s); the video ends at 1.28 s. Optional audio (2 s sine) and subtitles are muxed in after.
 */
export async function makeVfrClip(dir: string, name: string, o: { audio?: boolean; subtitles?: boolean } = {}): Promise<string> {
  const x264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'];
  const a = join(dir, `${name}.seg-a.mkv`);
  const b = join(dir, `${name}.seg-b.mkv`);
  await ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=10', '-frames:v', '8', ...x264, a]);
  await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=64x48:rate=25', '-frames:v', '12', ...x264, b]);
  const list = join(dir, `${name}.concat.txt`);
  await writeFile(list, `file '${a}'\nfile '${b}'\n`);
  const args = ['-f', 'concat', '-safe', '0', '-i', list];
  if (o.audio) args.push('-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000:duration=2');
  if (o.subtitles) {
    await writeFile(join(dir, `${name}.srt`), SRT);
    args.push('-i', join(dir, `${name}.srt`));
  }
  args.push('-map', '0:v', '-c:v', 'copy');
  if (o.audio) args.push('-map', '1:a', '-c:a', 'aac');
  if (o.subtitles) args.push('-map', `${o.audio ? 2 : 1}:s`, '-c:s', name.endsWith('.mkv') ? 'srt' : 'mov_text');
  await ffmpeg([...args, join(dir, name)]);
  return join(dir, name);
}

/** Copy with a display rotation (the tag is honoured by 4.1 and later when stream-copying). */
export async function rotate(input: string, out: string, degrees: number): Promise<string> {
  await ffmpeg(['-i', input, '-map', '0', '-c', 'copy', '-metadata:s:v:0', `rotate=${degrees}`, out]);
  return out;
}

/** Copy the first `fraction` of a file, as an interrupted download would leave it. */
export async function cutFile(input: string, out: string, fraction: number): Promise<string> {
  const bytes = await readFile(input);
  await writeFile(out, bytes.subarray(0, Math.floor(bytes.length * fraction)));
  return out;
}

export { truncate, stat };
