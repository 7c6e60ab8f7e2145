// Tiny raster helpers for generating test content: flat shapes with anti-aliased edges, drawn
// straight into interleaved 8-bit buffers so tests and the benchmark need no image files.

/** Deterministic PRNG (mulberry32), so every run measures the same pixels. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A canvas filled with one colour; `rgba` has 3 or 4 entries and decides the channel count. */
export function canvas(width, height, rgba) {
  const channels = rgba.length;
  const data = new Uint8Array(width * height * channels);
  for (let i = 0; i < data.length; i += channels) for (let c = 0; c < channels; c++) data[i + c] = rgba[c];
  return { width, height, channels, data };
}

// Source-over blend of `rgba` at `coverage` (0..1) into pixel `p`; alpha channel when present.
function blend(img, p, rgba, coverage) {
  const a = coverage * (rgba.length === 4 ? rgba[3] / 255 : 1);
  if (a <= 0) return;
  const o = p * img.channels;
  for (let c = 0; c < 3; c++) img.data[o + c] = Math.round(img.data[o + c] * (1 - a) + rgba[c] * a);
  if (img.channels === 4) img.data[o + 3] = Math.round(img.data[o + 3] * (1 - a) + 255 * a);
}

/** Filled circle with a one-pixel anti-aliased rim. */
export function circle(img, cx, cy, r, rgba) {
  const x0 = Math.max(0, Math.floor(cx - r - 1));
  const x1 = Math.min(img.width - 1, Math.ceil(cx + r + 1));
  const y0 = Math.max(0, Math.floor(cy - r - 1));
  const y1 = Math.min(img.height - 1, Math.ceil(cy + r + 1));
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy);
      blend(img, y * img.width + x, rgba, Math.min(1, Math.max(0, r - d + 0.5)));
    }
  }
}

/** Filled axis-aligned rectangle with fractional (anti-aliased) edges. */
export function rect(img, left, top, w, h, rgba) {
  const cover = (a, lo, hi) => Math.max(0, Math.min(a + 1, hi) - Math.max(a, lo));
  for (let y = Math.max(0, Math.floor(top)); y < Math.min(img.height, Math.ceil(top + h)); y++) {
    const cy = cover(y, top, top + h);
    for (let x = Math.max(0, Math.floor(left)); x < Math.min(img.width, Math.ceil(left + w)); x++) {
      blend(img, y * img.width + x, rgba, cy * cover(x, left, left + w));
    }
  }
}

/** Horizontal alpha ramp over a rectangle (a glow or fade), for the alpha content class. */
export function alphaRamp(img, left, top, w, h, rgb) {
  for (let x = 0; x < w; x++) rect(img, left + x, top, 1, h, [...rgb, Math.round((255 * x) / Math.max(1, w - 1))]);
}

/** Adds zero-mean Gaussian noise of `sigma` to the colour channels (alpha untouched). */
export function addNoise(img, sigma, seed) {
  const rand = rng(seed);
  const out = { ...img, data: new Uint8Array(img.data) };
  for (let i = 0; i < out.data.length; i++) {
    if (img.channels === 4 && i % 4 === 3) continue;
    const g = Math.sqrt(-2 * Math.log(rand() || 1e-12)) * Math.cos(2 * Math.PI * rand());
    out.data[i] = Math.max(0, Math.min(255, Math.round(out.data[i] + g * sigma)));
  }
  return out;
}
