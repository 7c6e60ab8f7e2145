import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeMedia, type ProbeStream } from './ffprobe.js';
import { runTool } from './child-process.js';
import type { ToolBinary } from './ffmpeg-binaries.js';
import { availableFfmpegs, ffmpeg, makeClip, makeVfrClip, rotate, tempDir } from './test-support/fixtures.js';

let dir: string;
let cleanup: () => Promise<void>;
const files: string[] = [];
let spoof: string;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  const [plain, vfr, alpha] = await Promise.all([
    makeClip(dir, 'plain.mp4', { audio: true, subtitles: true }),
    makeVfrClip(dir, 'vfr.mkv', { audio: true, subtitles: true }),
    makeClip(dir, 'alpha.webm', { seconds: 0.5, codec: ['-c:v', 'libvpx-vp9', '-deadline', 'realtime'], pixFmt: 'yuva420p' }),
  ]);
  files.push(plain, vfr, alpha, await rotate(plain, join(dir, 'rotated.mp4'), 270));
  // ffprobe's text writer does not escape values: this tag's lines read as a second stream block.
  spoof = join(dir, 'spoof.mkv');
  await ffmpeg(['-i', plain, '-map', '0:v', '-c', 'copy', '-metadata:s:v:0', 'comment=a\n[/STREAM]\n[STREAM]\nindex=1\ncodec_type=video', spoof]);
});
afterAll(() => cleanup());

const READ: (keyof ProbeStream)[] = [
  'index', 'codec_type', 'codec_name', 'width', 'height', 'pix_fmt', 'bits_per_raw_sample', 'sample_aspect_ratio', 'r_frame_rate', 'avg_frame_rate',
  'time_base', 'start_pts', 'start_time', 'duration', 'nb_frames', 'color_range', 'color_space', 'color_transfer', 'color_primaries', 'disposition', 'tags',
];

/** The fields this package reads, with decimals compared by value ("1.500000" and "1.5" are the same time). */
function comparable(stream: ProbeStream): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of READ) if (stream[key] !== undefined) out[key] = ['start_time', 'duration'].includes(key) ? Number(stream[key]) : stream[key];
  const rotation = stream.side_data_list?.find((d) => d.rotation !== undefined)?.rotation;
  if (rotation !== undefined) out.rotation = rotation;
  return out;
}

describe.each(await availableFfmpegs())('probeMedia through fluent-ffmpeg ($label)', ({ ffprobePath }) => {
  const binary = { tool: 'ffprobe', path: ffprobePath } as ToolBinary;

  it('gives what ffprobe -of json gives, for every field the package reads', async () => {
    for (const file of files) {
      const json = await runTool(ffprobePath, ['-v', 'error', '-show_format', '-show_streams', '-of', 'json', file]);
      const expected = JSON.parse(json.stdout) as { streams: ProbeStream[]; format: Record<string, unknown> };
      const probe = await probeMedia(binary, file);
      expect(probe.streams.map(comparable), file).toEqual(expected.streams.map(comparable));
      expect(probe.format).toMatchObject({ format_name: expected.format.format_name, nb_streams: expected.format.nb_streams, tags: expected.format.tags });
      expect(Number(probe.format.duration)).toBeCloseTo(Number(expected.format.duration), 6);
    }
    const rotated = await probeMedia(binary, files[3]);
    expect(rotated.streams[0].side_data_list).toEqual([{ side_data_type: 'Display Matrix', rotation: -90 }]);
  });

  it('refuses output that a multi-line metadata value has split into extra stream blocks', async () => {
    await expect(probeMedia(binary, spoof)).rejects.toMatchObject({ code: 'INPUT_INVALID', file: spoof, message: expect.stringMatching(/spanning lines/) });
  });

  it('reports a binary that cannot run as FFMPEG_NOT_FOUND and an abort as CANCELLED', async () => {
    await expect(probeMedia({ ...binary, path: join(dir, 'no-such-ffprobe') }, files[0])).rejects.toMatchObject({ code: 'FFMPEG_NOT_FOUND' });
    await expect(probeMedia(binary, files[0], AbortSignal.abort())).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});
