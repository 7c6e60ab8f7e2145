// Encode/decode helpers for the benchmarks: sharp driven exactly as a sink would drive it.
import sharp from 'sharp';

export function median(values) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Encode one raw frame with `format`/`options`; returns the bytes and the wall time in ms. */
export async function encodeTimed(image, format, options) {
  const t0 = performance.now();
  const buffer = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: image.channels } })
    .toFormat(format, options)
    .toBuffer();
  return { buffer, ms: performance.now() - t0 };
}

/**
 * Decode `buffer` and compare with `image`: `exact` when every byte matches, `alphaKept` when
 * the alpha plane matches (null without alpha), plus the worst per-byte error and PSNR.
 * WebP stores a fully opaque alpha channel as none, so alpha is re-added before comparing.
 */
export async function decodeCheck(image, buffer) {
  let pipeline = sharp(buffer);
  if (image.channels === 4) pipeline = pipeline.ensureAlpha();
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== image.channels || data.length !== image.data.length) {
    return { exact: false, alphaKept: image.channels === 4 ? false : null, maxError: 255, psnr: 0 };
  }
  let maxError = 0;
  let squared = 0;
  let alphaKept = image.channels === 4 ? true : null;
  for (let i = 0; i < data.length; i++) {
    const e = Math.abs(data[i] - image.data[i]);
    if (e === 0) continue;
    if (e > maxError) maxError = e;
    squared += e * e;
    if (image.channels === 4 && i % 4 === 3) alphaKept = false;
  }
  const psnr = squared === 0 ? Infinity : 10 * Math.log10((255 * 255 * data.length) / squared);
  return { exact: maxError === 0, alphaKept, maxError, psnr };
}

/** Sum of sizes and median encode time of `frames` under one fixed format/options. */
export async function measureSetting(frames, format, options, reps = 1) {
  let bytes = 0;
  let exact = true;
  const ms = [];
  for (let rep = 0; rep < reps; rep++) {
    for (const frame of frames) {
      const { buffer, ms: t } = await encodeTimed(frame, format, options);
      ms.push(t);
      if (rep > 0) continue;
      bytes += buffer.length;
      if (exact) exact = (await decodeCheck(frame, buffer)).exact;
    }
  }
  return { bytes, ms: median(ms), exact };
}
