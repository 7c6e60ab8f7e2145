import type { BufferPool } from './buffer-pool.js';
import type { Image } from './frame.js';
import { bytesOf16, samples16 } from './sample-depth.js';

/**
 * Split interleaved RGBA into an RGB image for the model and a one-channel alpha plane, at the
 * image's own depth (16-bit samples stay 16-bit). The RGB buffer may come from `pool`.
 */
export function splitAlpha(rgba: Image, pool?: BufferPool): { rgb: Image; alpha: Image } {
  if (rgba.depth === 16) return splitAlpha16(rgba, pool);
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

function splitAlpha16(rgba: Image, pool?: BufferPool): { rgb: Image; alpha: Image } {
  const n = rgba.width * rgba.height;
  const rgbBytes = pool?.acquire(n * 6) ?? new Uint8Array(n * 6);
  const rgb = samples16(rgbBytes);
  const alpha = new Uint16Array(n);
  const src = samples16(rgba.data);
  for (let i = 0, j = 0; i < n; i++, j += 4) {
    const o = i * 3;
    rgb[o] = src[j];
    rgb[o + 1] = src[j + 1];
    rgb[o + 2] = src[j + 2];
    alpha[i] = src[j + 3];
  }
  return {
    // A pooled buffer is whole and aligned, so `rgb` is a view of it, except on big-endian hosts.
    rgb: { width: rgba.width, height: rgba.height, channels: 3, depth: 16, data: rgb.buffer === rgbBytes.buffer ? rgbBytes : bytesOf16(rgb) },
    alpha: { width: rgba.width, height: rgba.height, channels: 1, depth: 16, data: bytesOf16(alpha) },
  };
}

/** Interleave an RGB image and an alpha plane of the same size and depth back into RGBA. */
export function mergeAlpha(rgb: Image, alpha: Image): Image {
  if (rgb.width !== alpha.width || rgb.height !== alpha.height) {
    throw new RangeError(`alpha plane ${alpha.width}x${alpha.height} does not match colour ${rgb.width}x${rgb.height}`);
  }
  if ((rgb.depth ?? 8) !== (alpha.depth ?? 8)) throw new RangeError(`alpha plane is ${alpha.depth ?? 8}-bit but colour is ${rgb.depth ?? 8}-bit`);
  const n = rgb.width * rgb.height;
  const wide = rgb.depth === 16;
  const out = wide ? new Uint16Array(n * 4) : new Uint8Array(n * 4);
  const c = wide ? samples16(rgb.data) : rgb.data;
  const a = wide ? samples16(alpha.data) : alpha.data;
  for (let i = 0, j = 0; i < n; i++, j += 4) {
    const o = i * 3;
    out[j] = c[o];
    out[j + 1] = c[o + 1];
    out[j + 2] = c[o + 2];
    out[j + 3] = a[i];
  }
  if (out instanceof Uint16Array) return { width: rgb.width, height: rgb.height, channels: 4, depth: 16, data: bytesOf16(out) };
  return { width: rgb.width, height: rgb.height, channels: 4, data: out };
}
