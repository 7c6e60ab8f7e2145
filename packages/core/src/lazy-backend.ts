import type { BackendCapabilities, BackendInitInfo, InferenceBackend } from './contracts/inference-backend.js';
import { UpframeError } from './errors.js';
import type { Image } from './frame.js';

/**
 * Stands in for a backend whose module is expensive to import (a whole ML runtime): the
 * registry entry hands out this light object, and the real backend is imported and built only
 * in `initialize()`, i.e. only when a run actually chose it.
 */
export class LazyBackend<B extends InferenceBackend = InferenceBackend> implements InferenceBackend {
  private backend?: B;

  constructor(
    readonly name: string,
    private readonly caps: BackendCapabilities,
    private readonly load: () => Promise<B>,
  ) {}

  /** The real backend, once initialized (for callers that need its extra methods). */
  get inner(): B | undefined {
    return this.backend;
  }

  get scale(): number {
    return this.ready().scale;
  }

  capabilities(): BackendCapabilities {
    return this.backend?.capabilities() ?? this.caps;
  }

  async initialize(signal?: AbortSignal): Promise<void> {
    this.backend ??= await this.load();
    await this.backend.initialize(signal);
  }

  info(): BackendInitInfo {
    return this.ready().info();
  }

  run(images: readonly Image[], signal?: AbortSignal): Promise<Image[]> {
    return this.ready().run(images, signal);
  }

  async dispose(): Promise<void> {
    await this.backend?.dispose();
  }

  private ready(): B {
    if (!this.backend) throw new UpframeError('INTERNAL', `backend ${this.name} used before initialize()`, { plugin: this.name });
    return this.backend;
  }
}
