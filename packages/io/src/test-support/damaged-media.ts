import { copyFile, open } from 'node:fs/promises';
import { join } from 'node:path';
import { runTool } from '../child-process.js';
import { resolveFfmpegBinaries } from '../ffmpeg-binaries.js';
import { ffmpeg } from './fixtures.js';

export interface DamagedClip {
  readonly file: string;
  /** The same clip before the damage. */
  readonly clean: string;
  /** Byte range that was zeroed. */
  readonly start: number;
  readonly length: number;
}

/**
 * Copy `clean` to `out` with the bytes of frames `from`–`to` (in presentation order) overwritten by
 * zeros, the way a bad sector or a broken download leaves a file: the container's index (MP4) and
 * the other frames are intact, but those frames can no longer be decoded. The byte range comes from
 * the packet positions ffprobe reports (frame `to + 1` starts where the damage ends), so a test
 * knows which frames the damage hit without trusting the code under test.
 */
export async function zeroFrames(clean: string, out: string, from: number, to: number): Promise<DamagedClip> {
  // ffprobe from the PATH when there is one: the bundled static ffprobe crashes on MPEG-TS.
  const { ffprobe } = await resolveFfmpegBinaries();
  const listed = await runTool(ffprobe.path, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts,pos', '-of', 'csv=p=0', clean]);
  const packets = listed.stdout
    .split('\n')
    .filter((line) => /^-?\d/.test(line)) // MPEG-TS adds empty side-data lines
    .map((line) => line.split(',').map(Number))
    .sort((a, b) => a[0] - b[0]);
  const start = packets[from][1];
  const length = packets[to + 1][1] - start;
  await copyFile(clean, out);
  const handle = await open(out, 'r+');
  try {
    await handle.write(Buffer.alloc(length), 0, length, start);
  } finally {
    await handle.close();
  }
  return { file: out, clean, start, length };
}

/** A 2 s, 25 fps H.264 clip (testsrc2, 64×48, no B-frames) in the container `name` names (.mp4, .ts), frames `from`–`to` zeroed. */
export async function makeDamagedClip(dir: string, name: string, from = 23, to = 27): Promise<DamagedClip> {
  const clean = join(dir, `clean-${name}`);
  await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=64x48:rate=25:duration=2', '-c:v', 'libx264', '-preset', 'ultrafast', '-bf', '0', '-pix_fmt', 'yuv420p', clean]);
  return zeroFrames(clean, join(dir, name), from, to);
}
