import { describe, expect, it } from 'vitest';
import { OrderViolationError, SequenceValidationError } from './errors.js';
import { describeMissing, SequenceTracker, validateSequenceEntries } from './sequence-validator.js';

describe('SequenceTracker', () => {
  it('accepts contiguous indices and rejects repeats and gaps', () => {
    const t = new SequenceTracker('sink input');
    t.accept(0);
    t.accept(1);
    expect(() => t.accept(1)).toThrow(OrderViolationError);
    expect(() => t.accept(5)).toThrow(/skips 2..4/);
  });

  it('finish lists the first 10 missing and the total count', () => {
    const t = new SequenceTracker('sink input');
    for (let i = 0; i < 3; i++) t.accept(i);
    try {
      t.finish(20);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(SequenceValidationError);
      expect((e as SequenceValidationError).missing).toHaveLength(17);
      expect((e as Error).message).toContain('17 missing (first 10: 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, … (7 more))');
    }
    expect(() => new SequenceTracker('x').finish(0)).not.toThrow();
  });
});

describe('validateSequenceEntries', () => {
  const entry = (n: number, extra: object = {}) => ({ name: `f_${String(n).padStart(4, '0')}.png`, number: n, width: 8, height: 8, ...extra });

  it('passes a contiguous, consistent sequence (starting at any number)', () => {
    expect(() => validateSequenceEntries('frames', [entry(3), entry(1), entry(2)])).not.toThrow();
  });

  it('lists missing numbers, duplicates, unreadable files and mixed sizes together', () => {
    const entries = [entry(1), entry(2), entry(2, { name: 'f_2.jpg' }), entry(5, { error: 'truncated PNG' }), entry(6, { width: 9 })];
    try {
      validateSequenceEntries('frames', entries);
      expect.unreachable();
    } catch (e) {
      const err = e as SequenceValidationError;
      expect(err.code).toBe('SEQUENCE_INVALID');
      expect(err.missing).toEqual([3, 4]);
      expect(err.file).toBe('frames');
      expect(err.problems).toHaveLength(4);
      expect(err.message).toMatch(/f_0005.png: unreadable \(truncated PNG\)/);
      expect(err.message).toMatch(/f_0006.png \(9x8\)/);
      expect(err.message).toMatch(/number 2 appears 2 times/);
    }
  });

  it('rejects an empty sequence', () => {
    expect(() => validateSequenceEntries('empty', [])).toThrow(/no numbered frames/);
  });

  it('describeMissing shows all when there are few', () => {
    expect(describeMissing([4, 9])).toBe('2 missing (first 2: 4, 9)');
  });
});
