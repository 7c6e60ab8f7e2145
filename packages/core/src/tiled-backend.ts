import type { BackendCapabilities, BackendInitInfo, InferenceBackend } from './contracts/inference-backend.js';
import type { BufferPool } from './buffer-pool.js';
import type { Image } from './frame.js';
import { sampleBytes } from './sample-depth.js';
import { extractRegion, pasteTile, planTiles } from './tiling.js';

export interface TilingOptions {
  /** Largest tile side in input pixels. Images that fit are run whole. */
  readonly tile: number;
  /** Context pixels around each tile; at least the model's receptive-field radius for seamless output. */
  readonly overlap: number;
  /** Tiles per backend call. */
  readonly batch: number;
  readonly pool?: BufferPool;
}

/** Default overlap: covers the receptive field of the catalog's esrgan models at their depth. */
export const DEFAULT_TILE_OVERLAP = 32;

/**
 * Decorates any backend so frames larger than `tile` are split into overlapping tiles, run in
 * batches, and stitched by discarding the overlap. Output equals untiled output whenever the
 * overlap covers the model's receptive field.
 */
export class TiledBackend implements InferenceBackend {
  readonly name: string;

  constructor(private readonly inner: InferenceBackend, private readonly options: TilingOptions) {
    this.name = inner.name;
  }

  get scale(): number {
    return this.inner.scale;
  }

  capabilities(): BackendCapabilities {
    return this.inner.capabilities();
  }

  initialize(signal?: AbortSignal): Promise<void> {
    return this.inner.initialize(signal);
  }

  info(): BackendInitInfo {
    return this.inner.info();
  }

  dispose(): Promise<void> {
    return this.inner.dispose();
  }

  async run(images: readonly Image[], signal?: AbortSignal): Promise<Image[]> {
    const { tile } = this.options;
    const small = images.every((im) => im.width <= tile && im.height <= tile);
    if (small) return this.inner.run(images, signal);
    const out: Image[] = [];
    for (const image of images) out.push(await this.runTiled(image, signal));
    return out;
  }

  private async runTiled(image: Image, signal?: AbortSignal): Promise<Image> {
    const { tile, overlap, batch, pool } = this.options;
    const scale = this.inner.scale;
    const tiles = planTiles(image.width, image.height, tile, overlap);
    const c = image.channels * sampleBytes(image);
    const dst: Image = { width: image.width * scale, height: image.height * scale, channels: image.channels, ...(image.depth === 16 ? { depth: 16 as const } : {}), data: new Uint8Array(image.width * scale * image.height * scale * c) };
    for (let i = 0; i < tiles.length; i += batch) {
      const group = tiles.slice(i, i + batch);
      const windows = group.map((t) => extractRegion(image, t.px, t.py, t.pw, t.ph, pool?.acquire(t.pw * t.ph * c)));
      const results = await this.inner.run(windows, signal);
      group.forEach((t, k) => pasteTile(dst, results[k], t, scale));
      if (pool) for (const w of windows) pool.release(w.data);
    }
    return dst;
  }
}
