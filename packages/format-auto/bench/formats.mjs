// Benchmark: the `auto` selector against every fixed format on generated content classes.
// Runs against the compiled package (build first: npx tsc -p packages/format-auto/tsconfig.build.json).
// Usage: node bench/formats.mjs [--frames 12] [--size 512x288] [--reps 3] [--classes flat,photo] [--skip avif] [--json out.json]
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { IMAGE_FORMATS, TOKENS, createUpframeContainer, silentLogger } from '@upframe/core';
import sharp from 'sharp';
import { PNG_BASELINE_OPTIONS, labelChoice, register } from '../dist/index.js';
import { CONTENT_CLASSES, generateClass } from './content.mjs';
import { decodeCheck, encodeTimed, median } from './measure.mjs';
import { checkTargets, markdownTable } from './report.mjs';

const { values } = parseArgs({
  options: {
    frames: { type: 'string', default: '12' },
    size: { type: 'string', default: '512x288' },
    reps: { type: 'string', default: '3' },
    classes: { type: 'string', default: CONTENT_CLASSES.join(',') },
    skip: { type: 'string', default: '' },
    json: { type: 'string' },
  },
});
const [width, height] = values.size.split('x').map(Number);
const frameCount = Number(values.frames);
const reps = Number(values.reps);
const skip = new Set(values.skip.split(',').filter(Boolean));

const container = createUpframeContainer({ logger: silentLogger });
register(container);
const registry = container.resolve(TOKENS.FormatSelectors);

/** Rows per class: the baseline, auto (lossless and lossy), then every fixed selector. */
function selectorsFor() {
  const rows = [
    { label: 'PNG baseline', selector: { name: 'baseline', select: () => ({ format: 'png', lossless: true, options: PNG_BASELINE_OPTIONS, reason: 'baseline' }) } },
    { label: 'auto', selector: registry.create(container, 'auto', {}) },
    { label: 'auto {lossy}', selector: registry.create(container, 'auto', { lossy: true }) },
  ];
  for (const format of IMAGE_FORMATS) if (format !== 'png' && !skip.has(format)) rows.push({ label: format, selector: registry.create(container, format, {}) });
  return rows;
}

const results = [];
for (const name of values.classes.split(',')) {
  const content = await generateClass(name, { frames: frameCount, width, height });
  const context = { supported: IMAGE_FORMATS, frameCount, sourceBitDepth: content.sourceBitDepth };
  const rows = selectorsFor().map(({ label, selector }) => {
    const row = { class: name, selector: label, choices: [], selectMs: [], encodeMs: [], bytes: 0, exact: true, alphaKept: null, minPsnr: Infinity };
    try {
      content.frames.forEach((frame, i) => {
        const t0 = performance.now();
        row.choices.push(selector.select(frame, i, context));
        row.selectMs.push(performance.now() - t0);
      });
      row.summary = selector.summary?.();
    } catch (error) {
      row.refused = error.message;
    }
    return row;
  });
  // Interleaved over rows, frame by frame, so machine noise falls on every row alike.
  for (let rep = 0; rep < reps; rep++) {
    for (const [i, frame] of content.frames.entries()) {
      for (const row of rows) {
        if (row.refused || (row.choices[i].format === 'avif' && rep > 0)) continue;
        const { buffer, ms } = await encodeTimed(frame, row.choices[i].format, row.choices[i].options);
        row.encodeMs.push(ms);
        if (rep > 0) continue;
        row.bytes += buffer.length;
        const check = await decodeCheck(frame, buffer);
        row.exact &&= check.exact;
        if (check.alphaKept !== null) row.alphaKept = (row.alphaKept ?? true) && check.alphaKept;
        row.minPsnr = Math.min(row.minPsnr, check.psnr);
      }
    }
  }
  for (const row of rows) {
    const labels = [...new Set(row.choices.map(labelChoice))];
    results.push({
      class: name,
      description: content.description,
      channels: content.frames[0].channels,
      selector: row.selector,
      choice: row.refused ? `refused: ${row.refused}` : labels.join(' / '),
      lossless: row.refused ? null : row.choices.every((c) => c.lossless),
      bytes: row.refused ? null : row.bytes,
      encodeMsMedian: row.refused ? null : median(row.encodeMs),
      selectMsMedian: row.refused ? null : median(row.selectMs),
      exact: row.refused ? null : row.exact,
      alphaKept: row.refused ? null : row.alphaKept,
      psnrMin: row.refused || row.exact ? null : Number(row.minPsnr.toFixed(2)),
      summary: row.summary,
    });
  }
  process.stderr.write(`${name}: done\n`);
}

const targets = checkTargets(results);
const machine = { cpus: availableParallelism(), cpu: cpus()[0]?.model, node: process.version, sharp: sharp.versions.sharp, libvips: sharp.versions.vips, libwebp: sharp.versions.webp, sharpConcurrency: sharp.concurrency() };
const header = `Frames: ${frameCount} per class at ${width}×${height}; encode time = median wall ms per frame over ${reps} interleaved passes (AVIF: 1), sequential, sharp concurrency ${machine.sharpConcurrency}, ${machine.cpus} CPUs (${machine.cpu}), node ${machine.node}, sharp ${machine.sharp} / libvips ${machine.libvips} / libwebp ${machine.libwebp}. PNG baseline = sharp png() with default settings (compressionLevel 6, adaptiveFiltering false).`;
console.log(`${header}\n\n${markdownTable(results)}\n\n${targets.lines.join('\n')}`);
if (values.json) writeFileSync(values.json, JSON.stringify({ machine, frames: frameCount, width, height, reps, results, targets: targets.checks }, null, 2));
