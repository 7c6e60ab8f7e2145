import { execFileSync } from 'node:child_process';

const FFMPEG = process.env.UPFRAME_FFMPEG ?? 'ffmpeg';

/** Writes a generated test picture (ffmpeg lavfi `testsrc2`, a few frames in so it has motion detail) as PNG. */
export function writeTestPng(file: string, w: number, h: number, filter = ''): void {
  const vf = `format=rgb24${filter ? `,${filter}` : ''}`;
  execFileSync(FFMPEG, ['-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=${w}x${h}:rate=10`, '-ss', '0.7', '-frames:v', '1', '-vf', vf, file]);
}

/** Interleaved RGB8 pixels of an image file (decoded by ffmpeg). */
export function readRgb(file: string, w: number, h: number): Uint8Array {
  const out = execFileSync(FFMPEG, ['-loglevel', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 1 << 28 });
  if (out.byteLength !== w * h * 3) throw new Error(`${file}: expected ${w}x${h} RGB, got ${out.byteLength} bytes`);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/** ffmpeg's bicubic resize of a file to `w`×`h`, as RGB8. */
export function bicubicRgb(file: string, w: number, h: number): Uint8Array {
  const out = execFileSync(FFMPEG, ['-loglevel', 'error', '-i', file, '-vf', `scale=${w}:${h}:flags=bicubic,format=rgb24`, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 1 << 28 });
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/** PSNR in dB between two 8-bit images (Infinity when identical). */
export function psnr(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) throw new Error(`sizes differ: ${a.length} vs ${b.length}`);
  let se = 0;
  for (let i = 0; i < a.length; i++) se += (a[i]! - b[i]!) ** 2;
  return se === 0 ? Infinity : 10 * Math.log10((255 * 255) / (se / a.length));
}
