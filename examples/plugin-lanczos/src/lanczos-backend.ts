import sharp from 'sharp';
import { cancelledError } from '@upframe/core/plugin';
import type { BackendCapabilities, BackendInitInfo, BackendOptions, Image, InferenceBackend } from '@upframe/core/plugin';

export const KERNELS = ['lanczos3', 'lanczos2', 'cubic', 'mitchell', 'nearest'] as const;
export type Kernel = (typeof KERNELS)[number];

/** `lanczos3-x4` → kernel lanczos3, scale 4; any id ending in -xN (e.g. esrgan-slim-x2) sets the scale. */
export function parseModelId(model: string): { kernel: Kernel; scale: number } {
  const scale = Number(/-?x(\d+)$/.exec(model)?.[1] ?? 2);
  const kernel = (KERNELS as readonly string[]).find((k) => model.startsWith(k)) as Kernel | undefined;
  if (!Number.isInteger(scale) || scale < 1 || scale > 16) throw new Error(`lanczos: scale must be 1..16, got "${model}"`);
  return { kernel: kernel ?? 'lanczos3', scale };
}

/**
 * A non-ML upscaler on sharp: a quality and speed baseline for the neural backends, and a
 * complete example of a third-party backend. Note it needs no decorators.
 */
export class LanczosBackend implements InferenceBackend {
  readonly name = 'lanczos';
  private kernel: Kernel = 'lanczos3';
  private factor = 2;
  private ready = false;

  constructor(private readonly options: Pick<BackendOptions, 'model' | 'device' | 'threads' | 'extra'>) {}

  get scale(): number {
    return this.factor;
  }

  capabilities(): BackendCapabilities {
    return { devices: ['cpu'], modelFormats: ['resampler'], maxBatch: 64 };
  }

  async initialize(): Promise<void> {
    const { kernel, scale } = parseModelId(this.options.model || 'lanczos3-x2');
    // `--backend-opt kernel=… scale=…` win over the model id; upframe checked them against LANCZOS_OPTIONS.
    const extra = this.options.extra ?? {};
    this.kernel = (KERNELS as readonly unknown[]).includes(extra.kernel) ? (extra.kernel as Kernel) : kernel;
    this.factor = typeof extra.scale === 'number' ? extra.scale : scale;
    if (this.options.device !== 'auto' && this.options.device !== 'cpu') {
      throw Object.assign(new Error(`lanczos runs on the CPU only; asked for ${this.options.device}`), { code: 'DEVICE_UNAVAILABLE' });
    }
    if (this.options.threads) sharp.concurrency(this.options.threads);
    this.ready = true;
  }

  info(): BackendInitInfo {
    return { device: 'cpu', provider: `sharp ${sharp.versions.sharp ?? ''} ${this.kernel}`.trim(), model: { id: `${this.kernel}-x${this.factor}`, scale: this.factor }, warnings: [] };
  }

  async run(images: readonly Image[], signal?: AbortSignal): Promise<Image[]> {
    // The contract: a cancelled run ends with a typed CANCELLED error, not with output nobody wants.
    if (signal?.aborted) throw cancelledError(signal.reason);
    if (!this.ready) throw new Error('lanczos: run() before initialize()');
    return Promise.all(
      images.map(async (im) => {
        const width = im.width * this.factor;
        const height = im.height * this.factor;
        const data = await sharp(im.data, { raw: { width: im.width, height: im.height, channels: im.channels as 3 | 4 } })
          .resize(width, height, { kernel: this.kernel, fit: 'fill' })
          .raw()
          .toBuffer();
        return { width, height, channels: im.channels, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
      }),
    );
  }

  async dispose(): Promise<void> {
    this.ready = false;
  }
}
