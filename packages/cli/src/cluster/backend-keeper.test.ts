import { describe, expect, it } from 'vitest';
import type { BackendCapabilities, BackendInitInfo, Image, InferenceBackend } from '@upframe/core';
import { BackendKeeper } from './backend-keeper.js';

/** Counts what the keeper does to it; `failInit` makes the next initialize() throw. */
class CountingBackend implements InferenceBackend {
  static made: CountingBackend[] = [];
  readonly name = 'counting';
  readonly scale = 2;
  initialized = 0;
  disposed = 0;
  runs = 0;
  constructor(private readonly failInit = false) {
    CountingBackend.made.push(this);
  }
  capabilities(): BackendCapabilities {
    return { devices: ['cpu'], modelFormats: ['onnx'], maxBatch: 4 };
  }
  async initialize(): Promise<void> {
    this.initialized++;
    if (this.failInit) throw new Error('no device');
  }
  info(): BackendInitInfo {
    return { device: 'cpu', provider: 'test', model: { id: 'm', scale: 2 }, warnings: [] };
  }
  async run(images: readonly Image[]): Promise<Image[]> {
    this.runs++;
    return [...images];
  }
  async dispose(): Promise<void> {
    this.disposed++;
  }
}

/** What a part's pipeline does with its backend: initialize, run, dispose. */
async function part(backend: InferenceBackend): Promise<void> {
  await backend.initialize();
  await backend.run([{ width: 1, height: 1, channels: 3, data: new Uint8Array(3) }]);
  await backend.dispose();
}

describe('BackendKeeper', () => {
  it('parts with the same settings share one backend, initialized once and disposed only when the worker closes', async () => {
    CountingBackend.made = [];
    const keeper = new BackendKeeper();
    for (let i = 0; i < 3; i++) await part(keeper.acquire('a', () => new CountingBackend()));
    expect(CountingBackend.made).toHaveLength(1);
    const [b] = CountingBackend.made;
    expect([b.initialized, b.runs, b.disposed]).toEqual([1, 3, 0]);
    await keeper.close();
    expect(b.disposed).toBe(1);
  });

  it('a part with other settings gets a new backend; the old one is disposed once no part uses it', async () => {
    CountingBackend.made = [];
    const keeper = new BackendKeeper();
    const first = keeper.acquire('a', () => new CountingBackend());
    await first.initialize();
    const second = keeper.acquire('b', () => new CountingBackend());
    const [a, b] = CountingBackend.made;
    // Still in use by the first part: not disposed under it.
    expect(a.disposed).toBe(0);
    await first.run([]);
    await first.dispose();
    expect(a.disposed).toBe(1);
    await part(second);
    expect(b.disposed).toBe(0);
    // Disposing a handle twice lets go once.
    await second.dispose();
    await keeper.close();
    expect([a.disposed, b.disposed]).toEqual([1, 1]);
  });

  it('parts running at once share the backend and its single initialization', async () => {
    CountingBackend.made = [];
    const keeper = new BackendKeeper();
    await Promise.all([0, 1, 2].map(() => part(keeper.acquire('a', () => new CountingBackend()))));
    expect(CountingBackend.made).toHaveLength(1);
    expect(CountingBackend.made[0].initialized).toBe(1);
    expect(CountingBackend.made[0].runs).toBe(3);
  });

  it('a backend that failed to initialize is not kept: the next part builds a new one', async () => {
    CountingBackend.made = [];
    const keeper = new BackendKeeper();
    const failing = keeper.acquire('a', () => new CountingBackend(true));
    await expect(failing.initialize()).rejects.toThrow('no device');
    await failing.dispose();
    expect(CountingBackend.made[0].disposed).toBe(1);
    await part(keeper.acquire('a', () => new CountingBackend()));
    expect(CountingBackend.made).toHaveLength(2);
    expect(CountingBackend.made[1].initialized).toBe(1);
  });
});
