import type { BufferPool } from './buffer-pool.js';
import type { InferenceBackend } from './contracts/inference-backend.js';
import { OutOfMemoryError } from './errors.js';
import type { Image } from './frame.js';
import { isOutOfMemory } from './out-of-memory.js';
import { TiledBackend } from './tiled-backend.js';

/** Frames per backend call, and the tile side (input pixels) when frames are split. */
export interface InferenceSetting {
  readonly batch: number;
  readonly tile?: number;
}

/** Smallest tile the recovery halves down to (windows are this plus twice the overlap). */
export const MIN_RECOVERY_TILE = 64;

export interface OomRecoveryOptions {
  readonly backend: InferenceBackend;
  /** The planned setting the run starts at. */
  readonly batch: number;
  readonly tile?: number;
  readonly overlap: number;
  readonly pool?: BufferPool;
  /** Floor of the tile halving; default {@link MIN_RECOVERY_TILE}. */
  readonly minTile?: number;
  /** One message per recovered failure: "frame 812: out of memory at batch 4, continued at batch 1, tile 256". */
  readonly onRecovered?: (message: string) => void;
}

/** One recovered failure, for the report. */
export interface Downgrade {
  readonly frame: number;
  readonly from: InferenceSetting;
  readonly to: InferenceSetting;
}

export function describeSetting(s: InferenceSetting): string {
  return s.tile === undefined ? `batch ${s.batch}` : `batch ${s.batch}, tile ${s.tile}`;
}

/**
 * Runs batches on a backend and survives its allocation failures: the *same* frames are retried
 * with the batch halved, then (at batch 1) split into tiles whose side halves down to `minTile`.
 * The smaller setting is kept for the rest of the run, so one large frame costs one retry, not
 * one per batch. No frame is ever dropped: when the floor fails too, {@link OutOfMemoryError}
 * names the frame and every setting tried. Batches in flight share the setting; one that failed
 * at a setting another batch has already left retries at the new one without shrinking further.
 */
export class OomRecovery {
  private setting: InferenceSetting;
  private generation = 0;
  private runner: InferenceBackend;
  private readonly log: Downgrade[] = [];
  private readonly minTile: number;

  constructor(private readonly o: OomRecoveryOptions) {
    this.setting = { batch: Math.max(1, o.batch), tile: o.tile };
    this.minTile = o.minTile ?? MIN_RECOVERY_TILE;
    this.runner = this.makeRunner();
  }

  get current(): InferenceSetting {
    return this.setting;
  }

  get downgrades(): readonly Downgrade[] {
    return this.log;
  }

  /** Upscales `images` (frame indices `indices`, for messages), in order, at the current setting. */
  async run(images: readonly Image[], indices: readonly number[], signal?: AbortSignal): Promise<Image[]> {
    const out: Image[] = [];
    let failed: { frame: number; from: InferenceSetting; tried: string[] } | undefined;
    for (let i = 0; i < images.length; ) {
      const setting = this.setting;
      const generation = this.generation;
      const runner = this.runner;
      const chunk = images.slice(i, i + setting.batch);
      try {
        out.push(...(await runner.run(chunk, signal)));
      } catch (error) {
        if (signal?.aborted || !isOutOfMemory(error)) throw error;
        failed ??= { frame: indices[i] ?? i, from: setting, tried: [] };
        failed.tried.push(describeSetting(setting));
        if (generation === this.generation) this.shrink(chunk, failed, error);
        continue;
      }
      if (failed) {
        const recovered: Downgrade = { frame: failed.frame, from: failed.from, to: setting };
        this.log.push(recovered);
        this.o.onRecovered?.(`frame ${recovered.frame}: out of memory at ${describeSetting(recovered.from)}, continued at ${describeSetting(setting)}`);
        failed = undefined;
      }
      i += chunk.length;
    }
    return out;
  }

  /** The next smaller setting, or the typed error when the floor has been tried. */
  private shrink(chunk: readonly Image[], failed: { frame: number; tried: string[] }, error: unknown): void {
    const { batch, tile } = this.setting;
    let next: InferenceSetting;
    if (batch > 1) {
      next = { batch: Math.floor(batch / 2), tile };
    } else {
      const side = Math.max(...chunk.map((im) => Math.max(im.width, im.height)));
      const smaller = Math.floor(Math.min(tile ?? side, side) / 2);
      if (smaller < this.minTile) throw new OutOfMemoryError(failed.frame, failed.tried, error);
      next = { batch: 1, tile: smaller };
    }
    this.setting = next;
    this.generation++;
    this.runner = this.makeRunner();
  }

  private makeRunner(): InferenceBackend {
    const { backend, overlap, pool } = this.o;
    const { batch, tile } = this.setting;
    return tile === undefined ? backend : new TiledBackend(backend, { tile, overlap, batch, pool });
  }
}
