import type { FormatChoice } from '@upframe/core';
import { describeSettings } from './encoder-settings.js';

/** `webp lossless (effort 1, quality 50)`: a choice in a few words. */
export function labelChoice(choice: FormatChoice): string {
  return `${choice.format} ${choice.lossless ? 'lossless' : 'lossy'} (${describeSettings(choice.options)})`;
}

export function sameChoice(a: FormatChoice, b: FormatChoice): boolean {
  return a.format === b.format && a.lossless === b.lossless && JSON.stringify(a.options) === JSON.stringify(b.options);
}

/** What the `auto` selector did over a run, turned into the sentences of `summary()`. */
export class SelectionReport {
  private readonly counts = new Map<string, number>();
  private frames = 0;
  private readonly reviewed: number[] = [];
  private readonly disagreements: { index: number; label: string }[] = [];
  private hiddenColourFrom?: number;

  count(choice: FormatChoice): void {
    const label = labelChoice(choice);
    this.counts.set(label, (this.counts.get(label) ?? 0) + 1);
    this.frames++;
  }

  /** A frame analysed after the decision: `alone` is what it would have chosen by itself. */
  review(index: number, alone: FormatChoice, decided: FormatChoice): void {
    this.reviewed.push(index);
    if (!sameChoice(alone, decided)) this.disagreements.push({ index, label: labelChoice(alone) });
  }

  /** The first frame whose fully transparent pixels carry colour that lossless WebP drops. */
  hiddenColour(index: number): void {
    this.hiddenColourFrom ??= index;
  }

  get sawHiddenColour(): boolean {
    return this.hiddenColourFrom !== undefined;
  }

  get framesSelected(): number {
    return this.frames;
  }

  sequence(decided: FormatChoice, decidedAt: string): string {
    // The reason already spells out the settings.
    const kind = `${decided.format} ${decided.lossless ? 'lossless' : 'lossy'}`;
    const parts = [`auto: ${kind} for all ${this.frames} frames, decided ${decidedAt}: ${decided.reason}.`];
    if (this.reviewed.length > 0) parts.push(this.reviewSentence());
    if (this.hiddenColourFrom !== undefined) {
      parts.push(`From frame ${this.hiddenColourFrom}, fully transparent pixels carry colour that WebP stores as transparent black (visible pixels and alpha stay exact).`);
    }
    return parts.join(' ');
  }

  perFrame(): string {
    const tally = [...this.counts].map(([label, n]) => `${label} ×${n}`).join(', ');
    return `auto (decided per frame) over ${this.frames} frames: ${tally}.`;
  }

  private reviewSentence(): string {
    const first = this.reviewed[0];
    const last = this.reviewed[this.reviewed.length - 1];
    const span = first === last ? `frame ${first}` : `frames ${first}–${last}`;
    if (this.disagreements.length === 0) return `Checked against ${span}: each would have chosen the same on its own.`;
    const others = [...new Set(this.disagreements.map((d) => d.label))].join(' or ');
    return (
      `Of ${span}, ${this.disagreements.length} of ${this.reviewed.length} would on their own have chosen ${others} ` +
      `(first: frame ${this.disagreements[0].index}); the sequence keeps one format so the folder is never mixed.`
    );
  }
}
