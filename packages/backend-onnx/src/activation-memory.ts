/**
 * Estimates the peak working memory of a converted graph, per input pixel, by replaying its
 * steps in execution order: a value is live from the step that produces it to its last use.
 */
export class ActivationMemory {
  private readonly steps: { produced: string; bytes: number; consumed: readonly string[] }[] = [];

  /** `bytes` is the size of `produced` per input pixel (channels × spatial scale² × bytes per element). */
  step(produced: string, bytes: number, consumed: readonly string[]): void {
    this.steps.push({ produced, bytes, consumed });
  }

  /** Peak bytes per input pixel of the values alive at the same time; `keep` values never die (graph outputs). */
  peak(keep: readonly string[] = []): number {
    const lastUse = new Map<string, number>();
    this.steps.forEach((s, i) => s.consumed.forEach((c) => lastUse.set(c, i)));
    keep.forEach((k) => lastUse.set(k, Infinity));
    const size = new Map<string, number>();
    let live = 0;
    let peak = 0;
    this.steps.forEach((s, i) => {
      size.set(s.produced, s.bytes);
      live += s.bytes;
      peak = Math.max(peak, live);
      for (const c of new Set(s.consumed)) {
        if (lastUse.get(c) === i) live -= size.get(c) ?? 0;
      }
      if (!lastUse.has(s.produced)) live -= s.bytes;
    });
    return peak;
  }
}
