import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createMemoryLogger, createUpframeContainer, registerPlugins, TOKENS } from '@upframe/core';
import plugin, { SMALLEST_OPTIONS } from './index.js';

describe('the smallest plugin', () => {
  it('is a versioned plugin made with definePlugin', () => {
    expect(plugin).toMatchObject({ name: 'smallest', apiVersion: '1.0' });
  });

  it('loads by path through the real host and registers --format smallest with its options schema', async () => {
    const logger = createMemoryLogger();
    const container = createUpframeContainer({ logger });
    const [loaded] = await registerPlugins(container, [fileURLToPath(new URL('./index.ts', import.meta.url))]);
    expect(loaded.name).toBe('smallest');
    expect(logger.messages).toEqual([]);
    const registry = container.resolve(TOKENS.FormatSelectors);
    expect(registry.get('smallest').options).toBe(SMALLEST_OPTIONS);
    const selector = registry.create(container, 'smallest', { candidates: 'tiff' });
    const image = { width: 4, height: 4, channels: 3, data: new Uint8Array(48).fill(9) };
    expect((await selector.select(image, 0, { supported: ['png', 'tiff'] })).format).toBe('tiff');
  });
});
