import type { Frame, PixelLayout } from '@upframe/core';

// Deterministic synthetic frames for unit tests: a textured picture, then small controlled edits.

export const TIME_BASE = { num: 1, den: 24 } as const;

/** A small PRNG (mulberry32) so "random" texture and noise are the same on every run. */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Picture {
  readonly width: number;
  readonly height: number;
  readonly layout: PixelLayout;
  readonly data: Uint8Array;
}

const channels = (layout: PixelLayout) => (layout === 'rgba' ? 4 : 3);
const clamp = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));

/** Smooth gradients plus mild texture, mid-grey on average, so edits in any direction show. */
export function texturedPicture(width = 64, height = 48, seed = 1, layout: PixelLayout = 'rgb24'): Picture {
  const rand = prng(seed);
  const ch = channels(layout);
  const data = new Uint8Array(width * height * ch);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = (y * width + x) * ch;
      data[p] = clamp(60 + (x * 120) / width + rand() * 20);
      data[p + 1] = clamp(80 + (y * 100) / height + rand() * 20);
      data[p + 2] = clamp(100 + ((x + y) * 60) / (width + height) + rand() * 20);
      if (ch === 4) data[p + 3] = 255;
    }
  }
  return { width, height, layout, data };
}

/** A copy with `edit(pixelIndex, channel, value)` applied to every byte. */
export function mapPicture(pic: Picture, edit: (pixel: number, channel: number, value: number) => number): Picture {
  const ch = channels(pic.layout);
  const data = new Uint8Array(pic.data.length);
  for (let i = 0; i < pic.data.length; i++) data[i] = clamp(edit(Math.floor(i / ch), i % ch, pic.data[i]));
  return { ...pic, data };
}

/** Adds `delta` to R, G and B (not alpha) of every pixel: a uniform brightness change. */
export function brighten(pic: Picture, delta: number): Picture {
  return mapPicture(pic, (_, c, v) => (c < 3 ? v + delta : v));
}

/** Zero-mean uniform noise of ±amplitude on R, G and B. */
export function addNoise(pic: Picture, amplitude: number, seed: number): Picture {
  const rand = prng(seed);
  return mapPicture(pic, (_, c, v) => (c < 3 ? v + Math.round((rand() * 2 - 1) * amplitude) : v));
}

/** Sets an rgb (or rgba) value over a rectangle. */
export function paintRect(pic: Picture, x0: number, y0: number, w: number, h: number, value: readonly number[]): Picture {
  return mapPicture(pic, (pixel, c, v) => {
    const x = pixel % pic.width;
    const y = Math.floor(pixel / pic.width);
    return x >= x0 && x < x0 + w && y >= y0 && y < y0 + h && c < value.length ? value[c] : v;
  });
}

/** A frame at `index` showing `pic`, timed at 24 fps unless `pts` says otherwise. */
export function frameOf(pic: Picture, index: number, pts = index): Frame {
  return { index, pts, timeBase: TIME_BASE, width: pic.width, height: pic.height, layout: pic.layout, data: pic.data };
}
