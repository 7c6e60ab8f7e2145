import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { runTool } from './child-process.js';
import { NutWriter, nutCrc, nutVarint } from './nut-writer.js';
import { availableFfmpegs, tempDir } from './test-support/fixtures.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir()));
afterAll(() => cleanup());

describe('NUT primitives', () => {
  it('encodes varints most significant group first', () => {
    expect(nutVarint(0)).toEqual([0]);
    expect(nutVarint(127)).toEqual([127]);
    expect(nutVarint(128)).toEqual([0x81, 0x00]);
    expect(nutVarint(2 ** 40)).toHaveLength(6);
    expect(() => nutVarint(-1)).toThrow(RangeError);
  });

  it('checksums so that data followed by its CRC checks to zero', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const crc = Buffer.alloc(4);
        crc.writeUInt32BE(nutCrc(bytes));
        return nutCrc(Buffer.concat([bytes, crc])) === 0;
      }),
    );
  });
});

describe('NutWriter read back by ffprobe', () => {
  it.each(['rgb24', 'rgba'] as const)('%s frames keep exact, uneven pts on every ffprobe', async (layout) => {
    const [width, height] = [5, 3];
    const channels = layout === 'rgba' ? 4 : 3;
    const pts = [0, 1, 7, 8, 1000, 1001, 90_000, 2 ** 33];
    const writer = new NutWriter({ width, height, layout, timeBase: { num: 1001, den: 30000 }, frameRate: { num: 30000, den: 1001 } });
    const parts = [writer.header()];
    for (const [i, p] of pts.entries()) parts.push(writer.frameHeader(p, width * height * channels), Buffer.alloc(width * height * channels, i));
    const file = join(dir, `${layout}.nut`);
    await writeFile(file, Buffer.concat(parts));
    for (const build of await availableFfmpegs()) {
      const streams = await runTool(build.ffprobePath, ['-v', 'error', '-show_entries', 'stream=codec_name,pix_fmt,width,height,time_base,r_frame_rate', '-of', 'json', file]);
      expect(JSON.parse(streams.stdout).streams[0]).toEqual({ codec_name: 'rawvideo', pix_fmt: layout, width, height, time_base: '1001/30000', r_frame_rate: '30000/1001' });
      const packets = await runTool(build.ffprobePath, ['-v', 'error', '-show_entries', 'packet=pts,size', '-of', 'csv=p=0', file]);
      expect(packets.stdout.trim().split('\n')).toEqual(pts.map((p) => `${p},${width * height * channels}`));
    }
  });
});
