import { createMemoryLogger, createUpframeContainer, TOKENS, type DedupeContext, type DedupeStrategy, type Frame } from '@upframe/core';
import type { DependencyContainer } from 'tsyringe';
import { register } from '../register.js';
import type { BuiltInDedupeStats, DedupeStatsSource } from '../dedupe-stats.js';
import { TIME_BASE, type Picture } from './synthetic-frames.js';

export type TestStrategy = DedupeStrategy & DedupeStatsSource;

/** A fresh container with this package registered and a memory logger to inspect warnings. */
export function testContainer(): { container: DependencyContainer; logger: ReturnType<typeof createMemoryLogger> } {
  const logger = createMemoryLogger();
  const container = createUpframeContainer({ logger });
  register(container);
  return { container, logger };
}

export function createStrategy(container: DependencyContainer, name: string, options: Record<string, unknown> = {}): TestStrategy {
  return container.resolve(TOKENS.Dedupe).create(container, name, options) as TestStrategy;
}

export function contextFor(pic: Pick<Picture, 'width' | 'height' | 'layout'>, extra: Partial<DedupeContext['source']> & { cacheDir?: string } = {}): DedupeContext {
  const { cacheDir, ...source } = extra;
  return {
    cacheDir,
    source: { kind: 'video', path: '/clips/test.mkv', width: pic.width, height: pic.height, layout: pic.layout, timeBase: TIME_BASE, variableFrameRate: false, ...source },
  };
}

/** Runs begin → decide (every frame) → end; returns duplicateOf per frame (-1 = inferred) and stats. */
export async function decideAll(strategy: TestStrategy, frames: readonly Frame[], context?: DedupeContext): Promise<{ refs: number[]; stats: BuiltInDedupeStats }> {
  if (context) await strategy.begin?.(context);
  const refs: number[] = [];
  for (const frame of frames) refs.push((await strategy.decide(frame)).duplicateOf ?? -1);
  await strategy.end?.();
  return { refs, stats: (strategy as DedupeStatsSource).stats() };
}
