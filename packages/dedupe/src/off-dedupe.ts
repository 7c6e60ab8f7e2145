import { inject, injectable } from 'tsyringe';
import { TOKENS } from '@upframe/core';
import type { DedupeDecision, DedupeOptions, DedupeStrategy, Frame } from '@upframe/core';
import type { BuiltInDedupeStats, DedupeStatsSource } from './dedupe-stats.js';
import { rejectUnknownOptions } from './option-parsing.js';

const INFER: DedupeDecision = Object.freeze({});

/** Infers every frame: the baseline, and the safe choice when every frame must be fresh. */
@injectable()
export class OffDedupe implements DedupeStrategy, DedupeStatsSource {
  readonly name = 'off';
  /** Looks at no pixel, so any depth will do. */
  readonly sampleDepths = [8, 16] as const;
  private frames = 0;

  constructor(@inject(TOKENS.DedupeOptions) options: DedupeOptions) {
    rejectUnknownOptions('off', options ?? {}, []);
  }

  async begin(): Promise<void> {
    this.frames = 0;
  }

  decide(_frame: Frame): DedupeDecision {
    this.frames++;
    return INFER;
  }

  async dispose(): Promise<void> {}

  stats(): BuiltInDedupeStats {
    return { strategy: this.name, frames: this.frames, duplicates: 0, cacheHits: 0, forced: 0, cache: 'disabled', workMs: 0 };
  }
}
