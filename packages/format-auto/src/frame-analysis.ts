import { toDepth8, type Image } from '@upframe/core';

/** What the selector knows about one image; everything but the alpha facts comes from a subsample. */
export interface FrameAnalysis {
  readonly width: number;
  readonly height: number;
  readonly channels: number;
  /** The image has an alpha channel (2 or 4 channels), used or not. */
  readonly alphaChannel: boolean;
  /** Some pixel has alpha < 255. From a full scan, never a sample: losing alpha is not a size trade-off. */
  readonly alphaUsed: boolean;
  /** Some fully transparent pixel carries non-zero colour (see README: WebP via sharp does not keep it). */
  readonly hiddenColour: boolean;
  /** Pixels in the sample. */
  readonly samples: number;
  /** Distinct colours in the sample, counted up to {@link COLOUR_COUNT_CAP}. */
  readonly distinctColours: number;
  /** Fraction of sampled pixels equal (all colour channels) to their left neighbour. */
  readonly runFraction: number;
  /**
   * Median absolute horizontal second difference per colour channel: a noise estimate. The median
   * ignores edges (they are sparse); grain and sensor noise move it, smooth texture does not.
   */
  readonly noise: number;
}

export const COLOUR_COUNT_CAP = 4096;

// At most ~18k sampled pixels whatever the frame size: enough for stable fractions at about a
// millisecond, where encoding one 512×288 frame takes 3–100 ms.
const MAX_ROWS = 48;
const MAX_PER_ROW = 384;

/** Analyse `image` cheaply; see {@link FrameAnalysis} for what is sampled and what is scanned. */
export function analyseImage(image: Image): FrameAnalysis {
  // Content class and alpha use are judged on 8-bit levels; a 16-bit image is measured on its rounding.
  const { width, height, channels, data } = toDepth8(image);
  const colourChannels = channels >= 3 ? 3 : 1;
  const alphaChannel = channels === 2 || channels === 4;
  const alpha = alphaChannel ? scanAlpha(data, channels) : { used: false, hidden: false };

  const rowStep = Math.max(1, Math.ceil(height / MAX_ROWS));
  const colStep = Math.max(1, Math.ceil((width - 2) / MAX_PER_ROW));
  const colours = new Set<number>();
  const secondDiffs = new Uint32Array(511 * colourChannels + 1);
  let samples = 0;
  let runs = 0;

  for (let y = rowStep >> 1; y < height; y += rowStep) {
    for (let x = 1; x < width - 1; x += colStep) {
      const p = (y * width + x) * channels;
      let equal = true;
      let second = 0;
      let key = 0;
      for (let c = 0; c < colourChannels; c++) {
        const v = data[p + c];
        const left = data[p - channels + c];
        if (v !== left) equal = false;
        second += Math.abs(2 * v - left - data[p + channels + c]);
        key = key * 256 + v;
      }
      samples++;
      if (equal) runs++;
      secondDiffs[second]++;
      if (colours.size < COLOUR_COUNT_CAP) colours.add(key);
    }
  }

  return {
    width,
    height,
    channels,
    alphaChannel,
    alphaUsed: alpha.used,
    hiddenColour: alpha.hidden,
    samples,
    distinctColours: colours.size,
    runFraction: samples ? runs / samples : 1,
    noise: median(secondDiffs, samples) / colourChannels,
  };
}

/**
 * One analysis standing for several frames (used by `prime`): alpha facts are OR-ed, sizes take
 * the largest, measurements take the median so one odd frame (a fade, a title card) does not decide.
 */
export function mergeAnalyses(list: readonly FrameAnalysis[]): FrameAnalysis {
  if (list.length === 0) throw new RangeError('mergeAnalyses needs at least one analysis');
  const mid = (pick: (a: FrameAnalysis) => number) => {
    const sorted = list.map(pick).sort((a, b) => a - b);
    return sorted[(sorted.length - 1) >> 1];
  };
  return {
    width: Math.max(...list.map((a) => a.width)),
    height: Math.max(...list.map((a) => a.height)),
    channels: Math.max(...list.map((a) => a.channels)),
    alphaChannel: list.some((a) => a.alphaChannel),
    alphaUsed: list.some((a) => a.alphaUsed),
    hiddenColour: list.some((a) => a.hiddenColour),
    samples: list.reduce((n, a) => n + a.samples, 0),
    distinctColours: mid((a) => a.distinctColours),
    runFraction: mid((a) => a.runFraction),
    noise: mid((a) => a.noise),
  };
}

// Stops as soon as both answers are known; a frame without transparency costs one pass over alpha.
export function scanAlpha(data: Uint8Array, channels: number): { used: boolean; hidden: boolean } {
  let used = false;
  let hidden = false;
  for (let i = channels - 1; i < data.length; i += channels) {
    const a = data[i];
    if (a === 255) continue;
    used = true;
    if (a === 0 && (channels === 4 ? data[i - 3] | data[i - 2] | data[i - 1] : data[i - 1]) !== 0) {
      hidden = true;
      break;
    }
  }
  return { used, hidden };
}

function median(histogram: Uint32Array, total: number): number {
  let seen = 0;
  for (let v = 0; v < histogram.length; v++) {
    seen += histogram[v];
    if (seen * 2 >= total) return v;
  }
  return 0;
}
