// Markdown tables for the end-to-end dedupe bench (see end-to-end.mjs for what is measured).

const s = (x) => x.toFixed(2);
const db = (x) => (x === Infinity ? '∞' : `${x.toFixed(1)} dB`);
const verdict = (holds, target, measured) => (holds === undefined ? '' : `${holds ? 'holds' : '**misses**'} (≤ ${target}: ${s(measured)})`);

export function renderEndToEnd(result) {
  const lines = [];
  const { reps, width, height, scale, startup, rows } = result;
  lines.push(`### Dedupe end to end (upframe upscale, esrgan-slim-x2 on onnx, ${width}×${height} → ${width * scale}×${height * scale}, lossless RGB output)\n`);
  lines.push(`Wall time of the whole CLI process, median of ${reps} interleaved runs; the ratio divides by off's median from the same bench run. ` +
    `"pipeline" is the report's timings.totalSeconds (inside the process: no Node start-up or exit). ` +
    `A one-frame clip takes ${s(startup.medianWall)} s wall (${s(startup.medianPipeline)} s pipeline): the fixed cost of a run; ` +
    '"net" takes it off both times, leaving what the frames cost.\n');
  lines.push('| clip | frames (held by construction) | strategy | inferred / duplicates (report) | wall s (median) | wall ratio vs off | pipeline s | pipeline ratio | net ratio | target (wall) |');
  lines.push('|---|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    lines.push(`| ${r.clip} (${r.encoding}) | ${r.frames} (${r.heldByConstruction}) | ${r.strategy} | ${r.inferred} / ${r.duplicates} | ${s(r.medianWall)} ` +
      `(${r.wallSeconds.map(s).join(', ')}) | ${s(r.ratioWall)} | ${s(r.medianPipeline)} | ${s(r.ratioPipeline)} | ${s(r.ratioNet)} | ${verdict(r.holds, r.target, r.ratioWall)} |`);
  }
  lines.push(`\n### Fidelity: every output frame vs the same frame of the off run (rgb24, ${width * scale}×${height * scale})\n`);
  lines.push('| clip | strategy | frames | identical to off | min PSNR (frame) | mean PSNR of differing frames | ≥ ' + `${result.minPsnrDb} dB |`);
  lines.push('|---|---|---|---|---|---|---|');
  for (const r of rows.filter((x) => x.fidelity)) {
    const f = r.fidelity;
    const floor = r.psnrHolds === undefined ? '' : r.psnrHolds ? 'holds' : '**misses**';
    lines.push(`| ${r.clip} | ${r.strategy} | ${f.frames} | ${f.identical} | ${db(f.minPsnr)}${f.worstFrame >= 0 ? ` (${f.worstFrame})` : ''} | ${db(f.meanDifferingPsnr)} | ${floor} |`);
  }
  lines.push(`\nBench time: ${s(result.benchSeconds)} s for ${result.runs.length} measured runs.`);
  return lines.join('\n');
}
