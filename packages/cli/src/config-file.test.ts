import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isUpframeError } from '@upframe/core';
import { loadConfig } from './config-file.js';
import { tempDir } from './test-support/cli-harness.js';

function configIn(content: unknown): string {
  const dir = tempDir();
  writeFileSync(join(dir, 'upframe.config.json'), JSON.stringify(content));
  return dir;
}

async function usage(dir: string): Promise<string> {
  const error = await loadConfig(dir).then(() => undefined, (e: unknown) => e);
  expect(isUpframeError(error, 'USAGE')).toBe(true);
  return (error as Error).message;
}

describe('upframe.config.json', () => {
  it('plugins are "name" or ["name", { options }], passed on as core\'s specifier pairs', async () => {
    const dir = configIn({ plugins: ['./a.mjs', ['upframe-plugin-b', { strength: 2 }]], defaults: { backend: 'b', backendOptions: { x: 1 } } });
    expect((await loadConfig(dir)).config).toEqual({ plugins: ['./a.mjs', ['upframe-plugin-b', { strength: 2 }]], defaults: { backend: 'b', backendOptions: { x: 1 } } });
  });

  it('modelDirs are resolved from the config file\'s folder', async () => {
    const dir = configIn({ modelDirs: ['./models', '/abs/ncnn'] });
    expect((await loadConfig(dir)).config.modelDirs).toEqual([join(dir, 'models'), '/abs/ncnn']);
  });

  it.each([
    [{ plugins: './a.mjs' }, '"plugins" must be an array'],
    [{ plugins: [['./a.mjs']] }, 'plugins[0] must be "name" or ["name", { options }], got ["./a.mjs"]'],
    [{ plugins: ['ok', ['b', [1]]] }, 'plugins[1] must be'],
    [{ plugins: [''] }, 'plugins[0] must be'],
    [{ defaults: ['onnx'] }, '"defaults" must be an object of upscale options'],
    [{ default: { backend: 'x' } }, 'unknown key "default"; a config file holds "plugins", "defaults" and "modelDirs"'],
    [{ modelDirs: './models' }, '"modelDirs" must be an array of folder paths'],
    [{ modelDirs: [''] }, '"modelDirs" must be an array of folder paths'],
    [[1, 2], 'expected an object'],
  ])('%j is refused, naming the file', async (content, message) => {
    const dir = configIn(content);
    const text = await usage(dir);
    expect(text.startsWith(join(dir, 'upframe.config.json'))).toBe(true);
    expect(text).toContain(message);
  });
});
