/** Width of a histogram bin, in SAD units (a block's SAD is at most 2 × 64 × 255 with alpha). */
const BIN = 8;
const BINS = Math.ceil((2 * 64 * 255 + 1) / BIN);

/**
 * The noise floor of one comparison: the distribution of its 8×8 block SADs. On a held frame
 * every block differs only by noise and codec error, so its quantiles measure the clip's noise
 * at that moment; local motion (a sprite, a mouth) covers too few blocks to move the median or
 * the 90th percentile, so thresholds raised by them still see it. Quantiles are rounded down to
 * a bin edge, which errs towards the lower (stricter) threshold.
 */
export class NoiseFloor {
  private readonly bins = new Int32Array(BINS);
  private count = 0;

  reset(): void {
    this.bins.fill(0);
    this.count = 0;
  }

  add(sad: number): void {
    this.bins[(sad / BIN) | 0]++;
    this.count++;
  }

  /** The block SAD that a fraction `q` of the blocks stays at or under (0 when none were added). */
  quantile(q: number): number {
    const rank = Math.ceil(q * this.count);
    let seen = 0;
    for (let b = 0; b < BINS; b++) {
      seen += this.bins[b];
      if (seen >= rank) return b * BIN;
    }
    return 0;
  }
}
