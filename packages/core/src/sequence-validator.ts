import { OrderViolationError, SequenceValidationError } from './errors.js';

/** "3 missing: 4, 7, 9" — at most `limit` listed, with the total count. */
export function describeMissing(missing: readonly number[], limit = 10): string {
  const shown = missing.slice(0, limit).join(', ');
  const more = missing.length > limit ? `, … (${missing.length - limit} more)` : '';
  return `${missing.length} missing (first ${Math.min(limit, missing.length)}: ${shown}${more})`;
}

/**
 * Tracks indices passing a point of the pipeline and insists they arrive exactly once and in
 * order. Used right after decoding (early) and at the sink (final validation).
 */
export class SequenceTracker {
  private expectedNext: number;
  private count = 0;

  constructor(readonly point: string, private readonly start = 0) {
    this.expectedNext = start;
  }

  get seen(): number {
    return this.count;
  }

  accept(index: number): void {
    if (index !== this.expectedNext) {
      const what = index < this.expectedNext ? 'repeated or out of order' : `skips ${this.expectedNext}..${index - 1}`;
      throw new OrderViolationError(`${this.point}: frame ${index} ${what} (expected ${this.expectedNext})`, index);
    }
    this.expectedNext++;
    this.count++;
  }

  /** Throws a `SequenceValidationError` listing what is missing if fewer than `expected` passed. */
  finish(expected: number, subject = 'run'): void {
    if (this.count === expected) return;
    const missing: number[] = [];
    for (let i = this.expectedNext; i < this.start + expected; i++) missing.push(i);
    throw new SequenceValidationError(
      `${subject}: ${this.point} saw ${this.count} of ${expected} frames; ${describeMissing(missing)}`,
      { missing, code: 'VALIDATION_FAILED' },
    );
  }
}

/** One entry of a numbered frame sequence, as gathered by an image reader. */
export interface SequenceEntry {
  readonly name: string;
  readonly number: number;
  readonly width?: number;
  readonly height?: number;
  /** Why the file could not be read, if it could not. */
  readonly error?: string;
}

/**
 * Pre-run validation of a numbered frame sequence: contiguous numbering, one file per number,
 * consistent dimensions, every file readable. Lists every problem, then throws.
 */
export function validateSequenceEntries(subject: string, entries: readonly SequenceEntry[]): void {
  const problems: string[] = [];
  if (entries.length === 0) {
    throw new SequenceValidationError(`${subject}: no numbered frames found`, { file: subject, problems: ['no frames'] });
  }
  const sorted = [...entries].sort((a, b) => a.number - b.number);
  const first = sorted[0].number;
  const last = sorted[sorted.length - 1].number;
  const byNumber = new Map<number, string[]>();
  for (const e of sorted) byNumber.set(e.number, [...(byNumber.get(e.number) ?? []), e.name]);
  const missing: number[] = [];
  for (let n = first; n <= last; n++) if (!byNumber.has(n)) missing.push(n);
  if (missing.length) problems.push(`numbering ${first}..${last}: ${describeMissing(missing)}`);
  for (const [n, names] of byNumber) if (names.length > 1) problems.push(`number ${n} appears ${names.length} times: ${names.join(', ')}`);
  for (const e of sorted) if (e.error) problems.push(`${e.name}: unreadable (${e.error})`);
  const sized = sorted.filter((e) => e.width !== undefined && e.height !== undefined && !e.error);
  if (sized.length) {
    const { width, height } = sized[0];
    const odd = sized.filter((e) => e.width !== width || e.height !== height);
    if (odd.length) {
      const list = odd.slice(0, 10).map((e) => `${e.name} (${e.width}x${e.height})`).join(', ');
      problems.push(`${odd.length} frames differ from ${sized[0].name} (${width}x${height}): ${list}${odd.length > 10 ? ', …' : ''}`);
    }
  }
  if (problems.length) {
    throw new SequenceValidationError(`${subject}: invalid frame sequence:\n  - ${problems.join('\n  - ')}`, {
      missing,
      problems,
      file: subject,
    });
  }
}
