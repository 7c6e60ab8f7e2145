import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isUpframeError } from '@upframe/core';
import { describe, expect, it } from 'vitest';
import { readUserModelHints } from './user-model-hints.js';

async function modelWithSidecar(name: string, sidecar?: unknown): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'upframe-hints-'));
  const model = join(dir, 'net.onnx');
  if (sidecar !== undefined) await writeFile(join(dir, name), typeof sidecar === 'string' ? sidecar : JSON.stringify(sidecar));
  return model;
}

describe('user model hints', () => {
  it('reads <model>.json and lets extra options override it key by key', async () => {
    const model = await modelWithSidecar('net.json', { layout: 'nhwc', range: [0, 255], scale: 4 });
    expect(await readUserModelHints(model)).toEqual({ layout: 'nhwc', range: [0, 255], scale: 4 });
    expect(await readUserModelHints(model, { scale: 2, tensorrt: true })).toEqual({ layout: 'nhwc', range: [0, 255], scale: 2 });
    expect((await readUserModelHints(model, { inputRange: [-1, 1] })).range).toEqual([-1, 1]);
  });

  it('also reads <model>.onnx.json', async () => {
    const model = await modelWithSidecar('net.onnx.json', { outputRange: [-1, 1] });
    expect(await readUserModelHints(model)).toEqual({ outputRange: [-1, 1] });
  });

  it('is empty without a sidecar or options', async () => {
    expect(await readUserModelHints(await modelWithSidecar('net.json'))).toEqual({});
  });

  it('names the sidecar and lists allowed keys when it is wrong', async () => {
    for (const bad of [{ scale: 1.5 }, { range: [1, 0] }, { colour: 'rgb' }, 'not json']) {
      const model = await modelWithSidecar('net.json', bad);
      const error = await readUserModelHints(model).catch((e: unknown) => e);
      expect(isUpframeError(error, 'MODEL_INVALID')).toBe(true);
      expect((error as { file?: string }).file).toBe(model.replace(/\.onnx$/, '.json'));
    }
  });

  it('reports bad extra options as USAGE', async () => {
    const error = await readUserModelHints(await modelWithSidecar('net.json'), { layout: 'chw' }).catch((e: unknown) => e);
    expect(isUpframeError(error, 'USAGE')).toBe(true);
    expect((error as Error).message).toContain('nchw, nhwc');
  });
});
