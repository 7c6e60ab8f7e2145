import { describe, expect, it } from 'vitest';
import { LazyBackend } from './lazy-backend.js';
import { FakeBackend } from './test-support/fakes.js';

describe('LazyBackend', () => {
  it('imports nothing until initialize(), then delegates everything', async () => {
    let loads = 0;
    const lazy = new LazyBackend('fake', { devices: ['cpu'], modelFormats: ['x'], maxBatch: 4 }, async () => {
      loads++;
      return new FakeBackend();
    });
    expect(lazy.capabilities().modelFormats).toEqual(['x']);
    expect(() => lazy.info()).toThrow(/before initialize/);
    expect(loads).toBe(0);
    await lazy.initialize();
    await lazy.initialize();
    expect(loads).toBe(1);
    expect(lazy.scale).toBe(2);
    expect(lazy.capabilities().modelFormats).toEqual(['fake']);
    const [out] = await lazy.run([{ width: 1, height: 1, channels: 3, data: new Uint8Array([1, 2, 3]) }]);
    expect(out.width).toBe(2);
    await lazy.dispose();
    expect(lazy.inner?.disposed).toBe(true);
  });
});
