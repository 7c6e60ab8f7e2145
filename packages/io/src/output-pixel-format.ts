import { chromaRank, parsePlanarYuv, pixelFormatBitDepth, pixelFormatChroma, type PlanarYuv } from './pixel-formats.js';

/** What the input stores, as far as the output should keep it. */
export interface DepthTarget {
  readonly bitDepth: number;
  /** `4:2:0`, `4:2:2`, `4:4:4`…; `rgb`/`gray` sources have no subsampling to keep (see `keepPixelFormat`). */
  readonly chroma: string;
}

export interface PixelFormatPick {
  readonly pixelFormat: string;
  /** What the pick cannot keep of the target ("10-bit 4:2:2 → 8-bit 4:2:0"), when it cannot keep everything. */
  readonly reduced?: string;
}

/** Describe a pixel format for messages: `10-bit 4:2:2`. */
export function describeDepth(pixFmt: string): string {
  const chroma = pixelFormatChroma(pixFmt);
  return `${pixelFormatBitDepth(pixFmt)}-bit ${chroma === 'rgb' ? 'RGB' : chroma}`;
}

/**
 * The planar YUV format an encoder should get so the output keeps the input's bit depth and
 * chroma subsampling: `base` (the container's default, such as `yuv420p`) sets the alpha plane and
 * the chroma of sources without subsampling (RGB, grey: players expect 4:2:0 video); among the
 * `supported` formats of the same alpha, the pick keeps at least the target's chroma and depth
 * with the least excess, else as much as the encoder can (then `reduced` says what is lost). An
 * 8-bit 4:2:0 source gets `base` itself: the fast path is unchanged.
 */
export function keepPixelFormat(base: string, target: DepthTarget, supported: readonly string[] | undefined): PixelFormatPick {
  const baseYuv = parsePlanarYuv(base);
  if (!baseYuv) return { pixelFormat: base };
  const want = {
    bitDepth: Math.max(target.bitDepth, baseYuv.bitDepth),
    chroma: target.chroma === 'rgb' || target.chroma === 'gray' ? baseYuv.chroma : target.chroma,
  };
  const formats = (supported ?? [base]).map(parsePlanarYuv).filter((f): f is PlanarYuv => f !== undefined && f.alpha === baseYuv.alpha);
  if (formats.length === 0) return { pixelFormat: base };
  const score = (f: PlanarYuv) => {
    const chromaShort = Math.max(0, chromaRank(want.chroma) - chromaRank(f.chroma));
    const depthShort = Math.max(0, want.bitDepth - f.bitDepth);
    const excess = (chromaRank(f.chroma) - chromaRank(want.chroma)) * 100 + (f.bitDepth - want.bitDepth) + (f.chroma === want.chroma ? 0 : 50);
    // Losses first (depth before chroma), then the least excess, then the exact chroma.
    return [depthShort, chromaShort, Math.max(0, excess)];
  };
  const best = formats.reduce((a, b) => (less(score(b), score(a)) ? b : a));
  const [depthShort, chromaShort] = score(best);
  if (depthShort === 0 && chromaShort === 0) return { pixelFormat: best.name };
  return { pixelFormat: best.name, reduced: `${want.bitDepth}-bit ${want.chroma} → ${best.bitDepth}-bit ${best.chroma}` };
}

function less(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i];
  return false;
}
