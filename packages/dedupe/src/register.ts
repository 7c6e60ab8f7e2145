import type { DependencyContainer } from 'tsyringe';
import { resolveWith, TOKENS } from '@upframe/core';
import { ExactDedupe } from './exact-dedupe.js';
import { EXACT_OPTION_SCHEMA } from './exact-options.js';
import { NearDedupe } from './near-dedupe.js';
import { NEAR_OPTION_SCHEMA } from './near-options.js';
import { OffDedupe } from './off-dedupe.js';

/** Names this package registers, best first. */
export const DEDUPE_STRATEGY_NAMES = ['near', 'exact', 'off'] as const;
export type DedupeStrategyName = (typeof DEDUPE_STRATEGY_NAMES)[number];

const ORIGIN = '@upframe/dedupe';

/** Adds `off`, `exact` and `near` to the container's dedupe registry. */
export function register(container: DependencyContainer): void {
  container
    .resolve(TOKENS.Dedupe)
    .add({
      name: 'near',
      description: 'skip frames that look like the last inferred one despite codec noise (mpdecimate-style blocks)',
      priority: 20,
      origin: ORIGIN,
      options: NEAR_OPTION_SCHEMA,
      create: (c, options) => resolveWith(c, NearDedupe, TOKENS.DedupeOptions, options),
    })
    .add({
      name: 'exact',
      description: 'skip frames whose decoded pixels are bit-identical to the last inferred one (xxHash32)',
      priority: 10,
      origin: ORIGIN,
      options: EXACT_OPTION_SCHEMA,
      create: (c, options) => resolveWith(c, ExactDedupe, TOKENS.DedupeOptions, options),
    })
    .add({
      name: 'off',
      description: 'infer every frame',
      priority: 0,
      origin: ORIGIN,
      create: (c, options) => resolveWith(c, OffDedupe, TOKENS.DedupeOptions, options),
    });
}
