import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { createUpframeContainer, registerPlugins, TOKENS } from '@upframe/core';
import { LanczosBackend, parseModelId } from './lanczos-backend.js';

// The package's exports map hides its assets, so locate its root from the main entry.
const entry = createRequire(import.meta.url).resolve('@upscalerjs/esrgan-slim');
const fixture = join(entry.slice(0, entry.lastIndexOf('/dist/')), 'assets', 'fixture.png');

async function rgb(path: string) {
  const { data, info } = await sharp(path).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: 3, data: new Uint8Array(data) };
}

describe('lanczos plugin', () => {
  it('parses kernel and scale from the model id', () => {
    expect(parseModelId('cubic-x4')).toEqual({ kernel: 'cubic', scale: 4 });
    expect(parseModelId('esrgan-slim-x3')).toEqual({ kernel: 'lanczos3', scale: 3 });
    expect(() => parseModelId('lanczos3-x99')).toThrow(/1..16/);
  });

  it('upscales a batch of real images to the right size, keeping the content', async () => {
    const image = await rgb(fixture);
    const backend = new LanczosBackend({ model: 'lanczos3-x2', device: 'auto' });
    await backend.initialize();
    const [out, out2] = await backend.run([image, image]);
    expect(out.width).toBe(256);
    expect(out.data.length).toBe(256 * 256 * 3);
    expect(Buffer.from(out.data).equals(Buffer.from(out2.data))).toBe(true);
    // Downscaling the result back must land close to the input.
    const back = await sharp(out.data, { raw: { width: 256, height: 256, channels: 3 } }).resize(128, 128, { kernel: 'lanczos3' }).raw().toBuffer();
    let err = 0;
    let errFlipped = 0;
    const n = image.data.length;
    for (let i = 0; i < n; i++) {
      err += Math.abs(back[i] - image.data[i]);
      errFlipped += Math.abs(back[i] - image.data[n - 1 - i]);
    }
    expect(err / n).toBeLessThan(5);
    expect(errFlipped / n).toBeGreaterThan(5 * (err / n));
  });

  it('refuses a GPU device with a clear message', async () => {
    await expect(new LanczosBackend({ model: 'x2', device: 'cuda' }).initialize()).rejects.toThrow(/CPU only/);
  });

  it('loads as a plugin by path and registers the lanczos backend', async () => {
    const container = createUpframeContainer();
    const [plugin] = await registerPlugins(container, [fileURLToPath(new URL('./index.ts', import.meta.url))]);
    expect(plugin.name).toBe('lanczos');
    const backend = container.resolve(TOKENS.Backends).create(container, 'lanczos', { model: 'cubic-x3', device: 'cpu' });
    await backend.initialize();
    expect(backend.info().model).toEqual({ id: 'cubic-x3', scale: 3 });
  });
});
