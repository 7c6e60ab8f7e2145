import type { Image } from '@upframe/core';

/** The p-th percentile (0..100) of `values`, interpolating linearly between ranks (numpy's default). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (Math.min(100, Math.max(0, p)) / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low);
}

/** Running comparison of one backend's outputs with a reference's, frame by frame. */
export class ParityAccumulator {
  private squared = 0;
  private count = 0;
  private max = 0;
  private sizeMismatch?: string;

  /** Adds one frame; frames of different sizes are noted and left out. */
  add(reference: Image, output: Image): void {
    if (reference.width !== output.width || reference.height !== output.height || reference.channels !== output.channels) {
      this.sizeMismatch ??= `output is ${output.width}×${output.height}×${output.channels}, reference ${reference.width}×${reference.height}×${reference.channels}`;
      return;
    }
    const a = reference.data;
    const b = output.data;
    const n = reference.width * reference.height * reference.channels;
    for (let i = 0; i < n; i++) {
      const d = a[i]! - b[i]!;
      this.squared += d * d;
      if (d > this.max || -d > this.max) this.max = Math.abs(d);
    }
    this.count += n;
  }

  /** Max absolute difference on 0..255 and PSNR in dB (`Infinity` when identical). */
  result(): { maxAbsDiff: number; psnr: number; mismatch?: string } {
    if (this.sizeMismatch !== undefined || this.count === 0) return { maxAbsDiff: Number.NaN, psnr: Number.NaN, mismatch: this.sizeMismatch ?? 'no frames compared' };
    return { maxAbsDiff: this.max, psnr: psnr(this.squared / this.count) };
  }
}

/** PSNR for 8-bit samples from their mean squared error; `Infinity` for identical images. */
export function psnr(mse: number): number {
  return mse === 0 ? Number.POSITIVE_INFINITY : 10 * Math.log10((255 * 255) / mse);
}

/** Largest value seen; the bench feeds it RSS samples. */
export class PeakTracker {
  peak = 0;

  sample(value: number): void {
    if (value > this.peak) this.peak = value;
  }
}
