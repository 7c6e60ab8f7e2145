import type { BackendCapabilities, BackendInitInfo, Image, InferenceBackend } from '@upframe/core';

interface Kept {
  readonly key: string;
  readonly backend: InferenceBackend;
  /** Settles when the backend is initialized. */
  ready?: Promise<void>;
  /** Parts using it now. */
  users: number;
  /** Replaced by another setting: disposed as soon as no part uses it. */
  retired: boolean;
}

/**
 * A worker's backend kept from one part to the next. A part runs the same pipeline as a local run,
 * which initializes its backend and disposes it at the end; a worker runs part after part with the
 * same settings, and choosing the device and loading the model again for every part is work thrown
 * away (tens of milliseconds for esrgan-slim-x2 on the CPU; a large model or a CUDA session takes
 * seconds). So parts
 * with the same backend settings share one backend, initialized once: each part gets a handle
 * whose `dispose()` only lets go of it. Parts running at once (`--concurrency`) share it too
 * (a backend takes calls in flight together). A part with other settings gets a new backend, and
 * the old one is disposed once no part uses it; `close()` disposes the last one when the worker stops.
 */
export class BackendKeeper {
  private readonly kept = new Map<string, Kept>();
  private latest?: string;

  /** A handle on the backend for `key` (the backend's settings), made by `create` if none is kept. */
  acquire(key: string, create: () => InferenceBackend): InferenceBackend {
    let entry = this.kept.get(key);
    if (!entry) {
      entry = { key, backend: create(), users: 0, retired: false };
      this.kept.set(key, entry);
    }
    if (this.latest !== key) {
      const previous = this.latest === undefined ? undefined : this.kept.get(this.latest);
      if (previous) this.retire(previous);
      this.latest = key;
    }
    entry.retired = false;
    entry.users++;
    return new KeptBackend(entry, () => this.release(entry), () => this.forget(entry));
  }

  /** Disposes every kept backend (the worker is stopping; no part runs any more). */
  async close(): Promise<void> {
    const all = [...this.kept.values()];
    this.kept.clear();
    this.latest = undefined;
    await Promise.all(all.map((e) => e.backend.dispose().catch(() => undefined)));
  }

  private release(entry: Kept): Promise<void> {
    entry.users--;
    return entry.retired && entry.users === 0 ? this.dispose(entry) : Promise.resolve();
  }

  /** A backend that failed to initialize is not kept: the next part builds a new one. */
  private forget(entry: Kept): void {
    if (this.kept.get(entry.key) === entry) this.kept.delete(entry.key);
    if (this.latest === entry.key) this.latest = undefined;
    entry.retired = true;
  }

  private retire(entry: Kept): void {
    entry.retired = true;
    if (entry.users === 0) void this.dispose(entry);
  }

  private async dispose(entry: Kept): Promise<void> {
    if (this.kept.get(entry.key) === entry) this.kept.delete(entry.key);
    await entry.backend.dispose().catch(() => undefined);
  }
}

/** One part's handle on a kept backend: everything is the backend's, but initializing is done once and disposing lets go. */
class KeptBackend implements InferenceBackend {
  private released = false;

  constructor(
    private readonly entry: Kept,
    private readonly release: () => Promise<void>,
    private readonly failed: () => void,
  ) {}

  get name(): string {
    return this.entry.backend.name;
  }

  get scale(): number {
    return this.entry.backend.scale;
  }

  capabilities(): BackendCapabilities {
    return this.entry.backend.capabilities();
  }

  initialize(signal?: AbortSignal): Promise<void> {
    const entry = this.entry;
    entry.ready ??= entry.backend.initialize(signal).catch((error: unknown) => {
      this.failed();
      throw error;
    });
    return entry.ready;
  }

  info(): BackendInitInfo {
    return this.entry.backend.info();
  }

  run(images: readonly Image[], signal?: AbortSignal): Promise<Image[]> {
    return this.entry.backend.run(images, signal);
  }

  dispose(): Promise<void> {
    if (this.released) return Promise.resolve();
    this.released = true;
    return this.release();
  }
}
