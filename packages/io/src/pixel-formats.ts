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
