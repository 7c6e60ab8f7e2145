import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesOf16, samples16, type Image } from '@upframe/core';
import { getModel } from '@upframe/models';
import { withByteIo } from '@upframe/model-ncnn';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import type { ModelSpec } from './model-spec.js';
import { SessionRunner } from './session-runner.js';
import { createBackend } from './test-support/backend-harness.js';
import { readRgb, resize } from './test-support/images.js';
import { writeUpconvLike } from './test-support/ncnn-test-models.js';
import { float16Columns, nhwcNearest3x, preluShuffle } from './test-support/onnx-test-models.js';

/** Every 8-bit value in every channel, plus a pattern that is not a ramp. */
function allLevels(width: number, height: number, seed = 1): Image {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i++) data[i] = i < 256 * 3 ? i % 256 : (i * 37 + seed * 101 + (i >> 7)) & 255;
  return { width, height, channels: 3, data };
}

const spec = (over: Partial<ModelSpec>): ModelSpec => ({
  id: 'test', scale: 2, inputName: 'image', outputName: 'upscaled', layout: 'nchw', inputDtype: 'float32', outputDtype: 'float32',
  inputRange: [0, 1], outputRange: [0, 1], bytesPerInputPixel: 100, ...over,
});

/** The same batch through the model as it is (JS pixel codec) and through its byte-I/O wrapping. */
async function bothWays(model: Uint8Array, s: ModelSpec, images: readonly Image[]): Promise<{ js: Image[]; graph: Image[] }> {
  const float = await ort.InferenceSession.create(model);
  const bytes = await ort.InferenceSession.create(withByteIo(model, s)!);
  const { width, height } = images[0]!;
  const js = await new SessionRunner(ort, { float }, s).run(images, width, height);
  const graph = await new SessionRunner(ort, { bytes }, s).run(images, width, height);
  await Promise.all([float.release(), bytes.release()]);
  return { js, graph };
}

const differing = (a: Image, b: Image) => a.data.reduce((n, v, i) => n + (v !== b.data[i] ? 1 : 0), 0);
const largestGap = (a: Image, b: Image) => a.data.reduce((m, v, i) => Math.max(m, Math.abs(v - b.data[i]!)), 0);

describe('pixel conversion inside the graph', () => {
  it('is bit-identical to the JS codec for float32 models, whatever their ranges, layout and batch', async () => {
    const cases: [string, Uint8Array, ModelSpec][] = [
      ['nchw, 0..1', preluShuffle(), spec({})],
      // Out-of-range outputs on both sides: clamped to 0 and 255 the same way.
      ['nchw, -1..1 in, 0..255 out', preluShuffle(), spec({ inputRange: [-1, 1], outputRange: [0, 255] })],
      ['nchw, 0..255 in, -0.5..1.5 out', preluShuffle(), spec({ inputRange: [0, 255], outputRange: [-0.5, 1.5] })],
      ['nhwc, 3x', nhwcNearest3x(), spec({ layout: 'nhwc', scale: 3, inputRange: [0, 255], outputRange: [0, 255] })],
    ];
    for (const [label, model, s] of cases) {
      const images = [allLevels(24, 16, 1), allLevels(24, 16, 2)];
      const { js, graph } = await bothWays(model, s, images);
      expect(graph.map((g) => [g.width, g.height, g.depth ?? 8]), label).toEqual(js.map((j) => [j.width, j.height, j.depth ?? 8]));
      js.forEach((j, i) => expect(differing(j, graph[i]!), `${label}, image ${i}`).toBe(0));
    }
  });

  it('float16 models: within one level of the JS codec', async () => {
    const { js, graph } = await bothWays(float16Columns(), spec({ inputDtype: 'float16', outputDtype: 'float16' }), [allLevels(32, 24)]);
    expect(largestGap(js[0]!, graph[0]!)).toBeLessThanOrEqual(1);
  });

  it('a catalog model gives the same bytes either way, at batch 2 and in NHWC', async () => {
    const photo = await readRgb(getModel('esrgan-slim-x2').paths!.fixture!);
    const frames = [await resize(photo, 40, 30), await resize(photo, 40, 30).then((f) => ({ ...f, data: f.data.map((v) => 255 - v) }))];
    const outputs: Image[][] = [];
    for (const [extra, where] of [[{ pixelsInGraph: false }, 'in JS'], [{}, 'inside the graph'], [{ ioLayout: 'nhwc' }, 'inside the graph']] as const) {
      const { backend, logger } = createBackend({ model: 'esrgan-slim-x2', extra });
      await backend.initialize();
      outputs.push(await backend.run(frames));
      expect(backend.info().warnings).toEqual([]);
      await backend.dispose();
      expect(logger.messages.some((m) => m.message.endsWith(`8-bit pixels converted ${where}`))).toBe(true);
    }
    for (const run of outputs.slice(1)) run.forEach((o, i) => expect(differing(o, outputs[0]![i]!)).toBe(0));
  });

  it('an ncnn model (0..1 range, its tool profile in the graph) gives the same bytes either way', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'upframe-bytes-ncnn-'));
    const param = writeUpconvLike(dir);
    const frame = allLevels(21, 13);
    const out: Image[] = [];
    for (const pixelsInGraph of [false, true]) {
      const { backend } = createBackend({ model: param, cacheDir: join(dir, 'cache'), extra: { pixelsInGraph } });
      await backend.initialize();
      out.push((await backend.run([frame]))[0]!);
      await backend.dispose();
    }
    expect([out[1]!.width, out[1]!.height]).toEqual([42, 26]);
    expect(differing(out[0]!, out[1]!)).toBe(0);
  });

  it('16-bit frames still reach the model at full depth (through the float graph) and come back 16-bit', async () => {
    const samples = new Uint16Array(24 * 16 * 3).map((_, i) => 30000 + Math.floor(i / 3) * 9);
    const deep: Image = { width: 24, height: 16, channels: 3, depth: 16, data: bytesOf16(samples) };
    const results: Image[] = [];
    for (const pixelsInGraph of [false, true]) {
      const { backend } = createBackend({ model: 'esrgan-slim-x2', extra: { pixelsInGraph } });
      await backend.initialize();
      // An 8-bit batch first: the byte graph runs it, then the float graph opens for the 16-bit one.
      await backend.run([allLevels(24, 16)]);
      results.push((await backend.run([deep]))[0]!);
      await backend.dispose();
    }
    expect(results.map((r) => r.depth)).toEqual([16, 16]);
    expect(Buffer.from(results[1]!.data).equals(Buffer.from(results[0]!.data))).toBe(true);
    // Levels between 8-bit steps survive: more distinct values than 256 per channel could give.
    expect(new Set(samples16(results[1]!.data)).size).toBeGreaterThan(256);
  });
});
