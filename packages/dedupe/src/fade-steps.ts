/** Steps are kept in 1/32 of a luma level, so a state restored from the cache is bit-exact. */
const UNIT = 32;
const VALUE_MAX = 1022; // stored plus one in 10 bits (0 marks an empty slot): ~32 levels at most
const AGE_MAX = 63; // 6 bits of frame distance
/** How many recent steps are kept (4 × 16 bits: two cache words). */
export const FADE_STEP_SLOTS = 4;
/** Fewer recent steps than this and the fixed `shift` applies. */
const MIN_STEPS = 3;

/** How the fade allowance is configured (the `near` options of the same names). */
export interface FadeStepSettings {
  /** The fixed allowance: a mean luma change above this many levels makes a frame different. */
  readonly shift: number;
  /** A held frame's mean change may reach this fraction of the smallest recent step; 0 turns it off. */
  readonly shiftRatio: number;
  /** However large the steps, the allowance stays at or under this many levels. */
  readonly shiftMax: number;
  /** Steps recorded more than this many frames ago are forgotten. */
  readonly shiftSpan: number;
}

/**
 * The mean luma change that a held frame may show against its reference, adapted to a fade in
 * progress. x264 lets a fade's held frames drift from their reference by a uniform offset of up
 * to ~1 level, more than the fixed `shift` allows, while the fade's real steps (new drawings) are
 * a few levels each. So the mean luma changes of recent *changes* (frames found different from
 * their reference), each measured against the frame before it, are kept, and a frame's allowance
 * is `shiftRatio` × the smallest of them, capped at `shiftMax`, never below `shift`: a real step
 * is about as large as the recent ones, so it does not pass, and a fade whose steps are ~1 level
 * allows ~0.3 level, about the fixed rule. The smallest rather than the median: x264 smears a
 * slow fade's steps over its held frames (steps of 0.2–2 levels where drawings add ~1), and a
 * median there let real steps through. Measuring against the previous frame, not the reference,
 * keeps a missed step from making the next one look twice as large.
 *
 * A change is recorded only when its shift exceeds twice the allowance in force: a held frame
 * that drifted just past the allowance must not pull the allowance down with it.
 * Steps older than `shiftSpan` frames are forgotten, so after a fade ends (or after one cut) the
 * fixed `shift` is back; at least three recent steps are needed before it moves at all. Only
 * what happened before the frame is read, and the state packs into two words for the cache.
 */
export class FadeSteps {
  /** Steps in 1/32 level and the frame index each was recorded at, oldest first. */
  private readonly values = new Int32Array(FADE_STEP_SLOTS);
  private readonly frames = new Int32Array(FADE_STEP_SLOTS);
  private count = 0;
  private readonly scratch = new Int32Array(FADE_STEP_SLOTS);

  reset(): void {
    this.count = 0;
  }

  /** The mean luma change (levels) a frame at `index` may show against its reference. */
  allowance(index: number, s: FadeStepSettings): number {
    if (s.shiftRatio <= 0) return s.shift;
    let n = 0;
    for (let k = 0; k < this.count; k++) if (index - this.frames[k] <= s.shiftSpan) this.scratch[n++] = this.values[k];
    if (n < MIN_STEPS) return s.shift;
    let smallest = this.scratch[0];
    for (let k = 1; k < n; k++) if (this.scratch[k] < smallest) smallest = this.scratch[k];
    return Math.max(s.shift, Math.min(s.shiftMax, (s.shiftRatio * smallest) / UNIT));
  }

  /** Notes a change at `index` whose mean luma moved `shift` levels (signed) from its reference. */
  record(index: number, shift: number, allowance: number): void {
    const size = shift < 0 ? -shift : shift;
    if (size <= 2 * allowance) return;
    if (this.count === FADE_STEP_SLOTS) {
      this.values.copyWithin(0, 1);
      this.frames.copyWithin(0, 1);
      this.count--;
    }
    this.values[this.count] = Math.min(VALUE_MAX, Math.round(size * UNIT));
    this.frames[this.count] = index;
    this.count++;
  }

  /** Packs the state as seen from frame `index` into two words (16 bits a step: 10 value, 6 age). */
  save(index: number, into: Uint32Array): void {
    into[0] = 0;
    into[1] = 0;
    for (let k = 0; k < this.count; k++) {
      const age = index - this.frames[k];
      if (age > AGE_MAX) continue; // older than any allowed span: nothing reads it
      const slot = ((this.values[k] + 1) << 6) | age;
      into[k >> 1] |= (k & 1 ? slot << 16 : slot) >>> 0;
    }
  }

  /** Restores a state saved at frame `index`. */
  load(index: number, from: Uint32Array): void {
    this.count = 0;
    for (let k = 0; k < FADE_STEP_SLOTS; k++) {
      const slot = (k & 1 ? from[k >> 1] >>> 16 : from[k >> 1]) & 0xffff;
      if (slot === 0) continue;
      this.values[this.count] = (slot >>> 6) - 1;
      this.frames[this.count] = index - (slot & 63);
      this.count++;
    }
  }
}
