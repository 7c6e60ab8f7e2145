// Clips for the end-to-end bench: a pan and zoom over a real photograph (the esrgan-slim sample),
// with held frames placed by construction. The drawing shown at frame `on` is d(on); a frame is
// held when d(on) = d(on - 1). Ground truth is checked against the content rendered without a
// codec, so "known by construction" is verified, not assumed.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runFfmpeg } from '../src/test-support/ffmpeg-exec.mjs';

export const WIDTH = 160;
export const HEIGHT = 90;
export const FPS = 24;

/** The 512×512 sample picture shipped with @upscalerjs/esrgan-slim (MIT), found by walking up to node_modules. */
export function samplePicture() {
  let dir = fileURLToPath(new URL('.', import.meta.url));
  for (let i = 0; i < 6; i++, dir = join(dir, '..')) {
    const file = join(dir, 'node_modules/@upscalerjs/esrgan-slim/assets/samples/4x/result.png');
    if (existsSync(file)) return file;
  }
  throw new Error('@upscalerjs/esrgan-slim sample picture not found; run npm ci');
}

// Drawing index per frame: 40% held = [0,0,1,2,2] per 5 frames, 70% = [0,0,0,1,1,1,2,2,2,2] per
// 10 frames, twos = each drawing shown twice (12 drawings per second at 24 fps).
const DRAWINGS = {
  held40: '(3*floor(on/5)+gte(mod(on,5),2)+gte(mod(on,5),3))',
  held70: '(3*floor(on/10)+gte(mod(on,10),3)+gte(mod(on,10),6))',
  twos: 'floor(on/2)',
};
const HELD_FRACTION = { held40: 0.4, held70: 0.7, twos: 0.5 };

const LOSSLESS = ['-c:v', 'ffv1', '-pix_fmt', 'bgr0'];
const CRF23 = ['-c:v', 'libx264', '-crf', '23', '-preset', 'medium', '-pix_fmt', 'yuv420p'];

/** The bench's clips; `frames` is per clip so the run fits its time budget. */
export const E2E_CLIPS = [
  { name: 'exact-40', drawing: 'held40', encoding: 'ffv1 (lossless)', args: LOSSLESS },
  { name: 'exact-70', drawing: 'held70', encoding: 'ffv1 (lossless)', args: LOSSLESS },
  { name: 'twos-crf23', drawing: 'twos', encoding: 'x264 crf 23 yuv420p', args: CRF23 },
];

/**
 * A 16:9 window over the picture, zooming in by 0.5% and panning ~1.3 output px right and
 * ~0.5 px down per drawing: every drawing differs from the last over the whole frame, as a
 * camera move does, and a held drawing is the same pixels.
 */
function content(drawing, frames) {
  const d = DRAWINGS[drawing];
  return `movie=${samplePicture().replace(/([:\\'])/g, '\\$1')},loop=loop=${frames - 1}:size=1:start=0,format=rgb24,` +
    `crop=512:288:0:112,zoompan=z='1.5+0.005*${d}':x='20+3*${d}':y='10+1*${d}':d=1:s=${WIDTH}x${HEIGHT}:fps=${FPS},format=rgb24`;
}

const frameBytes = WIDTH * HEIGHT * 3;

/** held[i]: content frame i equals frame i - 1 bit for bit (before any codec). */
async function groundTruth(drawing, frames) {
  const { stdout } = await runFfmpeg(['-f', 'lavfi', '-i', content(drawing, frames), '-frames:v', String(frames),
    '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-']);
  if (stdout.length !== frames * frameBytes) throw new Error(`${drawing}: rendered ${stdout.length / frameBytes} of ${frames} frames`);
  const frame = (i) => stdout.subarray(i * frameBytes, (i + 1) * frameBytes);
  return Array.from({ length: frames }, (_, i) => i > 0 && frame(i).equals(frame(i - 1)));
}

/** Encodes one clip into `dir`; returns its path and how many frames are held by construction. */
export async function makeClip(spec, frames, dir) {
  const file = join(dir, `${spec.name}.mkv`);
  // One encoder thread keeps x264's decisions reproducible from run to run.
  await runFfmpeg(['-f', 'lavfi', '-i', content(spec.drawing, frames), '-frames:v', String(frames), ...spec.args,
    '-threads', '1', '-y', file]);
  const held = (await groundTruth(spec.drawing, frames)).filter(Boolean).length;
  const designed = Math.round(frames * HELD_FRACTION[spec.drawing]);
  if (Math.abs(held - designed) > 2) throw new Error(`${spec.name}: ${held} held frames, designed ${designed}; the zoompan graph changed behaviour`);
  return { ...spec, file, frames, held };
}

/** A one-frame clip: what a run costs besides its frames (start-up, model load, probe, exit). */
export async function makeOneFrameClip(dir) {
  const file = join(dir, 'one-frame.mkv');
  await runFfmpeg(['-f', 'lavfi', '-i', content('twos', 1), '-frames:v', '1', ...LOSSLESS, '-y', file]);
  return file;
}
