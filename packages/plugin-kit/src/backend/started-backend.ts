import type { Image, InferenceBackend } from '@upframe/core/plugin';
import { sampleImage, type Size } from '../sample-images.js';
import type { BackendContractOptions, BackendFactory } from './backend-contract.js';

export interface BackendCheckContext {
  readonly factory: BackendFactory;
  readonly options: BackendContractOptions;
}

/** An initialized backend with what the checks derive from it. */
export interface StartedBackend {
  readonly backend: InferenceBackend;
  readonly scale: number;
  readonly declaredMaxBatch: number;
  /** Largest batch the checks run: the declared maximum, capped by `batchLimit`. */
  readonly batch: number;
  readonly sizes: readonly Size[];
}

export const DEFAULT_SIZES: readonly Size[] = [
  { width: 8, height: 8 },
  { width: 12, height: 8 },
];

/**
 * Creates and initializes a backend, hands it to `use`, and disposes it whatever happens.
 * Dispose failures are ignored here: `dispose-idempotent` reports them on their own.
 */
export async function withBackend<T>(context: BackendCheckContext, use: (started: StartedBackend) => Promise<T>): Promise<T> {
  const backend = await context.factory();
  try {
    await backend.initialize();
    const declaredMaxBatch = backend.capabilities().maxBatch;
    const limit = context.options.batchLimit ?? 8;
    const batch = Math.max(1, Math.min(Number.isFinite(declaredMaxBatch) ? declaredMaxBatch : limit, limit));
    const sizes = context.options.sizes?.length ? context.options.sizes : DEFAULT_SIZES;
    return await use({ backend, scale: context.options.scale ?? backend.scale, declaredMaxBatch, batch, sizes });
  } finally {
    await Promise.resolve()
      .then(() => backend.dispose())
      .catch(() => undefined);
  }
}

/** `count` distinct images of one size; `seed` separates batches that must not look alike. */
export function sampleBatch(count: number, size: Size, seed = 0): Image[] {
  return Array.from({ length: count }, (_, i) => sampleImage(size, seed * 100 + i + 1));
}
