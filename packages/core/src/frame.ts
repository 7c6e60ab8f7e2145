/** Pixel layouts a frame can carry. Colour is always 8-bit RGB; `rgba` adds a straight alpha plane. */
export const PIXEL_LAYOUTS = ['rgb24', 'rgba'] as const;
export type PixelLayout = (typeof PIXEL_LAYOUTS)[number];

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
  /** Interleaved pixels, `width * height * channels(layout)` bytes; may be a pooled buffer. */
  readonly data: Uint8Array;
  /** Optional name of the file the frame came from (frame sequences), for messages and numbering. */
  readonly sourceName?: string;
}

/** An interleaved 8-bit image without timing: what backends take and return. */
export interface Image {
  readonly width: number;
  readonly height: number;
  /** 3 (RGB) or 4 (RGBA) or 1 (grey/alpha). */
  readonly channels: number;
  readonly data: Uint8Array;
}

export function channelsOf(layout: PixelLayout): 3 | 4 {
  return layout === 'rgba' ? 4 : 3;
}

export function frameBytes(width: number, height: number, layout: PixelLayout): number {
  return width * height * channelsOf(layout);
}

export function ptsToSeconds(pts: number, timeBase: Rational): number {
  return (pts * timeBase.num) / timeBase.den;
}
