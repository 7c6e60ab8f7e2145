// Test clips with real image content: a slow pan/zoom over the esrgan sample photo, the way
// packages/cli/assets/demo.mp4 was made. Flat colour or noise would flatter or punish the codecs.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { FFMPEG } from './decode-frames.mjs';

const PHOTO = new URL('../../node_modules/@upscalerjs/esrgan-slim/assets/samples/4x/result.png', import.meta.url).pathname;

/**
 * A `frames`-long h264 clip of `width`×`height`. The motion depends only on the frame number, so
 * a 100-frame clip is exactly the first 100 frames of the 1000-frame one with the same size.
 */
export function makeClip(dir, width, height, frames) {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `pan-${width}x${height}-${frames}.mp4`);
  if (existsSync(file)) return { file, width, height, frames };
  const zoom = `zoompan=z='1.2+0.3*sin(on/40)':x='(iw-iw/zoom)*(0.5+0.5*sin(on/30))':y='(ih-ih/zoom)*(0.5+0.5*cos(on/45))':d=${frames}:s=${width}x${height}:fps=24`;
  // crf 12 keeps detail (and decode work) realistic; yuv420p is what real inputs are.
  execFileSync(FFMPEG, ['-y', '-hide_banner', '-loglevel', 'error', '-i', PHOTO, '-vf', `format=rgb24,${zoom}`, '-frames:v', String(frames), '-c:v', 'libx264', '-crf', '12', '-pix_fmt', 'yuv420p', file]);
  return { file, width, height, frames };
}
