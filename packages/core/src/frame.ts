/**
 * Pixel layouts a frame can carry: interleaved RGB, with a straight alpha plane in `rgba`/`rgba64`.
 * `rgb24`/`rgba` hold 8-bit samples (the fast path, for 8-bit sources); `rgb48`/`rgba64` hold
 * 16-bit samples for sources deeper than 8 bits, each sample two bytes, little-endian, full scale
 * 0..65535 (a 10-bit value v travels as v × 65535 / 1023), in the same `Uint8Array` byte buffer.
 */
export const PIXEL_LAYOUTS = ['rgb24', 'rgba', 'rgb48', 'rgba64'] as const;
export type PixelLayout = (typeof PIXEL_LAYOUTS)[number];

/** Bits per sample a frame or image can carry. */
export const SAMPLE_DEPTHS = [8, 16] as const;
export type SampleDepth = (typeof SAMPLE_DEPTHS)[number];

/** A rational number, used for time bases and frame rates so variable frame rate survives exactly. */
export interface Rational {
  readonly num: number;
  readonly den: number;
}

/** A decoded frame, as it travels from the source to the sink. */
export interface Frame {
  /** Decode-order index, 0-based and contiguous over a run. */
  readonly index: number;
  /** Presentation timestamp in `timeBase` units. */
  readonly pts: number;
  /** Time base of `pts`/`duration` (seconds per unit = num/den). */
  readonly timeBase: Rational;
  /** Frame duration in `timeBase` units, when known. */
  readonly duration?: number;
  readonly width: number;
  readonly height: number;
  readonly layout: PixelLayout;
  /** Interleaved pixels, `frameBytes(width, height, layout)` bytes (16-bit layouts: little-endian samples); may be a pooled buffer. */
  readonly data: Uint8Array;
  /** Optional name of the file the frame came from (frame sequences), for messages and numbering. */
  readonly sourceName?: string;
}

/** An interleaved image without timing: what backends take and return. */
export interface Image {
  readonly width: number;
  readonly height: number;
  /** 3 (RGB) or 4 (RGBA) or 1 (grey/alpha). */
  readonly channels: number;
  /**
   * Bits per sample; absent means 8. With 16, `data` holds `width * height * channels` samples of
   * two bytes each, little-endian, full scale 0..65535 (read them with `samples16`).
   */
  readonly depth?: SampleDepth;
  readonly data: Uint8Array;
}

export function channelsOf(layout: PixelLayout): 3 | 4 {
  return layout === 'rgba' || layout === 'rgba64' ? 4 : 3;
}

/** Bits per sample of a layout: 16 for `rgb48`/`rgba64`, else 8. */
export function sampleDepthOf(layout: PixelLayout): SampleDepth {
  return layout === 'rgb48' || layout === 'rgba64' ? 16 : 8;
}

/** Bytes per sample of a layout: 2 for `rgb48`/`rgba64`, else 1. */
export function bytesPerSample(layout: PixelLayout): 1 | 2 {
  return sampleDepthOf(layout) === 16 ? 2 : 1;
}

/** The layout for a channel count and depth: (3, 8) → `rgb24`, (4, 16) → `rgba64`. */
export function layoutOf(channels: number, depth: SampleDepth = 8): PixelLayout {
  const alpha = channels === 4;
  if (depth === 16) return alpha ? 'rgba64' : 'rgb48';
  return alpha ? 'rgba' : 'rgb24';
}

/** Whether the layout carries an alpha plane. */
export function hasAlpha(layout: PixelLayout): boolean {
  return channelsOf(layout) === 4;
}

export function frameBytes(width: number, height: number, layout: PixelLayout): number {
  return width * height * channelsOf(layout) * bytesPerSample(layout);
}

export function ptsToSeconds(pts: number, timeBase: Rational): number {
  return (pts * timeBase.num) / timeBase.den;
}
