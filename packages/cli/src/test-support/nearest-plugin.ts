import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A plugin backend for end-to-end tests: 2× by pixel repetition (deterministic, model-free),
 * SLOW_MS milliseconds per frame so a test can interrupt a run part-way, and with FAIL_DARK=1 it
 * throws on a dark frame, the same on every attempt (a part that always fails).
 */
const SOURCE = `
class NearestBackend {
  name = 'nearest';
  scale = 2;
  capabilities() { return { devices: ['cpu'], modelFormats: ['none'], maxBatch: 16 }; }
  async initialize() {}
  info() { return { device: 'cpu', provider: 'nearest', model: { id: 'nearest-x2', scale: 2 }, warnings: [] }; }
  async run(images) {
    await new Promise((done) => setTimeout(done, Number(process.env.SLOW_MS ?? 0) * images.length));
    return images.map((im) => {
      if (process.env.FAIL_DARK === '1' && im.data.every((v) => v < 40)) throw new Error('a dark frame: the test backend fails on it');
      const c = im.channels, w = im.width * 2, h = im.height * 2, out = new Uint8Array(w * h * c);
      for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let k = 0; k < c; k++) out[(y * w + x) * c + k] = im.data[(((y >> 1) * im.width) + (x >> 1)) * c + k];
      return { width: w, height: h, channels: c, data: out };
    });
  }
  async dispose() {}
}
export default { name: 'nearest', apiVersion: '1.0', register(host) { host.backends.add({ name: 'nearest', description: 'pixel repetition, for tests', create: () => new NearestBackend() }); } };
`;

/** Writes the plugin into `dir` and returns its path (for `--plugin`). */
export function writeNearestPlugin(dir: string): string {
  const file = join(dir, 'nearest-plugin.mjs');
  writeFileSync(file, SOURCE);
  return file;
}
