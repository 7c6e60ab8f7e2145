import { join } from 'node:path';
import sharp from 'sharp';
import { ffmpeg } from './fixtures.js';

/** Ten testsrc frames; delays 100 ms ×5 then 300 ms ×5 (in centiseconds: 10 and 30). */
export const GIF_DELAYS_MS = [100, 100, 100, 100, 100, 300, 300, 300, 300, 300];

/** Presentation times from delays. */
export function ptsOf(delays: readonly number[]): number[] {
  return delays.map((_, i) => delays.slice(0, i).reduce((a, b) => a + b, 0));
}

// Each frame's pts (centiseconds) is the sum of the delays before it; the GIF muxer gives the
// last frame the previous one's delay, which is 300 ms here too.
const CS_PTS = ptsOf(GIF_DELAYS_MS).map((ms) => ms / 10);
const SETPTS = `settb=1/100,setpts='${CS_PTS.map((p, i) => `eq(N\\,${i})*${p}`).join('+')}'`;

/** An opaque animated GIF from lavfi testsrc through ffmpeg's gif encoder (pixel format bgra, every pixel opaque). */
export async function makeOpaqueGif(dir: string, name = 'opaque.gif', size = '24x16'): Promise<string> {
  const out = join(dir, name);
  await ffmpeg(['-f', 'lavfi', '-i', `testsrc=size=${size}:rate=10`, '-frames:v', '10', '-vf', SETPTS, '-vsync', 'passthrough', '-loop', '0', out]);
  return out;
}

/** An APNG from lavfi testsrc, delays as GIF_DELAYS_MS, plays forever; `transparent` clears the left 4 columns of every frame. */
export async function makeApng(dir: string, name: string, options: { transparent?: boolean; plays?: number } = {}): Promise<string> {
  const out = join(dir, name);
  const alpha = options.transparent ? ",format=rgba,geq=r='r(X,Y)':g='g(X,Y)':b='b(X,Y)':a='if(lt(X,4),0,255)'" : '';
  await ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=24x16:rate=10', '-frames:v', '10', '-vf', `${SETPTS}${alpha}`, '-vsync', 'passthrough', '-plays', String(options.plays ?? 0), '-final_delay', '0.3', '-f', 'apng', out]);
  return out;
}

/** Distinct RGBA frames (frame i has red = 20·i), `width`×`height`; `clear` makes the top-left pixel of each frame transparent. */
export function rgbaFrames(count: number, width: number, height: number, clear: boolean): Buffer {
  const frames = Buffer.alloc(count * width * height * 4);
  for (let f = 0; f < count; f++) {
    for (let p = 0; p < width * height; p++) {
      const o = (f * width * height + p) * 4;
      frames[o] = 20 * f;
      frames[o + 1] = (p * 7) % 256;
      frames[o + 2] = 128;
      frames[o + 3] = clear && p === 0 ? 0 : 255;
    }
  }
  return frames;
}

/** An animated WebP or GIF written by sharp from `rgbaFrames`, with the given delays and loop. */
export async function makeSharpAnimation(file: string, format: 'webp' | 'gif', delays: readonly number[], options: { clear?: boolean; loop?: number; width?: number; height?: number } = {}): Promise<string> {
  const width = options.width ?? 20;
  const height = options.height ?? 12;
  const data = rgbaFrames(delays.length, width, height, options.clear ?? false);
  const image = sharp(data, { raw: { width, height: height * delays.length, channels: 4, pageHeight: height } });
  const timing = { delay: [...delays], loop: options.loop ?? 0 };
  await (format === 'webp' ? image.webp({ lossless: true, ...timing }) : image.gif(timing)).toFile(file);
  return file;
}
