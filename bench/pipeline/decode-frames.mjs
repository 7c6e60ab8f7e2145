// Decodes a clip into memory once, so model-only timing excludes every byte of I/O.
import { spawn } from 'node:child_process';

export const FFMPEG = process.env.FFMPEG_PATH ?? '/usr/bin/ffmpeg';

/** All frames of `file` as rgb24 Uint8Arrays (each its own ArrayBuffer, like the pipeline's). */
export async function decodeFrames(file, width, height, limit = Infinity) {
  const frameBytes = width * height * 3;
  const child = spawn(FFMPEG, ['-nostdin', '-hide_banner', '-loglevel', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const chunks = [];
  for await (const c of child.stdout) chunks.push(c);
  const all = Buffer.concat(chunks);
  const frames = [];
  for (let o = 0; o + frameBytes <= all.length && frames.length < limit; o += frameBytes) frames.push(new Uint8Array(all.subarray(o, o + frameBytes)));
  return frames;
}
