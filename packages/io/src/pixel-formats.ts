/**
 * Facts about ffmpeg pixel format names, read from the name itself so no extra process is needed.
 * ffmpeg's names are systematic: `yuva…`/`…a…` carry alpha, a `NNle`/`NNbe` suffix gives the depth.
 */

const ALPHA_FORMATS = /^(yuva|gbrap|ya8|ya16|rgba|bgra|argb|abgr|rgba64|bgra64|pal8|ayuv|vuya)/;

/** Whether frames in this pixel format can carry transparency (pal8: palettes often hold alpha). */
export function pixelFormatHasAlpha(pixFmt: string): boolean {
  return ALPHA_FORMATS.test(pixFmt);
}

/** Bits per component: `yuv420p10le` → 10, `p010le` → 10, `rgb48le` → 16, otherwise 8. */
export function pixelFormatBitDepth(pixFmt: string, bitsPerRawSample?: string): number {
  const raw = Number(bitsPerRawSample);
  if (Number.isInteger(raw) && raw > 0) return raw;
  const suffixed = /p(\d{2})(le|be)?$/.exec(pixFmt);
  if (suffixed) return Number(suffixed[1]);
  const packed = /^p0(\d{2})/.exec(pixFmt);
  if (packed) return Number(packed[1]);
  if (/^(rgb48|bgr48|rgba64|bgra64|gray16|ya16)/.test(pixFmt)) return 16;
  if (/^gray(\d+)/.test(pixFmt)) return Number(/^gray(\d+)/.exec(pixFmt)![1]);
  return 8;
}

/** Chroma subsampling a YUV format needs even dimensions for: [width must be even, height must be even]. */
export function chromaEvenness(pixFmt: string): { evenWidth: boolean; evenHeight: boolean } {
  if (/^(yuva?420|yuvj420|nv12|nv21|p010|p016)/.test(pixFmt)) return { evenWidth: true, evenHeight: true };
  if (/^(yuva?422|yuvj422|nv16|nv20|yuyv422|uyvy422)/.test(pixFmt)) return { evenWidth: true, evenHeight: false };
  if (/^(yuva?411|yuv410)/.test(pixFmt)) return { evenWidth: true, evenHeight: /^yuv410/.test(pixFmt) };
  return { evenWidth: false, evenHeight: false };
}

export function isYuvFormat(pixFmt: string): boolean {
  return /^(yuv|nv|p0|ayuv|vuya|yuyv|uyvy)/.test(pixFmt);
}

/** Chroma subsampling of a pixel format: `4:2:0`, `4:2:2`, `4:4:4`, `4:4:0`, `4:1:1`, `4:1:0`, `rgb` (RGB storage) or `gray`. */
export function pixelFormatChroma(pixFmt: string): string {
  if (/^(yuva?420|yuvj420|nv12|nv21|p010|p016|p012)/.test(pixFmt)) return '4:2:0';
  if (/^(yuva?422|yuvj422|nv16|nv20|yuyv422|yvyu422|uyvy422|y210|p210|p216)/.test(pixFmt)) return '4:2:2';
  if (/^(yuva?444|yuvj444|nv24|nv42|ayuv|vuya|vuyx|y410|xv3|p410|p416)/.test(pixFmt)) return '4:4:4';
  if (/^(yuva?440|yuvj440)/.test(pixFmt)) return '4:4:0';
  if (/^(yuv411|uyyvyy411)/.test(pixFmt)) return '4:1:1';
  if (/^yuv410/.test(pixFmt)) return '4:1:0';
  if (/^(gray|ya|monow|monob)/.test(pixFmt)) return 'gray';
  return 'rgb';
}

/** A planar YUV format's parts (`yuv422p10le` → 4:2:2, 10-bit, no alpha), or undefined for any other kind. */
export interface PlanarYuv {
  readonly name: string;
  readonly chroma: string;
  readonly bitDepth: number;
  readonly alpha: boolean;
}

export function parsePlanarYuv(pixFmt: string): PlanarYuv | undefined {
  const m = /^yuv(a?)(420|422|444|440|411|410)p(\d+)?(le|be)?$/.exec(pixFmt);
  if (!m || (m[3] && !m[4]) || m[4] === 'be') return undefined;
  return { name: pixFmt, chroma: `${m[2][0]}:${m[2][1]}:${m[2][2]}`, bitDepth: m[3] ? Number(m[3]) : 8, alpha: m[1] === 'a' };
}

/** How much chroma resolution a subsampling keeps (higher keeps more); RGB and grey count as 4:4:4. */
export function chromaRank(chroma: string): number {
  return ({ '4:1:0': 0, '4:1:1': 1, '4:2:0': 1, '4:2:2': 2, '4:4:0': 2, '4:4:4': 3 } as Record<string, number>)[chroma] ?? 3;
}
