import type { FrameSignature } from './frame-signature.js';
import { NoiseFloor } from './noise-floor.js';

/** Thresholds of the block comparison; see the package README for how the defaults were chosen. */
export interface BlockThresholds {
  /** Any 8×8 block whose luma SAD exceeds this (plus the noise lift) makes the frame different. */
  readonly hi: number;
  /** Blocks whose luma SAD exceeds this (plus the noise lift) count towards `frac`. */
  readonly lo: number;
  /** More than this fraction of all blocks over `lo` makes the frame different. */
  readonly frac: number;
  /** Blocks whose summed luma change |ΣΔY| exceeds this (plus `dcNoise` × median block SAD) count towards `dcFrac`. */
  readonly dc: number;
  /** More than this fraction of all blocks over `dc` makes the frame different. */
  readonly dcFrac: number;
  /** Any 8×8 block whose colour shift |ΣΔ(B−Y)| + |ΣΔ(R−Y)| exceeds this makes the frame different. */
  readonly chroma: number;
  /** A mean luma change over the whole frame above this many levels makes it different (fades). */
  readonly shift: number;
  /** `hi` and `lo` are raised by this many times the comparison's 90th-percentile block SAD (its noise floor). */
  readonly hiNoise: number;
  /** `dc` is raised by this many times the comparison's median block SAD. */
  readonly dcNoise: number;
  /** However noisy the clip, a block SAD above this makes the frame different. */
  readonly hiMax: number;
}

/** Why two frames were found different, or `same`. */
export const DIFFERENCE_REASONS = ['same', 'shift', 'chroma', 'dc', 'block', 'spread', 'fidelity'] as const;
export type DifferenceReason = (typeof DIFFERENCE_REASONS)[number];

/**
 * Compares two signatures of the same geometry, cheapest test first: the mean shift (one
 * number), then block colours (cell sums, no pixels), then luma SAD over the pixels, then block
 * means. Absolute differences are summed once per 4×4 cell and each overlapping 8×8 block is a
 * 2×2 group of cells, so the 4-pixel step (which catches a change straddling block borders)
 * costs no extra pixel work.
 *
 * The SAD and block-mean thresholds adapt to noise: the block SADs of this very comparison give
 * its noise floor (see noise-floor.ts), and `hi`/`lo` rise with their 90th percentile and `dc`
 * with their median, so grain and codec noise on a held frame stay under them while a clean
 * clip keeps the fixed thresholds (its floor is ~0). `hiMax` caps that rise, and cell rows are
 * checked against it as soon as they are complete, so a clearly different frame stops early.
 * What noise may never do, make a reused output visibly different, is checked after this, on the
 * pixels (NearDedupe's fidelity check).
 */
export class BlockDifference {
  private cells = new Int32Array(0);
  private sads = new Int32Array(0);
  private readonly noise = new NoiseFloor();

  /**
   * `shift` overrides `t.shift` (NearDedupe raises it during fades, see fade-steps.ts). While it
   * is raised, the block-mean rule judges each block's change net of the frame's mean change:
   * a uniform offset that the shift rule accepted would otherwise move every block at once.
   */
  compare(cur: FrameSignature, ref: FrameSignature, t: BlockThresholds, shift = t.shift): DifferenceReason {
    const { width, height, cellsX, cellsY } = cur;
    const mean = meanShift(cur, ref);
    if ((mean < 0 ? -mean : mean) > shift) return 'shift';
    // Frames narrower or shorter than two cells compare single cells instead of 2×2 blocks.
    const dx = cellsX > 1 ? 1 : 0;
    const dy = cellsY > 1 ? 1 : 0;
    const blocks = (cellsX - dx) * (cellsY - dy);
    if (compareChroma(cur, ref, t.chroma, dx, dy)) return 'chroma';

    if (this.cells.length < cellsX * cellsY) this.cells = new Int32Array(cellsX * cellsY);
    if (this.sads.length < blocks) this.sads = new Int32Array(blocks);
    const { cells, sads, noise } = this;
    const ceiling = Math.max(t.hi, t.hiMax);
    noise.reset();
    let k = 0;
    for (let row = 0; row < cellsY; row++) {
      const base = row * cellsX;
      cells.fill(0, base, base + cellsX);
      const yEnd = Math.min(height, (row + 1) * 4);
      for (let y = row * 4; y < yEnd; y++) {
        addRow(cur.luma, ref.luma, cells, base, y * cellsX, cellsX);
        if (cur.alpha && ref.alpha) addRow(cur.alpha, ref.alpha, cells, base, y * cellsX, cellsX);
      }
      if (row < dy) continue;
      const top = (row - dy) * cellsX;
      for (let c = 0; c < cellsX - dx; c++) {
        const sad = blockSum(cells, top + c, base + c, dx, dy);
        if (sad > ceiling) return 'block';
        sads[k++] = sad;
        noise.add(sad);
      }
    }

    const lift = t.hiNoise * noise.quantile(0.9);
    const hi = Math.max(t.hi, Math.min(ceiling, t.hi + lift));
    const lo = t.lo + lift;
    const allowed = Math.floor(t.frac * blocks);
    let over = 0;
    for (let b = 0; b < k; b++) {
      const sad = sads[b];
      if (sad > hi) return 'block';
      if (sad > lo && ++over > allowed) return 'spread';
    }
    const dc = t.dc + t.dcNoise * noise.quantile(0.5);
    if (countBlockMeans(cur, ref, dc, dx, dy, Math.floor(t.dcFrac * blocks), shift > t.shift ? mean : 0)) return 'dc';
    return 'same';
  }
}

/** The change of mean luma from `ref` to `cur`, in levels (signed). */
export function meanShift(cur: FrameSignature, ref: FrameSignature): number {
  return (cur.lumaTotal - ref.lumaTotal) / (cur.width * cur.height);
}

/** Whether any block's colour moved more than `chroma`, from the per-cell sums; no pixel is read. */
function compareChroma(cur: FrameSignature, ref: FrameSignature, chroma: number, dx: number, dy: number): boolean {
  const { cellsX, cellsY } = cur;
  for (let row = dy; row < cellsY; row++) {
    const base = row * cellsX;
    const top = (row - dy) * cellsX;
    for (let c = 0; c < cellsX - dx; c++) {
      const a = top + c;
      const b = base + c;
      const dcb = blockSum(cur.cb, a, b, dx, dy) - blockSum(ref.cb, a, b, dx, dy);
      const dcr = blockSum(cur.cr, a, b, dx, dy) - blockSum(ref.cr, a, b, dx, dy);
      if ((dcb < 0 ? -dcb : dcb) + (dcr < 0 ? -dcr : dcr) > chroma) return true;
    }
  }
  return false;
}

/**
 * Whether more than `allowed` blocks' summed luma moved by more than `dc` (soft motion), net of
 * `offset` levels per pixel (the frame's mean change during a fade; 0 otherwise).
 */
function countBlockMeans(cur: FrameSignature, ref: FrameSignature, dc: number, dx: number, dy: number, allowed: number, offset: number): boolean {
  const { cellsX, cellsY, width, height } = cur;
  // Cells on the right and bottom edges may hold fewer than 4×4 pixels.
  const cellRows = (row: number) => Math.min(4, height - row * 4);
  const cellCols = (col: number) => Math.min(4, width - col * 4);
  let over = 0;
  for (let row = dy; row < cellsY; row++) {
    const base = row * cellsX;
    const top = (row - dy) * cellsX;
    const rows = cellRows(row - dy) + cellRows(row) * dy;
    for (let c = 0; c < cellsX - dx; c++) {
      const expected = offset === 0 ? 0 : offset * rows * (cellCols(c) + cellCols(c + dx) * dx);
      const dl = blockSum(cur.sy, top + c, base + c, dx, dy) - blockSum(ref.sy, top + c, base + c, dx, dy) - expected;
      if ((dl < 0 ? -dl : dl) > dc && ++over > allowed) return true;
    }
  }
  return false;
}

/**
 * Adds one plane row's absolute differences into its cells. Each 32-bit word holds the 4 pixels
 * of one cell, so equal words (common in held frames of lossy video) are skipped whole.
 */
function addRow(a: Int32Array, b: Int32Array, cells: Int32Array, base: number, start: number, words: number): void {
  for (let k = 0, w = start; k < words; k++, w++) {
    const u = a[w];
    const v = b[w];
    if (u === v) continue;
    let d = (u & 255) - (v & 255);
    let sad = d < 0 ? -d : d;
    d = ((u >> 8) & 255) - ((v >> 8) & 255);
    sad += d < 0 ? -d : d;
    d = ((u >> 16) & 255) - ((v >> 16) & 255);
    sad += d < 0 ? -d : d;
    d = (u >>> 24) - (v >>> 24);
    sad += d < 0 ? -d : d;
    cells[base + k] += sad;
  }
}

/** Sum of a 2×2 group of cells (or fewer for tiny frames, where dx/dy are 0). */
function blockSum(v: Int32Array, top: number, bottom: number, dx: number, dy: number): number {
  return v[top] + v[bottom] * dy + (v[top + dx] + v[bottom + dx] * dy) * dx;
}
