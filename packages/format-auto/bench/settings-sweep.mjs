// The measurements behind src/encoder-settings.ts: every candidate lossless setting (or, with
// --lossy, the lossy ones) on every content class, as % of the PNG baseline's bytes and × its
// encode time. Usage: node bench/settings-sweep.mjs [--lossy] [--frames 6] [--reps 3] [--size 512x288] [--classes flat,photo]
import { parseArgs } from 'node:util';
import { CONTENT_CLASSES, generateClass } from './content.mjs';
import { decodeCheck, encodeTimed, median } from './measure.mjs';

const LOSSLESS = [
  ['png baseline (sharp defaults)', 'png', {}],
  ...[1, 3, 7, 8, 9].map((l) => [`png level ${l}`, 'png', { compressionLevel: l }]),
  ...[1, 2, 4, 6, 9].map((l) => [`png level ${l} + adaptive filtering`, 'png', { compressionLevel: l, adaptiveFiltering: true }]),
  ...[[0, 75], [0, 25], [1, 1], [1, 25], [1, 50], [1, 75], [2, 50], [3, 50], [4, 75], [6, 75]].map(([e, q]) => [`webp lossless effort ${e} quality ${q}`, 'webp', { lossless: true, effort: e, quality: q }]),
  ...['deflate', 'lzw'].flatMap((c) => ['none', 'horizontal'].map((p) => [`tiff ${c} predictor ${p}`, 'tiff', { compression: c, predictor: p }])),
  ['avif lossless effort 4', 'avif', { lossless: true, effort: 4 }],
];
const LOSSY = [
  ['png baseline (sharp defaults)', 'png', {}],
  ['jpeg q90 mozjpeg', 'jpeg', { quality: 90, mozjpeg: true }],
  ['jpeg q90 mozjpeg 4:4:4', 'jpeg', { quality: 90, mozjpeg: true, chromaSubsampling: '4:4:4' }],
  ['webp q90', 'webp', { quality: 90, alphaQuality: 100, effort: 4 }],
  ['webp q90 smartSubsample', 'webp', { quality: 90, alphaQuality: 100, effort: 4, smartSubsample: true }],
];

const { values } = parseArgs({
  options: {
    lossy: { type: 'boolean', default: false },
    frames: { type: 'string', default: '6' },
    reps: { type: 'string', default: '3' },
    size: { type: 'string', default: '512x288' },
    classes: { type: 'string', default: CONTENT_CLASSES.join(',') },
  },
});
const [width, height] = values.size.split('x').map(Number);
const configs = values.lossy ? LOSSY : LOSSLESS;
const reps = Number(values.reps);

for (const name of values.classes.split(',')) {
  const { frames } = await generateClass(name, { frames: Number(values.frames), width, height });
  const results = configs.map(() => ({ bytes: 0, ms: [], exact: true, alphaKept: true, maxError: 0, psnr: [] }));
  // Interleaved (every setting on frame 1, then on frame 2, …) so machine noise hits all alike.
  for (let rep = 0; rep < reps; rep++) {
    for (const frame of frames) {
      for (const [k, [, format, options]] of configs.entries()) {
        if (format === 'avif' && rep > 0) continue; // one pass is enough for the slowest
        const { buffer, ms } = await encodeTimed(frame, format, options);
        const r = results[k];
        r.ms.push(ms);
        if (rep > 0) continue;
        r.bytes += buffer.length;
        const check = await decodeCheck(frame, buffer);
        r.exact &&= check.exact;
        r.alphaKept &&= check.alphaKept !== false;
        r.maxError = Math.max(r.maxError, check.maxError);
        r.psnr.push(check.psnr);
      }
    }
  }
  const base = results[0];
  console.log(`\n### ${name} (${frames.length} frames ${width}×${height}, ${frames[0].channels} channels)\n`);
  console.log(`| setting | bytes | % of PNG | ms/frame | × PNG time | ${values.lossy ? 'PSNR dB | max error' : 'bit-exact'} |`);
  console.log(`|---|---:|---:|---:|---:|${values.lossy ? '---:|---:' : '---'}|`);
  configs.forEach(([label], k) => {
    const r = results[k];
    const tail = values.lossy ? `${median(r.psnr).toFixed(2)} | ${r.maxError}` : r.exact ? 'yes' : r.alphaKept ? 'no (alpha kept)' : 'no (alpha lost)';
    console.log(`| ${label} | ${r.bytes} | ${((100 * r.bytes) / base.bytes).toFixed(1)} | ${median(r.ms).toFixed(1)} | ${(median(r.ms) / median(base.ms)).toFixed(2)} | ${tail} |`);
  });
}
