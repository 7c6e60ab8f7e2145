import type { BufferPool } from './buffer-pool.js';
import { UpframeError } from './errors.js';
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

/** Whether any pixel of interleaved RGBA data is less than fully opaque: transparency read from the pixels, not the format. */
export function hasTransparency(rgba: Uint8Array): boolean {
  for (let j = 3; j < rgba.length; j += 4) if (rgba[j] !== 255) return true;
  return false;
}

/** An opaque colour as 8-bit RGB. */
export type RgbColour = readonly [number, number, number];

/** `#rgb` or `#rrggbb` (the `#` optional) → RGB; throws a usage error naming the accepted forms. */
export function parseColour(text: string): RgbColour {
  const hex = text.trim().replace(/^#/, '');
  const full = /^[0-9a-f]{3}$/i.test(hex) ? [...hex].map((c) => c + c).join('') : hex;
  if (!/^[0-9a-f]{6}$/i.test(full)) throw new UpframeError('USAGE', `"${text}" is not a colour; write it as #rrggbb or #rgb, e.g. #ffffff`);
  const channel = (i: number) => parseInt(full.slice(i, i + 2), 16);
  return [channel(0), channel(2), channel(4)];
}

/** Composite interleaved RGBA over an opaque background colour, giving RGB (straight alpha, rounded). */
export function flattenAlpha(rgba: Uint8Array, background: RgbColour, out = new Uint8Array((rgba.length / 4) * 3)): Uint8Array {
  const [br, bg, bb] = background;
  for (let i = 0, j = 0; j < rgba.length; i += 3, j += 4) {
    const a = rgba[j + 3];
    if (a === 255) {
      out[i] = rgba[j];
      out[i + 1] = rgba[j + 1];
      out[i + 2] = rgba[j + 2];
    } else {
      const k = 255 - a;
      out[i] = Math.round((rgba[j] * a + br * k) / 255);
      out[i + 1] = Math.round((rgba[j + 1] * a + bg * k) / 255);
      out[i + 2] = Math.round((rgba[j + 2] * a + bb * k) / 255);
    }
  }
  return out;
}

/**
 * `flattenAlpha` for 16-bit samples (`rgba64` → `rgb48` bytes, little-endian): composites straight
 * alpha over the background at full 16-bit precision, the background's 8-bit levels scaled by 257.
 */
export function flattenAlpha16(rgba64: Uint8Array, background: RgbColour): Uint8Array {
  const src = samples16(rgba64);
  const out = new Uint16Array((src.length / 4) * 3);
  const bg = background.map((v) => v * 257);
  for (let i = 0, j = 0; j < src.length; i += 3, j += 4) {
    const a = src[j + 3];
    const k = 65535 - a;
    for (let c = 0; c < 3; c++) out[i + c] = a === 65535 ? src[j + c] : Math.round((src[j + c] * a + bg[c] * k) / 65535);
  }
  return bytesOf16(out);
}
