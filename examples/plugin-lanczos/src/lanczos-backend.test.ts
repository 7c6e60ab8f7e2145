import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { createMemoryLogger, createUpframeContainer, isUpframeError, parseOptionPairs, registerPlugins, tagPluginError, TOKENS } from '@upframe/core';
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

  it('the GPU refusal keeps its DEVICE_UNAVAILABLE code once it leaves the plugin, tagged lanczos', async () => {
    const thrown = await new LanczosBackend({ model: 'x2', device: 'cuda' }).initialize().catch((e: unknown) => e);
    const tagged = tagPluginError('lanczos', thrown);
    expect(isUpframeError(tagged, 'DEVICE_UNAVAILABLE')).toBe(true);
    expect(tagged.plugin).toBe('lanczos');
  });

  it('loads as a plugin by path and registers the lanczos backend', async () => {
    const logger = createMemoryLogger();
    const container = createUpframeContainer({ logger });
    const [plugin] = await registerPlugins(container, [fileURLToPath(new URL('./index.ts', import.meta.url))]);
    expect(plugin.name).toBe('lanczos');
    expect(plugin.apiVersion).toBe('1.0');
    expect(logger.messages).toEqual([]);
    const backend = container.resolve(TOKENS.Backends).create(container, 'lanczos', { model: 'cubic-x3', device: 'cpu' });
    await backend.initialize();
    expect(backend.info().model).toEqual({ id: 'cubic-x3', scale: 3 });
  });
});

describe('lanczos options', () => {
  it('declares kernel and scale, and --backend-opt values override the model id', async () => {
    const container = createUpframeContainer();
    await registerPlugins(container, [fileURLToPath(new URL('./index.ts', import.meta.url))]);
    const entry = container.resolve(TOKENS.Backends).get('lanczos');
    expect(() => parseOptionPairs(['radius=2'], entry.options, 'backend lanczos')).toThrow('allowed: kernel (lanczos3|lanczos2|cubic|mitchell|nearest), scale (integer 1–16)');
    const extra = parseOptionPairs(['kernel=nearest', 'scale=4'], entry.options, 'backend lanczos');
    const backend = entry.create(container, { model: 'cubic-x2', device: 'cpu', extra });
    await backend.initialize();
    expect(backend.info().model).toEqual({ id: 'nearest-x4', scale: 4 });
  });
});
