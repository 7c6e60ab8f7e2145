import type { Image } from './frame.js';
import { bytesOf16, samples16 } from './sample-depth.js';

/** Catmull-Rom cubic weight (a = -0.5), the usual "bicubic". */
function cubic(t: number): number {
  const a = -0.5;
  const x = Math.abs(t);
  if (x <= 1) return (a + 2) * x * x * x - (a + 3) * x * x + 1;
  if (x < 2) return a * x * x * x - 5 * a * x * x + 8 * a * x - 4 * a;
  return 0;
}

/** Per-output-coordinate source taps and weights for one axis, computed once per size. */
function axisTaps(inSize: number, outSize: number): { idx: Int32Array; w: Float32Array } {
  const idx = new Int32Array(outSize * 4);
  const w = new Float32Array(outSize * 4);
  const ratio = inSize / outSize;
  for (let o = 0; o < outSize; o++) {
    const center = (o + 0.5) * ratio - 0.5;
    const base = Math.floor(center);
    let sum = 0;
    for (let k = 0; k < 4; k++) {
      const s = base - 1 + k;
      const weight = cubic(center - s);
      idx[o * 4 + k] = Math.min(inSize - 1, Math.max(0, s));
      w[o * 4 + k] = weight;
      sum += weight;
    }
    for (let k = 0; k < 4; k++) w[o * 4 + k] /= sum;
  }
  return { idx, w };
}

/**
 * Separable bicubic resize of an any-channel 8- or 16-bit image (used for alpha planes, which
 * carry no detail the model could restore). Edges clamp; results round and clamp to the depth's
 * range (0..255 or 0..65535) and keep the source's depth.
 */
export function resizeBicubic(src: Image, outWidth: number, outHeight: number): Image {
  const c = src.channels;
  const wide = src.depth === 16;
  const input = wide ? samples16(src.data) : src.data;
  const max = wide ? 65535 : 255;
  const xs = axisTaps(src.width, outWidth);
  const ys = axisTaps(src.height, outHeight);
  const tmp = new Float32Array(outWidth * src.height * c);
  for (let y = 0; y < src.height; y++) {
    for (let x = 0; x < outWidth; x++) {
      for (let ch = 0; ch < c; ch++) {
        let acc = 0;
        for (let k = 0; k < 4; k++) acc += input[(y * src.width + xs.idx[x * 4 + k]) * c + ch] * xs.w[x * 4 + k];
        tmp[(y * outWidth + x) * c + ch] = acc;
      }
    }
  }
  const out = wide ? new Uint16Array(outWidth * outHeight * c) : new Uint8Array(outWidth * outHeight * c);
  for (let y = 0; y < outHeight; y++) {
    for (let x = 0; x < outWidth; x++) {
      for (let ch = 0; ch < c; ch++) {
        let acc = 0;
        for (let k = 0; k < 4; k++) acc += tmp[(ys.idx[y * 4 + k] * outWidth + x) * c + ch] * ys.w[y * 4 + k];
        out[(y * outWidth + x) * c + ch] = acc <= 0 ? 0 : acc >= max ? max : Math.round(acc);
      }
    }
  }
  if (out instanceof Uint16Array) return { width: outWidth, height: outHeight, channels: c, depth: 16, data: bytesOf16(out) };
  return { width: outWidth, height: outHeight, channels: c, data: out };
}
