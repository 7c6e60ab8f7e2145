// Markdown table and target checks for bench/formats.mjs.

const fmt = (n, digits = 1) => (n === null || n === undefined ? '–' : n.toFixed(digits));

export function markdownTable(results) {
  const lines = [
    '| class | selector | choice | bytes | vs PNG | encode ms/frame | vs PNG time | select ms/frame | decode check | alpha kept |',
    '|---|---|---|---:|---:|---:|---:|---:|---|---|',
  ];
  for (const r of results) {
    const base = results.find((b) => b.class === r.class && b.selector === 'PNG baseline');
    const size = r.bytes === null ? '–' : `${fmt((100 * r.bytes) / base.bytes)}%`;
    const time = r.encodeMsMedian === null ? '–' : `${fmt(r.encodeMsMedian / base.encodeMsMedian, 2)}×`;
    const check = r.exact === null ? '–' : r.exact ? 'bit-exact' : r.lossless ? 'NOT exact' : `lossy, PSNR ≥ ${fmt(r.psnrMin)} dB`;
    const alpha = r.alphaKept === null ? (r.channels === 4 ? '–' : 'n/a') : r.alphaKept ? 'yes' : 'NO';
    lines.push(`| ${r.class} | ${r.selector} | ${r.choice} | ${r.bytes ?? '–'} | ${size} | ${fmt(r.encodeMsMedian)} | ${time} | ${r.selector === 'PNG baseline' ? '–' : fmt(r.selectMsMedian, 2)} | ${check} | ${alpha} |`);
  }
  return lines.join('\n');
}

/** The targets, evaluated on the measured rows. */
export function checkTargets(results) {
  const checks = [];
  const classes = [...new Set(results.map((r) => r.class))];
  for (const name of classes) {
    const base = results.find((r) => r.class === name && r.selector === 'PNG baseline');
    const auto = results.find((r) => r.class === name && r.selector === 'auto');
    const ratio = auto.bytes / base.bytes;
    // auto's cost per frame is its analysis plus the encode.
    const timeRatio = (auto.encodeMsMedian + auto.selectMsMedian) / base.encodeMsMedian;
    if (name === 'flat') {
      checks.push({ class: name, target: 'auto ≥ 25% smaller than PNG', value: `${(100 * (1 - ratio)).toFixed(1)}% smaller`, holds: ratio <= 0.75 });
      checks.push({ class: name, target: "auto encode time ≤ PNG's", value: `${timeRatio.toFixed(2)}× PNG (incl. ${auto.selectMsMedian.toFixed(2)} ms analysis)`, holds: timeRatio <= 1 });
      checks.push({ class: name, target: 'auto bit-exact', value: auto.exact ? 'bit-exact' : 'differs', holds: auto.exact === true });
    }
    checks.push({ class: name, target: 'auto ≤ PNG + 2%', value: `${(100 * ratio).toFixed(1)}% of PNG`, holds: ratio <= 1.02 });
    if (auto.channels === 4) checks.push({ class: name, target: 'alpha preserved', value: auto.alphaKept ? 'alpha plane identical' : 'alpha differs', holds: auto.alphaKept === true });
    if (auto.lossless) checks.push({ class: name, target: 'lossless output bit-exact', value: auto.exact ? 'bit-exact' : 'differs', holds: auto.exact === true });
  }
  const lines = ['| class | target | measured | holds |', '|---|---|---|---|', ...checks.map((c) => `| ${c.class} | ${c.target} | ${c.value} | ${c.holds ? 'yes' : '**no**'} |`)];
  return { checks, lines };
}
