/** One bar: a label on the left, a value drawn to scale and printed on the bar. */
export interface ChartBar {
  readonly label: string;
  readonly value: number;
  /** Smaller text after the label, e.g. the runtime (`wasm-simd`). */
  readonly detail?: string;
}

export interface ChartOptions {
  readonly title: string;
  readonly subtitle?: string;
  /** Caption of the value axis, e.g. `frames per second (higher is better)`. */
  readonly valueAxis: string;
  /** Caption of the category axis, e.g. `backend`. */
  readonly categoryAxis: string;
  /** Unit printed after each value. */
  readonly unit?: string;
}

const WIDTH = 760;
const BAR = 30;
const GAP = 14;
const TOP = 78;
const BOTTOM = 62;
const RIGHT = 40;
const CHAR = 7.2;
const COLORS = ['#2563eb', '#16a34a', '#d97706', '#9333ea', '#dc2626', '#0891b2'];
const FONT = `font-family="system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"`;

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** Axis end and tick step: the step is 1, 2, 2.5 or 5 × 10^k, about five ticks across. */
export function niceScale(max: number): { max: number; step: number } {
  if (!(max > 0) || !Number.isFinite(max)) return { max: 1, step: 0.2 };
  const rough = max / 5;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= rough)!;
  return { max: Math.ceil(max / step - 1e-9) * step, step };
}

const fmt = (v: number) => (Number.isFinite(v) ? (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)) : '–');
const tick = (v: number) => String(Number(v.toPrecision(6)));

/**
 * A self-contained SVG horizontal bar chart (no scripts, styles or external fonts): title,
 * category labels on the left, value gridlines with ticks, axis captions, each value printed
 * on its bar (inside when it fits, else just past its end).
 */
export function barChartSvg(bars: readonly ChartBar[], options: ChartOptions): string {
  const labelWidth = Math.min(260, Math.max(90, ...bars.map((b) => Math.max(b.label.length * (CHAR + 0.8), (b.detail?.length ?? 0) * (CHAR - 1)))) + 24);
  const left = labelWidth + 28;
  const plotWidth = WIDTH - left - RIGHT;
  const rows = Math.max(1, bars.length);
  const plotHeight = rows * (BAR + GAP) + GAP;
  const height = TOP + plotHeight + BOTTOM;
  const { max, step } = niceScale(Math.max(0, ...bars.map((b) => (Number.isFinite(b.value) ? b.value : 0))));
  const x = (v: number) => left + (Math.max(0, Number.isFinite(v) ? v : 0) / max) * plotWidth;
  const unit = options.unit ? ` ${options.unit}` : '';
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${escapeXml(options.title)}" ${FONT}>`,
    `<title>${escapeXml(options.title)}</title>`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="${WIDTH / 2}" y="30" text-anchor="middle" font-size="19" font-weight="600" fill="#111827">${escapeXml(options.title)}</text>`,
  ];
  if (options.subtitle) out.push(`<text x="${WIDTH / 2}" y="52" text-anchor="middle" font-size="13" fill="#4b5563">${escapeXml(options.subtitle)}</text>`);
  for (let v = 0; v <= max + step / 2; v += step) {
    const gx = x(v).toFixed(1);
    out.push(`<line x1="${gx}" y1="${TOP}" x2="${gx}" y2="${TOP + plotHeight}" stroke="${v === 0 ? '#374151' : '#e5e7eb'}" stroke-width="1"/>`);
    out.push(`<text x="${gx}" y="${TOP + plotHeight + 18}" text-anchor="middle" font-size="12" fill="#374151">${tick(v)}</text>`);
  }
  out.push(`<text x="${(left + plotWidth / 2).toFixed(1)}" y="${height - 16}" text-anchor="middle" font-size="13" fill="#111827">${escapeXml(options.valueAxis)}</text>`);
  const cy = TOP + plotHeight / 2;
  out.push(`<text x="18" y="${cy.toFixed(1)}" text-anchor="middle" font-size="13" fill="#111827" transform="rotate(-90 18 ${cy.toFixed(1)})">${escapeXml(options.categoryAxis)}</text>`);
  if (bars.length === 0) out.push(`<text x="${(left + plotWidth / 2).toFixed(1)}" y="${TOP + 30}" text-anchor="middle" font-size="14" fill="#6b7280">no results</text>`);
  bars.forEach((bar, i) => {
    const y = TOP + GAP + i * (BAR + GAP);
    const w = x(bar.value) - left;
    const label = `${fmt(bar.value)}${unit}`;
    const fits = w > label.length * CHAR + 16;
    const mid = y + BAR / 2;
    out.push(`<text x="${left - 10}" y="${(bar.detail ? mid - 3 : mid + 5).toFixed(1)}" text-anchor="end" font-size="14" font-weight="600" fill="#111827">${escapeXml(bar.label)}</text>`);
    if (bar.detail) out.push(`<text x="${left - 10}" y="${(mid + 12).toFixed(1)}" text-anchor="end" font-size="11" fill="#6b7280">${escapeXml(bar.detail)}</text>`);
    out.push(`<rect class="bar" x="${left}" y="${y}" width="${w.toFixed(2)}" height="${BAR}" rx="3" fill="${COLORS[i % COLORS.length]}"/>`);
    const tx = fits ? left + w - 8 : left + w + 6;
    out.push(`<text x="${tx.toFixed(1)}" y="${(mid + 5).toFixed(1)}" text-anchor="${fits ? 'end' : 'start'}" font-size="13" font-weight="600" fill="${fits ? '#ffffff' : '#111827'}">${escapeXml(label)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
