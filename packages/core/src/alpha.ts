import type { BufferPool } from './buffer-pool.js';
import type { Image } from './frame.js';

/** Split interleaved RGBA into an RGB image for the model and a one-channel alpha plane. */
export function splitAlpha(rgba: Image, pool?: BufferPool): { rgb: Image; alpha: Image } {
  const n = rgba.width * rgba.height;
  const rgb = pool?.acquire(n * 3) ?? new Uint8Array(n * 3);
  const alpha = new Uint8Array(n);
  const src = rgba.data;
  for (let i = 0, j = 0; i < n; i++, j += 4) {
    const o = i * 3;
    rgb[o] = src[j];
    rgb[o + 1] = src[j + 1];
    rgb[o + 2] = src[j + 2];
    alpha[i] = src[j + 3];
  }
  return {
    rgb: { width: rgba.width, height: rgba.height, channels: 3, data: rgb },
    alpha: { width: rgba.width, height: rgba.height, channels: 1, data: alpha },
  };
}

/** Interleave an RGB image and an alpha plane of the same size back into RGBA. */
export function mergeAlpha(rgb: Image, alpha: Image): Image {
  if (rgb.width !== alpha.width || rgb.height !== alpha.height) {
    throw new RangeError(`alpha plane ${alpha.width}x${alpha.height} does not match colour ${rgb.width}x${rgb.height}`);
  }
  const n = rgb.width * rgb.height;
  const out = new Uint8Array(n * 4);
  const c = rgb.data;
  const a = alpha.data;
  for (let i = 0, j = 0; i < n; i++, j += 4) {
    const o = i * 3;
    out[j] = c[o];
    out[j + 1] = c[o + 1];
    out[j + 2] = c[o + 2];
    out[j + 3] = a[i];
  }
  return { width: rgb.width, height: rgb.height, channels: 4, data: out };
}
