// Small helpers: the machine is shared and noisy, so every number is a median of interleaved reps.
export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
export const fixed = (x, d = 2) => (x === undefined || Number.isNaN(x) ? '–' : x.toFixed(d));

/** A markdown table from a header row and rows of cells. */
export function table(header, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export const verdict = (ok) => (ok ? 'holds' : '**does not hold**');
