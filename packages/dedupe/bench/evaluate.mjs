// Runs a registered dedupe strategy (from dist/) over a decoded clip; with the scoring helpers,
// shared by accuracy.mjs and threshold-sweep.mjs.
import 'reflect-metadata';
import { createUpframeContainer, silentLogger, TOKENS } from '@upframe/core';
import { register } from '../dist/index.js';

export { agreement, dropsToRefs, score } from '../src/test-support/clip-scoring.mjs';

export const TIME_BASE = Object.freeze({ num: 1, den: 24 });

/** A container with this package's strategies registered. */
export function strategyContainer() {
  const container = createUpframeContainer({ logger: silentLogger });
  register(container);
  return container;
}

export function sourceInfo(clip, extra = {}) {
  return { kind: 'video', path: clip.file, width: clip.width, height: clip.height, layout: 'rgb24',
    timeBase: TIME_BASE, variableFrameRate: false, frameCount: clip.frames.length, ...extra };
}

/** refs[i] = duplicateOf or -1; plus the strategy's stats and its pixel-work time per frame. */
export async function runStrategy(container, name, options, clip, context = {}) {
  const strategy = container.resolve(TOKENS.Dedupe).create(container, name, options);
  await strategy.begin?.({ source: sourceInfo(clip), ...context });
  const refs = [];
  for (const [index, data] of clip.frames.entries()) {
    // A decision is a promise only when the strategy asked the model (context.infer).
    const d = await strategy.decide({ index, pts: index, timeBase: TIME_BASE, width: clip.width, height: clip.height, layout: 'rgb24', data });
    refs.push(d.duplicateOf ?? -1);
  }
  await strategy.end?.();
  const stats = strategy.stats();
  await strategy.dispose();
  return { refs, stats, msPerFrame: stats.workMs / clip.frames.length };
}
